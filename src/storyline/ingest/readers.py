"""Find inputs and read each into a :class:`Document` (or an error in its place)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from storyline.clean.door import repair_hints, repair_optional, repair_text
from storyline.errors import (
    EmptyInputError,
    FormatError,
    InputError,
    InputTooLargeError,
)
from storyline.ingest.decode import decode_with_repairs
from storyline.model import Document, Hints

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
STDIN = "-"

Item = Document | InputError


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in text[:5000].lower():
        return "html"
    if head.startswith(("{", "[")):
        return "jsonl" if "\n{" in text.strip() and not head.startswith("[") else "json"
    return "text"


def _kind_for(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return _sniff(text)


def _str_field(record: dict[str, Any], name: str, source: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and name == "published":
        return str(value)
    if not isinstance(value, str):
        raise FormatError(source, f"field {name!r} must be a string, got {type(value).__name__}")
    return value


_ID = re.compile(r"[0-9a-f]{16}")


def _export_id(record: dict[str, Any]) -> str | None:
    """The id of a record exported by storyline (16 hex digits), else None."""
    value = record.get("id")
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _record_to_document(record: Any, source: str, base: Hints) -> Document:
    if not isinstance(record, dict):
        raise FormatError(
            source,
            f"expected a JSON object, got {type(record).__name__}",
            hint="each record needs at least a 'text' or 'html' field",
        )
    text = _str_field(record, "text", source)
    html = _str_field(record, "html", source)
    if not (text and text.strip()) and not (html and html.strip()):
        raise FormatError(
            source,
            "record has no 'text' or 'html' (or it is empty)",
            hint="add the article body as 'text' (plain) or 'html'",
        )
    hints = Hints(
        title=_str_field(record, "title", source),
        url=_str_field(record, "url", source),
        outlet=base.outlet or _str_field(record, "outlet", source),
        lang=base.lang or _str_field(record, "lang", source),
        published=base.published or _str_field(record, "published", source),
        author=_str_field(record, "author", source),
        article_id=_export_id(record),
    )
    # JSON can carry what no text holds ("\ud800", "\u0000"): repaired and reported here,
    # at the door, so that nothing later meets a string it cannot encode.
    text, text_repairs = repair_optional(text, "text")
    html, html_repairs = repair_optional(html, "html")
    hints, hint_repairs = repair_hints(hints)
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=True).encode("ascii")
    return Document(
        source=source,
        byte_hash=sha256(canonical),
        hints=hints,
        html=html if not (text and text.strip()) else None,
        raw_text=text if text and text.strip() else None,
        repairs=[*text_repairs, *html_repairs, *hint_repairs],
    )


@cache
def _export_records() -> frozenset[str]:
    """Record types of storyline's own JSONL export that are not articles."""
    from storyline.export import SECTIONS  # export reads the store; readers need it rarely

    return frozenset(kind for _name, kind in SECTIONS)


def _is_export_header(record: Any) -> bool:
    """Lines of a storyline JSONL export that are not articles (header, entities, quotes …)."""
    if not isinstance(record, dict):
        return False
    if record.get("record") in _export_records():
        return True
    schema = record.get("schema")
    return (
        isinstance(schema, str)
        and schema.startswith("storyline.export/")
        and not (record.get("text") or record.get("html"))
    )


def _json_records(text: str, source: str, base: Hints) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield FormatError(
            source,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            hint="fix the JSON or use .jsonl with one object per line",
        )
        return
    except (ValueError, RecursionError) as exc:
        yield FormatError(source, f"cannot be parsed as JSON ({type(exc).__name__})")
        return
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        records = data["articles"]
    elif isinstance(data, list):
        records = data
    else:
        records = [data]
    if not records:
        yield EmptyInputError(source, "holds no records")
    for i, record in enumerate(records):
        name = source if len(records) == 1 else f"{source}#{i + 1}"
        try:
            yield _record_to_document(record, name, base)
        except InputError as err:
            yield err


