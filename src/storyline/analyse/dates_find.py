"""The date finder: temporal expressions in German and English text, not yet resolved.

Our own regex scanner, because dateparser's search mode reads "die" and "mit"
as weekdays and misses "am Dienstag", "Ende letzten Monats", "Mittwochmorgen"
and "18. und 19. Juni". Each hit becomes an :class:`Expr` carrying its parts
(day, month, year, weekday, offset …) and the tense of its clause, so that the
resolver (dates.py) and the publication-date inference (dates_infer.py) can
read the same findings. Patterns run from the most specific to the least;
a later pattern never takes characters an earlier one claimed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from storyline.analyse.dates_lex import (
    FUTURE,
    MONTH_NAMES,
    PAST,
    UNKNOWN,
    WEEKDAYS,
    TenseReader,
    number_words,
    parse_count,
)
from storyline.analyse.model import Sentence
from storyline.analyse.sentences import split_sentences
from storyline.clean.published import MONTHS


@dataclass(frozen=True)
class Expr:
    """One temporal expression and what it says, before resolution.

    kind: "date" (day, maybe without year), "range" (day..day2 in month/month2),
    "month", "year", "years" (year..year2), "decade", "weekday", "relday"
    (offset days from publication: heute 0, morgen 1), "shift" (n units from
    publication, negative = ago), "relunit" (this/last/next week, month, year).
    """

    start: int
    end: int
    text: str
    kind: str
    sentence: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    year2: int | None = None
    month2: int | None = None
    day2: int | None = None
    weekday: int | None = None
    n: int = 0
    unit: str | None = None
    tense: int = UNKNOWN
    strict: bool = False  # "nächsten Dienstag", "last July": never the current one


_YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)(?!\d)"
_DAY = r"(?P<d>[0-3]?\d)"
_ORD = r"(?:st|nd|rd|th)?"


def _alt(words: list[str] | dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_M_FULL = _alt(MONTH_NAMES)
_M_ABBR = _alt([k for k in MONTHS if k not in MONTH_NAMES])
_WD = _alt([w.capitalize() for w in WEEKDAYS])
_NUMW = _alt([w for w in number_words() if w not in ("a", "an", "dutzend", "dozen")])
_COUNT = rf"(?P<n>\d{{1,3}}|{_NUMW}|an?)"
_HEDGE = r"(?:(?:mehr als|fast|knapp|rund|etwa|über|gut|more than|nearly|almost|about|some)\s+)?"


def _m(name: str = "m", full: bool = False) -> str:
    abbr = "" if full else rf"|(?:{_M_ABBR})\.?"
    return rf"(?P<{name}>{_M_FULL}{abbr})(?![\wäöü])"


def _y(name: str) -> str:
    return _YEAR.replace("?P<y>", f"?P<{name}>")


_MDY = re.compile(
    rf"(?:(?P<wd>{_WD}),?\s+)?{_m()}\s+{_DAY}{_ORD}(?![\d.,]\d|\d)(?:,?\s+{_YEAR})?", re.I
)
# How the two ends of a day range are joined: "18. und 19.", "vom 4. bis zum 14.",
# "zwischen dem 4. und dem 14.", "from 4 to 14", "4-14". The article after "bis"/"und"
# belongs to the range; without it the first day was left over and the second read as a
# date of its own, and "bis zum" then looked like a deadline.
_TO = r"(?:und(?:\s+dem)?|bis(?:\s+(?:zum|einschließlich))?|–|-|/|and|to|until|through)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            rf"(?<![\d.]){_DAY}\.?\s*{_TO}\s*(?P<d2>[0-3]?\d)\.?\s+"
            rf"(?:of\s+)?{_m()}(?:,?\s+{_YEAR})?",
            re.I,
        ),
    ),
    (
        "range",  # "4. März bis zum 14. April", "4 March to 14 April"
        re.compile(
            rf"(?<![\d.]){_DAY}(?:\.|{_ORD})\s*(?:of\s+)?{_m()}\s*"
            rf"(?:bis(?:\s+zum)?|und\s+dem|–|-|to|until|through)\s*(?:the\s+)?"
            rf"(?P<d2>[0-3]?\d)(?:\.|{_ORD})\s*(?:of\s+)?{_m('m2')}(?:,?\s+{_YEAR})?",
            re.I,
        ),
    ),
    (
        "range",  # "March 4-14", "between March 4 and 14", "March 4 to April 14"
        re.compile(
            rf"{_m()}\s+{_DAY}{_ORD}\s*(?:(?:-|–|to|through|until)\s*(?:{_m('m2')}\s+)?|and\s+)"
            rf"(?P<d2>[0-3]?\d){_ORD}(?!\d)(?:,?\s+{_YEAR})?",
            re.I,
        ),
    ),
    ("date", re.compile(r"(?P<y>\d{4})-(?P<mn>[01]\d)-(?P<d>[0-3]\d)(?!\d)")),
    (
        "date",
        re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<mn>[01]?\d)\.(?:(?P<y>\d{4})(?!\d)|(?!\d))"),
    ),
    ("date", re.compile(r"(?<![\d/])(?P<mn>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{4})(?!\d)")),
    (
        "date",
        re.compile(
            rf"(?:(?P<wd>{_WD}),?\s+(?:(?:den|the)\s+)?)?(?<![\d.]){_DAY}(?:\.|{_ORD})\s*"
            rf"(?:of\s+)?{_m()}(?:,?\s+{_YEAR})?",
            re.I,
        ),
    ),
    ("date", _MDY),
    (
        "month",
        re.compile(
            rf"(?:(?:Anfang|Mitte|Ende|early|mid-?|late)\s+)?{_m(full=True)}\s+"
            rf"(?:des\s+Jahres\s+|of\s+)?{_YEAR}",
            re.I,
        ),
    ),
    (
        "years",
        re.compile(
            rf"(?:(?P<pre>von|vom|zwischen|from|between)\s+){_YEAR}\s*(?:bis|und|to|and|–|-)\s*"
            rf"{_y('y2')}|{_y('y3')}\s*[–-]\s*{_y('y4')}"
        ),
    ),
    (
        "shift",
        re.compile(
            rf"(?P<dir>vor|seit|in)\s+{_HEDGE}{_COUNT}\s+"
            r"(?P<u>Jahrzehnten|Jahrzehnt|Jahren|Jahr|Monaten|Monat|Wochen|Woche|Tagen|Tag)\b",
            re.I,
        ),
    ),
    (
        "shift",
        re.compile(
            rf"(?:(?P<dir>in)\s+)?{_HEDGE}{_COUNT}\s+(?P<u>decades?|years?|months?|weeks?|days?)"
            r"(?P<ago>\s+ago)?\b",
            re.I,
        ),
    ),
    (
        "relunit",
        re.compile(
            r"(?:(?P<part>Anfang|Mitte|Ende|early|late|mid|earlier|later|"
            r"at the (?:beginning|start|end) of)\s+)?(?:(?:im|in|am)\s+)?"
            r"(?P<mod>diese[nmrs]?|letzte[nmrs]?|vergangene[nmrs]?|vorige[nmrs]?|kommende[nmrs]?|"
            r"nächste[nmrs]?|des|this|last|next|past|coming|the)\s+"
            r"(?P<u>Woche|Monats?|Jahr(?:es|s)?|Wochenende[ns]?|week|month|year|weekend)\b"
            r"|(?P<vj>im Vorjahr)",
            re.I,
        ),
    ),
    (
        "relday",
        re.compile(
            r"(?<![\w-])(?P<w>vorgestern|gestern|heute|übermorgen|morgen|today|yesterday|tomorrow|"
            r"tonight|the day before yesterday|the day after tomorrow)"
            r"(?:\s+(?P<dp>früh|Morgen|Abend|Nachmittag|Vormittag|Mittag|Nacht))?(?![\w-])",
            re.I,
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?:(?P<prep>(?i:am|ab|seit|bis|vom|zum|on|since|until|by|from))\s+)?"
            r"(?:(?P<mod>(?i:kommenden|nächsten|letzten|vergangenen|diesen|last|next|this|coming|past))"
            rf"\s+)?(?P<wd>{_WD})(?:morgen|abend|nachmittag|vormittag|mittag|nacht)?"
            r"(?:\s+(?:morning|afternoon|evening|night|früh))?(?![\wäöü])"
        ),
    ),
    (
        "month",
        re.compile(
            r"(?:(?P<pre>\w+)\s+)?(?:(?P<part>Anfang|Mitte|Ende|early|mid-?|late)\s+)?"
            r"(?:(?P<mod>vergangenen|letzten|kommenden|nächsten|diesen|last|next|this)\s+)?"
            rf"{_m(full=True)}",
            re.I,
        ),
    ),
    (
        "decade",
        re.compile(r"(?<![\d.,])(?P<y>1[5-9]\d0|20\d0)(?:er(?:[\s-]*Jahren?)?|s)(?![\w])"),
    ),
    ("year", re.compile(r"(?<![\d.,\w])(?P<y>1[5-9]\d\d|20\d\d)(?!\d|[.,]\d|[-–]?\w)")),
]

_MONTH_CUES = frozenset(
    "im in seit bis ab von vom zum anfang mitte ende since until by from during through early "
    "late mid last next this of und and oder or zwischen between".split()
)
_YEAR_CUES = frozenset(
    "im jahr jahre jahres in seit bis ab von vom zum zwischen und oder anfang mitte ende sommer "
    "winter herbst frühjahr frühling since until by from during between and or of early late mid "
    "year".split()
)
_NOT_YEAR_BEFORE = frozenset(
    "rund etwa ca circa mehr fast knapp über unter bis zu insgesamt nur weitere about around some "
    "nearly almost over than up to only".split()
)
_FUTURE_MODS = frozenset("kommenden nächsten kommende nächste next coming".split())
_PAST_MODS = frozenset("letzten vergangenen vorigen letzte vergangene last past".split())
_UNITS = {"jahrz": "decade", "deca": "decade", "jahr": "year", "year": "year", "mona": "month"}
_UNITS.update({"mont": "month", "woch": "week", "week": "week", "tag": "day", "day": "day"})
_PREV_WORD = re.compile(r"([\wäöüß]+)[^\w]*$")
_FIRST_BEFORE = re.compile(r"(first|erste\w*)\s+\w*\s*$")
#: How far before "in 24 years" a "first" is looked for ("the first visit in 24 years").
_FIRST_LOOKBACK_CHARS = 80
_NEXT_WORD = re.compile(r"^\s*([\wäöüÄÖÜß%€$]+)")


def _unit(word: str) -> str:
    low = word.lower()
    return next(v for k, v in _UNITS.items() if low.startswith(k))


def _month(word: str | None) -> int | None:
    return MONTHS.get(word.lower().rstrip(".")) if word else None


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text[max(0, pos - 30) : pos])
    return m.group(1).lower() if m else ""


def _is_year(sent: str, start: int, end: int, lang: str) -> bool:
    """A bare four-digit number is a year only in a year's context ("seit 2019", "2019 traf")."""
    before = _prev_word(sent, start)
    if before in _NOT_YEAR_BEFORE or sent[max(0, start - 2) : start].strip() in ("$", "€"):
        return False
    if before in _YEAR_CUES:
        return True
    nxt = _NEXT_WORD.match(sent[end : end + 30])
    if nxt is None:
        return True  # punctuation or end of sentence follows
    word = nxt.group(1)
    if lang == "de":
        return word[:1].islower() and not word[:1].isdigit()
    return False


