"""Hostile files and folders: odd names, pipes, links, stray bytes; never a stopped batch."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from storyline.errors import InputError
from storyline.ingest.decode import MAX_STRAY_NULS, decode_with_repairs
from storyline.ingest.readers import display_name, expand_paths, iter_inputs
from storyline.model import Document, Hints
from storyline.store import Store

Cli = Callable[..., Result]
MakeArticle = Callable[..., str]

UMLAUT_LINE = "Die Bürgermeisterin begrüßte die Gäste aus Köln und München im Rathaus.\n"


def ingest_json(cli: Cli, db: Path, *paths: Path) -> tuple[int, dict[str, Any]]:
    result = cli("ingest", *paths, "--db", db, "--no-stories", "--no-progress", "--json")
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def folder(tmp_path: Path, make_article: MakeArticle) -> Path:
    """A folder with two good articles."""
    root = tmp_path / "stapel"
    root.mkdir()
    (root / "a.txt").write_text(make_article(0), encoding="utf-8")
    (root / "b.txt").write_text(make_article(1), encoding="utf-8")
    return root


def test_hostile_undecodable_file_name_is_stored_under_an_escaped_name(
    cli: Cli, folder: Path, db_path: Path, make_article: MakeArticle
) -> None:
    bad = os.path.join(os.fsencode(folder), b"bericht-\xff\xfe.txt")
    with open(bad, "wb") as f:
        f.write(make_article(2).encode("utf-8"))
    code, report = ingest_json(cli, db_path, folder)
    assert code == 0 and len(report["stored"]) == 3 and not report["errors"]
    with Store(db_path) as store:
        sources = {s["source"] for a in store.iter_articles() for s in a["sources"]}
    assert str(folder / "bericht-\\xff\\xfe.txt") in sources
    # The escaped name is stable: a re-run knows the file.
    code, again = ingest_json(cli, db_path, folder)
    assert code == 0 and len(again["unchanged"]) == 3


def test_hostile_undecodable_name_of_a_bad_file_is_reported_escaped(
    cli: Cli, folder: Path, db_path: Path
) -> None:
    bad = os.path.join(os.fsencode(folder), b"leer-\xe4.txt")
    open(bad, "wb").close()
    code, report = ingest_json(cli, db_path, folder)
    assert code == 1 and len(report["stored"]) == 2
    (error,) = report["errors"]
    assert error["source"] == str(folder / "leer-\\xe4.txt")


def test_hostile_display_name_escapes_only_what_is_not_utf8() -> None:
    assert display_name("/tmp/Grüße.txt") == "/tmp/Grüße.txt"
    assert display_name(os.fsdecode(b"/tmp/a\xff.txt")) == "/tmp/a\\xff.txt"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_hostile_fifo_in_a_folder_is_reported_not_read(
    cli: Cli, folder: Path, db_path: Path
) -> None:
    os.mkfifo(folder / "rohr.txt")  # reading it would block for ever
    code, report = ingest_json(cli, db_path, folder)
    assert code == 1 and len(report["stored"]) == 2
    (error,) = report["errors"]
    assert error["source"] == str(folder / "rohr.txt")
    assert "FIFO" in error["reason"]


def test_hostile_dangling_link_and_link_loop_are_reported(
    cli: Cli, folder: Path, db_path: Path
) -> None:
    (folder / "weg.txt").symlink_to(folder / "gibt-es-nicht.txt")
    (folder / "schleife1").symlink_to(folder / "schleife2")
    (folder / "schleife2").symlink_to(folder / "schleife1")
    code, report = ingest_json(cli, db_path, folder)
    assert code == 1 and len(report["stored"]) == 2
    reasons = {Path(e["source"]).name: e["reason"] for e in report["errors"]}
    assert "dangling" in reasons["weg.txt"]
    assert "loop" in reasons["schleife1"] and "loop" in reasons["schleife2"]


def test_hostile_link_to_a_parent_folder_is_walked_once(folder: Path) -> None:
    (folder / "unter").mkdir()
    (folder / "unter" / "zurück").symlink_to(folder, target_is_directory=True)
    found = list(expand_paths([str(folder)]))
    assert sorted(p.name for p in found if isinstance(p, Path)) == ["a.txt", "b.txt"]


def test_hostile_link_to_a_file_is_followed(folder: Path) -> None:
    (folder / "c.txt").symlink_to(folder / "a.txt")
    found = [p.name for p in expand_paths([str(folder)]) if isinstance(p, Path)]
    assert found == ["a.txt", "b.txt", "c.txt"]


def test_hostile_unreadable_folder_is_reported(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = folder / "gesperrt"
    locked.mkdir()
    (locked / "x.txt").write_text("Text", encoding="utf-8")
    original = Path.iterdir

    def iterdir(self: Path) -> Any:
        if self == locked:  # chmod 000 does not stop root, so the refusal is simulated
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    items = list(iter_inputs([str(folder)], Hints(), 1_000_000))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source for e in errors] == [str(locked)]
    assert "Permission denied" in errors[0].reason
    assert sum(isinstance(i, Document) for i in items) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_hostile_unreadable_folder_really_locked(cli: Cli, folder: Path, db_path: Path) -> None:
    locked = folder / "gesperrt"
    locked.mkdir()
    locked.chmod(0)
    try:
        code, report = ingest_json(cli, db_path, folder)
    finally:
        locked.chmod(0o755)
    assert code == 1 and len(report["stored"]) == 2
    assert [e["source"] for e in report["errors"]] == [str(locked)]


def test_hostile_invalid_bytes_in_utf8_are_repaired_per_run() -> None:
    data = (
        UMLAUT_LINE.encode("utf-8") * 5
        + "Ein Fehler: Bär".encode("latin-1")
        + b" und \x81 dann \xc3 Ende.\n"
        + UMLAUT_LINE.encode("utf-8") * 5
    )
    text, encoding, repairs = decode_with_repairs(data, "bericht.txt")
    assert encoding == "utf-8"
    assert text.count(UMLAUT_LINE) == 10  # no umlaut turned into mojibake
    assert "Ein Fehler: Bär und \ufffd dann \ufffd Ende." in text
    first = len(UMLAUT_LINE.encode("utf-8") * 5) + len("Ein Fehler: B")
    assert repairs == [
        f"decoding: 3 run(s) of bytes that are not UTF-8 (3 bytes, first at byte {first:,}): "
        "1 read as cp1252, 2 as U+FFFD"
    ]


def test_hostile_cp1252_file_is_still_read_whole_as_cp1252() -> None:
    data = (UMLAUT_LINE * 3).encode("cp1252")
    assert decode_with_repairs(data, "alt.txt") == (UMLAUT_LINE * 3, "cp1252", [])


def test_hostile_invalid_bytes_reported_on_the_stored_article(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "kaputt.txt"
    path.write_bytes(
        "Rathaus empfängt Gäste\n\n".encode()
        + UMLAUT_LINE.encode("utf-8") * 3
        + "Die Stadt zahlt 5 Euro pro Gast für Getränke".encode("latin-1")
        + b".\n"
    )
    code, report = ingest_json(cli, db_path, path)
    assert code == 0
    with Store(db_path) as store:
        article = store.get_article(report["stored"][0])
    assert "für Getränke" in article["text"] and "Köln" in article["text"]
    assert article["repairs"][0].startswith("decoding: 2 run(s) of bytes that are not UTF-8")


@pytest.mark.parametrize("where", ["head", "after-8k"])
def test_hostile_stray_nul_bytes_removed_and_reported(
    cli: Cli, tmp_path: Path, db_path: Path, where: str
) -> None:
    lines = [UMLAUT_LINE.replace("Köln", f"Köln {i}") for i in range(200)]
    body = "".join(lines)
    cut = 100 if where == "head" else 9_000
    path = tmp_path / "nul.txt"
    path.write_bytes(
        "Rathaus empfängt Gäste\n\n".encode() + (body[:cut] + "\x00" + body[cut:]).encode("utf-8")
    )
    code, report = ingest_json(cli, db_path, path)
    assert code == 0, report
    with Store(db_path) as store:
        article = store.get_article(report["stored"][0])
    assert "\x00" not in article["text"] and "Köln 199" in article["text"]
    assert "text: 1 NUL character(s) removed" in article["repairs"]


def test_hostile_many_nul_bytes_are_still_binary() -> None:
    from storyline.errors import BinaryInputError

    data = b"Text" + b"\x00" * (MAX_STRAY_NULS + 1) + b"mehr Text"
    with pytest.raises(BinaryInputError):
        decode_with_repairs(data, "bild.bin")
