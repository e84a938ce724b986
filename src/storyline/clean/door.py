"""Text normalised once at the door, so no later stage meets a string it cannot encode.

A Python ``str`` can hold things no real text holds: unpaired UTF-16 surrogates
(JSON's ``"\\ud800"``, ``surrogateescape`` decoding) and NUL characters. Both break
code far from where they came in: encoding to UTF-8 for hashing or SQLite raises,
the entity tagger's C code fails with a ``SystemError``, and SQLite functions stop
reading a text at a NUL. Every entry point (:func:`storyline.clean_text`,
:func:`storyline.extract_html`, :func:`storyline.analyze`, the ingest readers)
passes its text through :func:`repair_text` first and keeps the repairs it
reports, so the damage is visible on the article instead of silent.

A surrogate *pair* is joined into the character it encodes; a lone surrogate becomes
U+FFFD (the replacement character, one character for one, so offsets after it do
not move); NULs are removed.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

from storyline.model import Hints

REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_NUL = "\x00"


def _join_pair(pair: str) -> str:
    high, low = ord(pair[0]) - 0xD800, ord(pair[1]) - 0xDC00
    return chr(0x10000 + (high << 10) + low)


def repair_text(text: str, what: str = "text") -> tuple[str, list[str]]:
    """``text`` safe to encode as UTF-8 and store, and a description of each repair.

    ``what`` names the field in the descriptions ("title", "text" …). Linear in the
    length of ``text``; a text needing no repair is returned as it is.
    """
    if text.isascii() and _NUL not in text:
        return text, []
    repairs: list[str] = []
    if _SURROGATES.search(text):
        joined = lone = 0

        def fix(m: re.Match[str]) -> str:
            nonlocal joined, lone
            if len(m.group()) == 2:
                joined += 1
                return _join_pair(m.group())
            lone += 1
            return REPLACEMENT

        text = _SURROGATES.sub(fix, text)
        if lone:
            repairs.append(f"{what}: {lone} unpaired surrogate(s) replaced with U+FFFD")
        if joined:
            repairs.append(f"{what}: {joined} surrogate pair(s) joined into one character each")
    nuls = text.count(_NUL)
    if nuls:
        text = text.replace(_NUL, "")
        repairs.append(f"{what}: {nuls} NUL character(s) removed")
    return text, repairs


def repair_optional(value: str | None, what: str) -> tuple[str | None, list[str]]:
    """:func:`repair_text` for a value that may be missing."""
    if value is None:
        return None, []
    return repair_text(value, what)


def repair_hints(hints: Hints) -> tuple[Hints, list[str]]:
    """Every string a user or an input's metadata gave, repaired like the text."""
    changes: dict[str, str | None] = {}
    repairs: list[str] = []
    for f in fields(hints):
        value = getattr(hints, f.name)
        if isinstance(value, str):
            fixed, found = repair_text(value, f.name)
            if found:
                changes[f.name] = fixed
                repairs.extend(found)
    return (replace(hints, **changes) if changes else hints), repairs