_DATED = frozenset("date range month".split())
_SCHEDULE = frozenset("zum ab bis spätestens until by".split())
_SINCE = frozenset("seit since".split())


def _preposition_tense(sent: str, start: int) -> int:
    """Tense a preposition gives a yearless date when the clause has none.

    "Zum 1. Juli steigen die Löhne", "ab dem 1. Juli", "bis März", "by June":
    a start or deadline, in news present the coming one; "seit dem 1. Juli",
    "since March": a past one. Only a fallback: a clause in the past ("hatten
    bis zum 14. März gestreikt") has decided before this is asked.
    """
    words = re.findall(r"[\wäöüß]+", sent[max(0, start - 30) : start].lower())[-2:]
    if words and words[-1] in ("dem", "the"):
        words = words[:-1]
    prep = words[-1] if words else ""
    return FUTURE if prep in _SCHEDULE else PAST if prep in _SINCE else UNKNOWN


def _tense_mod(mod: str | None) -> tuple[int, bool]:
    low = (mod or "").lower()
    if low in _FUTURE_MODS:
        return FUTURE, True
    if low in _PAST_MODS:
        return PAST, True
    return UNKNOWN, False


def _build(
    kind: str, m: re.Match[str], sent: Sentence, si: int, lang: str, tenses: TenseReader
) -> Expr | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    start, end = m.start(), m.end()
    text = sent.text[start:end]
    base = Expr(sent.start + start, sent.start + end, text, kind, si)
    if kind in ("date", "range"):
        month = int(g["mn"]) if "mn" in g else _month(g.get("m"))
        day = int(g["d"])
        year = int(g["y"]) if "y" in g else None
        if year is not None and year < 100:
            return None
        if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        if "m" in g and not g["m"][0].isupper():
            return None
        if kind == "date" and m.re is _MDY and lang == "de" and year is None:
            return None  # "im Mai 5 Menschen": German writes the day first
        e = replace(base, year=year, month=month, day=day)
        if "wd" in g:
            e = replace(e, weekday=WEEKDAYS[g["wd"].lower()])
        if kind == "range":
            day2, month2 = int(g["d2"]), _month(g.get("m2")) or month
            if not 1 <= day2 <= 31 or (month2 == month and day2 <= day):
                return None
            e = replace(e, day2=day2, month2=month2)
        return e
    if kind == "month":
        if not g["m"][0].isupper():
            return None
        pre = g.get("pre", "")
        if "y" not in g and not (g.get("part") or g.get("mod") or pre.lower() in _MONTH_CUES):
            return None
        if "pre" in g:  # the cue word is context, not part of the expression
            start = min(m.start(k) for k in ("part", "mod", "m") if k in g)
            base = replace(base, start=sent.start + start, text=sent.text[start:end])
        tense, strict = _tense_mod(g.get("mod"))
        year = int(g["y"]) if "y" in g else None
        return replace(base, month=_month(g["m"]), year=year, tense=tense, strict=strict)
    if kind == "years":
        y1, y2 = int(g.get("y") or g["y3"]), int(g.get("y2") or g["y4"])
        return replace(base, year=y1, year2=y2) if y1 < y2 <= y1 + 200 else None
    if kind in ("year", "decade"):
        if kind == "year" and not _is_year(sent.text, m.start(), m.end(), lang):
            return None
        return replace(base, year=int(g["y"]))
    if kind == "shift":
        n = parse_count(g["n"]) if g["n"].lower() not in ("a", "an") else 1
        if n is None:
            return None
        unit = _unit(g["u"])
        if "dir" not in g and "ago" not in g:
            return None
        direction = g.get("dir", "").lower()
        back = "ago" in g or direction in ("vor", "seit")
        before = sent.text[max(0, m.start() - _FIRST_LOOKBACK_CHARS) : m.start()]
        if direction == "in" and _FIRST_BEFORE.search(before):
            back = True  # "the first visit in 24 years"
        return replace(base, n=-n if back else n, unit=unit)
    if kind == "relunit":
        if "vj" in g:
            return replace(base, unit="year", n=-1)
        mod, part = g["mod"].lower(), g.get("part")
        if mod in ("des", "the") and not part:
            return None
        unit = "weekend" if g["u"].lower().startswith(("wochenende", "weekend")) else _unit(g["u"])
        shift = 1 if mod in _FUTURE_MODS else -1 if mod in _PAST_MODS else 0
        return replace(base, unit=unit, n=shift)
    if kind == "relday":
        word = g["w"].lower()
        if g["w"][0].isupper() and m.start() > 0 and word in ("morgen", "heute"):
            return None  # "am Morgen", "Guten Morgen": the morning, not tomorrow
        if word == "morgen" and _prev_word(sent.text, m.start()) in (
            "heute", "gestern", "vorgestern", "am", "den", "jeden", "guten", "früh", "diesen",
        ):  # fmt: skip
            return None
        offsets = {"vorgestern": -2, "gestern": -1, "heute": 0, "übermorgen": 2, "morgen": 1}
        offsets.update({"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1})
        offsets.update({"the day before yesterday": -2, "the day after tomorrow": 2})
        return replace(base, n=offsets[word])
    if kind == "weekday":
        tense, strict = _tense_mod(g.get("mod"))
        prep = (g.get("prep") or "").lower()
        if tense == UNKNOWN:
            tense = tenses(m.start(), m.end())
        if tense == UNKNOWN and prep in ("seit", "since"):
            tense = PAST
        return replace(base, weekday=WEEKDAYS[g["wd"].lower()], tense=tense, strict=strict)
    return None


# What a sentence must contain before a pattern is worth running: most sentences hold no
# date at all, and the patterns with leading alternations are slow to try everywhere.
_NEEDS: list[frozenset[str]] = [
    frozenset(n.split())
    for n in (
        "digit month",
        "digit month",
        "digit month",
        "digit",
        "digit",
        "digit",
        "digit month",
        "digit month",
        "year month",
        "year",
        "unit",
        "unit",
        "relunit",
        "relday",
        "weekday",
        "month",
        "year",
        "year",
    )
]
_UNIT_WORDS = frozenset(
    "jahrzehnten jahrzehnt jahren jahr monaten monat wochen woche tagen tag decade decades year "
    "years month months week weeks day days".split()
)
_RELUNIT_WORDS = frozenset(
    "woche monat monats jahr jahres jahrs wochenende wochenendes wochenenden week month year "
    "weekend vorjahr".split()
)
_RELDAY_WORDS = frozenset(
    "vorgestern gestern heute übermorgen morgen today yesterday tomorrow tonight".split()
)
_WORD = re.compile(r"\w+")
_FOUR_DIGITS = re.compile(r"\d{4}")
_CacheKey = tuple[str, str, tuple[tuple[int, int], ...]]
_LAST: dict[_CacheKey, list[Expr]] = {}  # the last article: dates and figures both ask for it


def _features(sent: str) -> frozenset[str]:
    low = sent.lower()
    words = set(_WORD.findall(low))
    have = set()
    if any(c.isdigit() for c in sent):
        have.add("digit")
        if _FOUR_DIGITS.search(sent):
            have.add("year")
    if not words.isdisjoint(MONTHS):
        have.add("month")
    if not words.isdisjoint(_UNIT_WORDS):
        have.add("unit")
    if not words.isdisjoint(_RELUNIT_WORDS):
        have.add("relunit")
    if not words.isdisjoint(_RELDAY_WORDS):
        have.add("relday")
    if "tag" in low or "woch" in low or "day" in low or "sonnabend" in low:
        have.add("weekday")
    return frozenset(have)


class _Taken:
    """Disjoint spans already claimed in a sentence, kept sorted for bisection.

    A sentence full of dates made the old list scan quadratic in the dates it holds.
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # spans [0, i) start before ``end``
        return i > 0 and self._ends[i - 1] > start  # disjoint and sorted: ends sorted too

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def find_expressions(text: str, sentences: list[Sentence], lang: str | None = "de") -> list[Expr]:
    """All temporal expressions in text, with the tense of their clause, in text order."""
    lang = "en" if lang == "en" else "de"
    if not sentences and text.strip():
        sentences = split_sentences(text)
    key = (text, lang, tuple((s.start, s.end) for s in sentences))
    if key in _LAST:
        return list(_LAST[key])
    found: list[Expr] = []
    for si, sent in enumerate(sentences):
        taken = _Taken()
        tenses = TenseReader(sent.text, lang)
        have = _features(sent.text)
        for (kind, pattern), needs in zip(_PATTERNS, _NEEDS, strict=True):
            if not needs <= have:
                continue
            for m in pattern.finditer(sent.text):
                if taken.overlaps(m.start(), m.end()):
                    continue
                expr = _build(kind, m, sent, si, lang, tenses)
                if expr is None:
                    continue
                if expr.tense == UNKNOWN and kind != "relday":
                    rel_s, rel_e = expr.start - sent.start, expr.end - sent.start
                    tense = tenses(rel_s, rel_e)
                    if tense == UNKNOWN and kind in _DATED and expr.year is None:
                        tense = _preposition_tense(sent.text, rel_s)
                    expr = replace(expr, tense=tense)
                taken.add(expr.start - sent.start, expr.end - sent.start)
                found.append(expr)
    found.sort(key=lambda e: e.start)
    _LAST.clear()
    _LAST[key] = found
    return list(found)
