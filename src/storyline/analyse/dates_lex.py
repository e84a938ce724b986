"""Word lists and clause tense for the date finder and the figure finder.

Resolving "am Dienstag" needs the tense of the clause around it ("wird ab
Dienstag besuchen" is the coming Tuesday, "sagte am Dienstag" the past one), so
the tense guess lives here beside the closed word classes it uses. The words
themselves are in data files (tense_cues.tsv, number_words.tsv, units.tsv) so a
reader can extend them without touching code.
"""

from __future__ import annotations

import re
from functools import cache

from wordfreq import zipf_frequency

from storyline.clean.published import MONTHS
from storyline.datafiles import data_rows

WEEKDAYS: dict[str, int] = {
    name: i
    for i, names in enumerate(
        (
            ("montag", "monday"),
            ("dienstag", "tuesday"),
            ("mittwoch", "wednesday"),
            ("donnerstag", "thursday"),
            ("freitag", "friday"),
            ("samstag", "sonnabend", "saturday"),
            ("sonntag", "sunday"),
        )
    )
    for name in names
}
# Full month names only: abbreviations ("Mär", "Jun") count only beside a day number.
_ABBREVIATIONS = frozenset(
    "jan feb mär mar mrz apr jun jul aug sep sept okt oct nov dez dec".split()
)
MONTH_NAMES: dict[str, int] = {k: v for k, v in MONTHS.items() if k not in _ABBREVIATIONS}
PAST, UNKNOWN, FUTURE = -1, 0, 1

_WORD = re.compile(r"[\w'’]+")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—\"„“”»«]|\s-\s")
_PARTICIPLE_DE = re.compile(
    r"^(ab|an|auf|aus|bei|ein|mit|nach|vor|zu|zurück|weg|fest|dar|her|hin|um|über|los)?"
    r"ge\w{3,}(t|en)$|\w{3,}iert$|^worden$"
)
_REPORTED = re.compile(r"\s*(so|hieß es|heißt es)\b", re.I)
_BE = frozenset("be been being is are am".split())
_PARTICIPLE_EN = frozenset("been done gone seen taken given spoken written met said told".split())


def _data(name: str) -> list[list[str]]:
    return data_rows("storyline.analyse", name)


@cache
def number_words() -> dict[str, int]:
    """Number words ("zwei", "twelve", "Dutzend") to their value."""
    return {row[0]: int(row[1]) for row in _data("number_words.tsv")}


@cache
def units() -> dict[str, tuple[str, str]]:
    """Unit surface forms (lower case) to (normalised unit or scale factor, kind)."""
    return {row[0]: (row[1], row[2]) for row in _data("units.tsv")}


@cache
def _cues() -> dict[tuple[str, str], frozenset[str]]:
    return {(row[0], row[1]): frozenset(row[2].split()) for row in _data("tense_cues.tsv")}


def cue_words(lang: str, kind: str) -> frozenset[str]:
    return _cues().get((lang, kind), frozenset())


def parse_count(word: str) -> int | None:
    """A count written in digits or as a number word ("24", "zwei", "einem", "two")."""
    if word.isdigit():
        return int(word)
    return number_words().get(word.lower())


def _word_tense(word: str, lang: str, has_participle: bool) -> int:
    low = word.lower()
    if low in cue_words(lang, "future"):
        return FUTURE
    if low in cue_words(lang, "notpast"):
        return UNKNOWN
    if low in cue_words(lang, "past"):
        return PAST
    if low in cue_words(lang, "aux"):
        return PAST if has_participle else UNKNOWN
    if word != low or len(word) < 5:
        return UNKNOWN
    if lang == "de":
        if low.startswith("ge") or low.endswith("sten"):
            return UNKNOWN
        # Weak past: "sagte", "sagten" come from a verb "sagen"; "erhalten", "letzte",
        # "arbeitet" do not (no verb "erhalen", "letzen"; -tet is mostly present tense).
        for ending in ("eten", "ete", "ten", "te"):  # "berichtete" ← "berichten"
            if low.endswith(ending) and zipf_frequency(low[: -len(ending)] + "en", "de") >= 2.5:
                return PAST
        return UNKNOWN
    return PAST if low.endswith("ed") else UNKNOWN


def clause_tense(sentence: str, start: int, end: int, lang: str) -> int:
    """Tense (PAST, FUTURE or UNKNOWN) of the clause holding sentence[start:end].

    The nearest tense cue in the same clause decides; failing that, the nearest
    one in the neighbouring clauses, nearer ones first. Present tense without a
    cue stays UNKNOWN: the caller picks the reading (news present mostly means
    the coming days, "Am Mittwoch beginnt der Gipfel").
    """
    lang = "en" if lang == "en" else "de"
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    words = [m for m in _WORD.finditer(sentence) if m.end() <= start or m.start() >= end]

    def clause_of(pos: int) -> int:
        return sum(1 for b in breaks if b < pos)

    home = clause_of(start)
    home_start = max((b for b in breaks if b < start), default=-1) + 1
    if _REPORTED.match(sentence[home_start:start]):
        return PAST  # "…, so die Beamten am Freitag", "…, hieß es am Montag"
    by_clause: dict[int, list[tuple[int, str]]] = {}
    for m in words:
        by_clause.setdefault(clause_of(m.start()), []).append((m.start(), m.group()))
    for dist in range(0, 4):
        found: list[tuple[int, int]] = []
        for clause in {home - dist, home + dist}:
            tokens = by_clause.get(clause, [])
            future = cue_words(lang, "future")
            participle = any(
                w not in future
                and (
                    _PARTICIPLE_DE.match(w)
                    if lang == "de"
                    else w.endswith("ed") or w in _PARTICIPLE_EN
                )
                for _, w in tokens
            )
            prev = ""
            for pos, w in tokens:
                tense = _word_tense(w, lang, participle)
                if lang == "en" and prev in _BE and w.endswith("ed"):
                    tense = UNKNOWN  # passive: "will be published", "is expected"
                prev = w.lower()
                if tense != UNKNOWN:
                    found.append((abs(pos - start), tense))
        if found:
            return min(found)[1]
    return UNKNOWN
