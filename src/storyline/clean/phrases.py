"""Load the curated data files that drive cleaning (kept as data, not code)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from storyline.datafiles import data_rows

_KINDS = frozenset({"line", "start", "contains", "head"})
_SENTENCE_END = re.compile(r"[.!?…\"“”»«„']\s*$")


@dataclass(frozen=True)
class PhraseRule:
    reason: str
    kind: str
    pattern: re.Pattern[str]

    def matches(self, line: str) -> bool:
        if self.kind == "line":
            return self.pattern.fullmatch(line) is not None
        if self.kind == "contains":
            return self.pattern.search(line) is not None
        if self.pattern.match(line) is None:
            return False
        return self.kind == "start" or _SENTENCE_END.search(line) is None


def _data_lines(name: str) -> list[list[str]]:
    return data_rows("storyline.clean", name)


@cache
def phrase_rules() -> tuple[PhraseRule, ...]:
    rules = []
    for row in _data_lines("junk_phrases.tsv"):
        if len(row) != 3 or row[1] not in _KINDS:
            raise ValueError(f"junk_phrases.tsv: malformed row {row!r}")
        rules.append(PhraseRule(row[0], row[1], re.compile(row[2], re.IGNORECASE)))
    return tuple(rules)


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]


@cache
def known_outlets() -> tuple[Outlet, ...]:
    return tuple(
        Outlet(row[0], tuple(a for a in row[1].split("|") if a))
        for row in _data_lines("outlets.tsv")
    )


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for outlet in known_outlets():
        for alias in (outlet.name, *outlet.aliases):
            index[alias.casefold()] = outlet.name
    return index


def canonical_outlet(name: str) -> str | None:
    """The canonical name of a known outlet given any alias or domain, else None."""
    return _alias_index().get(name.strip().casefold())


@cache
def _alias_pattern() -> re.Pattern[str]:
    aliases = sorted(_alias_index(), key=len, reverse=True)
    body = "|".join(re.escape(a) for a in aliases)
    return re.compile(rf"(?<![\w.-])({body})(?![\w-])", re.IGNORECASE)


def outlets_in(text: str) -> list[str]:
    """Known outlets named in a piece of text, canonicalised, in order of appearance."""
    found = []
    for m in _alias_pattern().finditer(text):
        alias = m.group(1)
        # Short all-caps aliases (RT, ARD, DW) only count when written in capitals.
        if len(alias) <= 3 and not alias.isupper():
            continue
        name = _alias_index()[alias.casefold()]
        if name not in found:
            found.append(name)
    return found


@cache
def outlet_words() -> frozenset[str]:
    """Words that mark a line as a publication's name (``data/outlet_words.txt``)."""
    rows = data_rows("storyline.clean", "outlet_words.txt")
    return frozenset(w.lower() for row in rows for w in row[0].split())
