"""When was an undated article written? Inferred from the dates in its own text.

Clues, strongest first:

1. A relative day explained by a date beside it: "morgen und übermorgen
   (18. und 19. Juni)" gives the 17th, "heute (Mittwoch, 13. September)" the 13th.
2. "vor/seit N Jahren" (or months) paired with an explicit past date of the
   same article: "seit 24 Jahren" and "im Juli 2000" give 2024.
3. The latest explicit date told in the past is a lower bound, and news is
   written close after it; weekdays in the text ("sagte am Mittwoch", "wird
   ab Dienstag") then pick the day: news names weekdays only within a week of
   publication, so the publication weekday is the one that puts every
   mentioned weekday, in its tense, closest.

Clues that pin no year at all (a bare "am Dienstag", "im Juli") give nothing:
without a year the text does not allow a date, and we return None rather
than guess. Confidence says how much of the date the text pinned.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from storyline.analyse.dates_find import Expr, find_expressions
from storyline.analyse.dates_lex import FUTURE, PAST
from storyline.analyse.model import Sentence
from storyline.analyse.preview import preview_sentences
from storyline.analyse.sentences import split_sentences

#: Sentences that make the lead: a past date there is the news itself, not a recall.
LEAD_SENTENCES = 2
#: How many days before the date it announces a preview is looked for.
PREVIEW_LEAD_DAYS = 14
#: Confidence of a date only an announced date bounds: the lowest that is still stored.
PREVIEW_ONLY_CONFIDENCE = 0.3

_GLUE = re.compile(r"^[\s,(]*(?:und|oder|bzw\.|and|or|,|\(|–|-)?[\s,(]*$")
_OPEN_ENDED = re.compile(r"(?:bis|until|by|ab|from|spätestens|zum|per)\s*$", re.I)
# The same words at the start of the expression itself ("zum 1. April 2026"): a
# scheduled or deadline date, which may lie after publication.
_OPEN_START = re.compile(r"(?:bis|until|by|ab|from|spätestens|zum|per)\b", re.I)


def _first_day(e: Expr) -> date | None:
    """Earliest day an explicit (year-bearing) expression covers."""
    if e.year is None or e.kind in ("decade",):
        return None
    try:
        return date(e.year, e.month or 1, e.day or 1)
    except ValueError:
        return None


def explicit_bounds(
    exprs: list[Expr], text: str, previews: frozenset[int] = frozenset()
) -> tuple[date | None, date | None, Expr | None]:
    """(lower bound, upper bound, the expression giving the lower bound) from year-bearing dates.

    Only day or month precision counts for the lower bound here: a bare year
    ("seit 2019") says too little of how recent the article is. A date in a sentence
    that announces something (``previews``, indices of sentences, see analyse/preview.py)
    and is not told in the past is the announced date: an upper bound, whatever tense
    the clause guess found ("Das Treffen soll am 3. März 2025 stattfinden").
    """
    lo: date | None = None
    hi: date | None = None
    lo_expr: Expr | None = None
    for e in exprs:
        first = _first_day(e)
        if first is None or e.kind in ("year", "years"):
            continue
        scheduled = _OPEN_ENDED.search(text[max(0, e.start - 12) : e.start]) or (
            _OPEN_START.match(e.text)
        )
        announced = e.sentence in previews and e.tense != PAST
        if e.tense == FUTURE or scheduled or announced:
            if (e.tense == FUTURE or announced) and (hi is None or first < hi):
                hi = first
            continue
        if lo is None or first > lo:
            lo, lo_expr = first, e
    return lo, hi, lo_expr


def _latest_year(exprs: list[Expr]) -> int | None:
    years = [
        e.year2 or e.year for e in exprs if e.year and e.tense != FUTURE and e.kind != "decade"
    ]
    return max((y for y in years if y), default=None)


def _exact(exprs: list[Expr], text: str) -> list[tuple[Expr, Expr]]:
    """Pairs (relative day, date) where the date explains the relative day."""
    pairs = []
    for i, rel in enumerate(exprs):
        if rel.kind != "relday" or (i > 0 and exprs[i - 1].kind == "relday"):
            continue
        j = i + 1
        while j < len(exprs) and exprs[j].kind == "relday":
            j += 1
        for k in (j, i - 1):
            if not 0 <= k < len(exprs):
                continue
            d = exprs[k]
            if d.kind not in ("date", "range", "weekday") or d.sentence != rel.sentence:
                continue
            between = text[exprs[j - 1].end : d.start] if k == j else text[d.end : rel.start]
            if len(between) <= 12 and _GLUE.match(between.replace(")", "")):
                pairs.append((rel, d))
                break
    return pairs


def _year_for(month: int, day: int, offset: int, weekday: int | None, floor: date | None,
              latest_year: int | None) -> int | None:  # fmt: skip
    """The first year from the article's own clues in which the date fits."""
    start = floor.year if floor else latest_year
    if start is None:
        return None
    for y in range(start, start + 8):
        try:
            when = date(y, month, day)
        except ValueError:
            continue
        if floor and when - timedelta(days=offset) < floor:
            continue
        if weekday is None or when.weekday() == weekday:
            return y
    return None