def _jsonl_records(text: str, source: str, base: Hints) -> Iterator[Item]:
    seen = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        seen += 1
        name = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FormatError(name, f"line is not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:
            yield FormatError(name, f"line cannot be parsed as JSON ({type(exc).__name__})")
            continue
        if _is_export_header(record):
            continue
        try:
            yield _record_to_document(record, name, base)
        except InputError as err:
            yield err
    if not seen:
        yield EmptyInputError(source, "holds no records")


def read_bytes(
    data: bytes, source: str, kind: str | None, base: Hints, path: Path | None = None
) -> Iterator[Item]:
    """Decode one input's bytes and yield its document(s)."""
    try:
        text, _encoding, decoding = decode_with_repairs(data, source)
    except InputError as err:
        yield err
        return
    if kind is None:
        kind = _kind_for(path, text) if path is not None else _sniff(text)
    if kind == "json":
        records = _json_records(text, source, base)
    elif kind == "jsonl":
        records = _jsonl_records(text, source, base)
    else:
        text, repairs = repair_text(text, "html" if kind == "html" else "text")
        hints, hint_repairs = repair_hints(base)
        doc = Document(
            source=source, byte_hash=sha256(data), hints=hints, repairs=[*repairs, *hint_repairs]
        )
        if kind == "html":
            doc.html = text
        else:
            doc.raw_text = text
        records = iter([doc])
    for item in records:
        if decoding and isinstance(item, Document):
            item.repairs[:0] = decoding  # the file's repairs hold for each of its records
        yield item


def display_name(path: str | Path) -> str:
    """A path as it can be shown and stored: bytes that are not UTF-8 escaped (``\\xff``).

    Python hands such names over with surrogate escapes, which no terminal, JSON
    encoder or SQLite column accepts; the escaped form is stable, so a re-run still
    recognises the input.
    """
    name = os.fspath(path)
    if name.isascii():
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _stat_error(path: Path, exc: OSError) -> InputError:
    """Why a path that is listed cannot be followed (dangling link, loop, permissions)."""
    name = display_name(path)
    if exc.errno == errno.ELOOP:
        return InputError(name, "is a symbolic link loop", hint="remove or fix the link")
    if exc.errno == errno.ENOENT and path.is_symlink():
        return InputError(
            name, "is a symbolic link to nothing (dangling)", hint="remove or fix the link"
        )
    if exc.errno == errno.ENOENT:
        return InputError(name, "does not exist", hint="check the path")
    return InputError(name, f"cannot be read ({exc.strerror or exc})", hint="check its permissions")


def _kind_of(path: Path) -> str | InputError:
    """ "file", "dir" or the reason a path is neither (links followed)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _stat_error(path, exc)
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    what = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return InputError(
        display_name(path),
        f"is {what}, not a regular file (not read)",
        hint="give storyline regular files or folders",
    )


def _walk(path: Path, seen: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    """Files under a folder in sorted order; anything that cannot be read is an error.

    Hidden entries (".git", ".DS_Store") are skipped. Links are followed, each folder
    is read once (a link back to a parent is not a loop to get lost in), and FIFOs,
    dangling links, loops and unreadable folders are named instead of skipped.
    """
    try:
        info = path.stat()
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        children = sorted(path.iterdir())
    except OSError as exc:
        yield _stat_error(path, exc)
        return
    for child in children:
        if child.name.startswith("."):
            continue
        kind = _kind_of(child)
        if kind == "file":
            yield child
        elif kind == "dir":
            yield from _walk(child, seen)
        else:
            assert isinstance(kind, InputError)
            yield kind


def expand_paths(paths: Iterable[str]) -> Iterator[str | Path | InputError]:
    """Yield files to read (folders walked in sorted order), '-' or an error per bad path."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        kind = _kind_of(path)
        if kind == "dir":
            yield from _walk(path, seen=set())
        elif kind == "file":
            yield path
        else:
            assert isinstance(kind, InputError)
            yield kind


def read_path(path: Path, base: Hints, max_bytes: int) -> Iterator[Item]:
    source = display_name(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield InputTooLargeError(
                source,
                f"is {size:,} bytes, over the limit of {max_bytes:,}",
                hint="split it, or raise STORYLINE_MAX_FILE_BYTES",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(
            source, f"cannot be read ({exc.strerror or exc})", hint="check its permissions"
        )
        return
    yield from read_bytes(data, source, None, base, path)


def read_stream(
    stream: BinaryIO,
    base: Hints,
    max_bytes: int,
    source: str = "<stdin>",
) -> Iterator[Item]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputTooLargeError(source, f"is over the limit of {max_bytes:,} bytes")
        return
    yield from read_bytes(data, source, None, base)


def iter_inputs(
    paths: Iterable[str], base: Hints, max_bytes: int, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Every document (or error) from the given paths, in a stable order."""
    for entry in expand_paths(paths):
        if isinstance(entry, InputError):
            yield entry
        elif entry == STDIN:
            yield from read_stream(stdin or sys.stdin.buffer, base, max_bytes)
        else:
            assert isinstance(entry, Path)
            yield from read_path(entry, base, max_bytes)