def _anchor_years(exprs: list[Expr], floor_year: int) -> tuple[int, int | None, Expr] | None:
    """(year, month or None, the shift expression) from "vor/seit N Jahren" + an explicit date."""
    shifts = [e for e in exprs if e.kind == "shift" and e.n < 0 and e.unit in ("year", "decade")]
    dated = [e for e in exprs if e.year and e.kind in ("date", "month", "year", "range")]
    best: tuple[int, int | None, Expr] | None = None
    for s in shifts:
        years = -s.n * (10 if s.unit == "decade" else 1)
        for d in dated:
            assert d.year is not None
            y = d.year + years
            if y >= floor_year and (best is None or y < best[0]):
                best = (y, d.month, s)
    return best


def weekday_cost(p: date, weekdays: list[Expr]) -> int:
    cost = 0
    for w in weekdays:
        assert w.weekday is not None
        ahead, back = (w.weekday - p.weekday()) % 7, (p.weekday() - w.weekday) % 7
        cost += back if w.tense == PAST else ahead if w.tense == FUTURE else min(ahead, back)
    return cost


def _best_day(lo: date, hi: date, target: date, per_day: float, weekdays: list[Expr]) -> date:
    best: tuple[float, date] | None = None
    day = lo
    while day <= hi:
        score = abs((day - target).days) * per_day + weekday_cost(day, weekdays)
        if best is None or score < best[0]:
            best = (score, day)
        day += timedelta(days=1)
    assert best is not None
    return best[1]


def infer_published(
    text: str, sentences: list[Sentence], lang: str | None = "de"
) -> tuple[str, float, str] | None:
    """(ISO date, confidence 0..1, evidence sentence) inferred from the article's own text."""
    if not sentences and text.strip():
        sentences = split_sentences(text)
    exprs = find_expressions(text, sentences, lang)
    if not exprs:
        return None
    previews = frozenset(preview_sentences(sentences, lang))
    lo, hi, lo_expr = explicit_bounds(exprs, text, previews)
    latest_year = _latest_year(exprs)
    weekdays = [e for e in exprs if e.kind == "weekday" and not e.strict]

    for rel, d in _exact(exprs, text):
        if d.kind == "weekday":
            continue
        assert d.month is not None and d.day is not None
        year = d.year
        if year is None:
            year = _year_for(d.month, d.day, rel.n, d.weekday, lo, latest_year)
            if year is None:
                continue
        try:
            when = date(year, d.month, d.day) - timedelta(days=rel.n)
        except ValueError:
            continue
        confidence = 0.9 if d.year is not None else 0.75
        return when.isoformat(), confidence, sentences[rel.sentence].text

    # A weekday named beside "heute"/"gestern" fixes the publication weekday.
    for rel, d in _exact(exprs, text):
        if d.kind == "weekday" and d.weekday is not None:
            fixed = Expr(d.start, d.end, d.text, "weekday", d.sentence,
                         weekday=(d.weekday - rel.n) % 7, tense=PAST)  # fmt: skip
            weekdays = [fixed] * 5 + weekdays

    floor_year = lo.year if lo else (latest_year or 0)
    anchor = _anchor_years(exprs, floor_year) if latest_year else None
    if anchor is not None:
        year, month, shift = anchor
        start = max(lo or date(year, 1, 1), date(year, 1, 1))
        end = min(hi or date(year, 12, 31), date(year, 12, 31))
        if start <= end:
            target = date(year, month, 1) if month else start + (end - start) / 2
            target = min(max(target, start), end)
            day = _best_day(start, end, target, 0.05, weekdays)
            return day.isoformat(), 0.35, sentences[shift.sentence].text
    if lo is not None and lo_expr is not None:
        end = min(hi or lo + timedelta(days=60), lo + timedelta(days=60))
        per_day = 0.5 if lo_expr.kind in ("date", "range") else 0.1
        target = lo if lo_expr.kind in ("date", "range") else lo + timedelta(days=14)
        day = _best_day(lo, max(end, lo), target, per_day, weekdays)
        agree = (
            lo_expr.kind in ("date", "range")
            and day == lo
            and any(w.tense == PAST and w.weekday == lo.weekday() for w in weekdays)
        )
        confidence = 0.55 if agree else 0.3 if lo_expr.kind in ("date", "range") else 0.2
        if lo_expr.sentence >= LEAD_SENTENCES and lo_expr.tense == PAST:
            # "Zur Erinnerung: Am 2. April 2025 hatte …" recalls an older happening: a
            # lower bound only, and the article may be weeks later (a weekday of the text
            # falling on that date's weekday is chance, one in seven)
            confidence = 0.2
        return day.isoformat(), confidence, sentences[lo_expr.sentence].text
    if hi is not None and previews:
        # Only an announced date: the article came in the days before it (a preview is
        # written within a week or two of what it announces), weekdays pick the day.
        start = hi - timedelta(days=PREVIEW_LEAD_DAYS)
        day = _best_day(start, hi - timedelta(days=1), hi - timedelta(days=2), 0.1, weekdays)
        return day.isoformat(), PREVIEW_ONLY_CONFIDENCE, sentences[min(previews)].text
    return None
