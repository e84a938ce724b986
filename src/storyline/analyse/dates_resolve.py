"""Putting a found expression on the calendar, given the publication date.

Tense decides between the past and the coming Tuesday ("sagte am Dienstag" /
"wird ab Dienstag besuchen"), and which year a bare "im Juli" or "18. Juni"
belongs to. Without a publication date only expressions that carry their own
year resolve.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from storyline.analyse.dates_find import Expr
from storyline.analyse.dates_lex import FUTURE, PAST
from storyline.analyse.model import Precision


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _pick_year(pub: date, month: int, day: int, tense: int, strict: bool) -> int:
    """The year that puts (month, day) where the tense says, nearest to publication.

    Past: the latest one on or before publication; future: the first on or after;
    no tense: the nearest. "strict" ("letzten Juli") excludes the current one.
    """
    best: tuple[int, int] | None = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        when = _day(y, month, min(day, calendar.monthrange(y, month)[1]))
        assert when is not None
        delta = (when - pub).days
        if tense == PAST and (delta > 0 or (strict and delta > -1)):
            continue
        if tense == FUTURE and (delta < 0 or (strict and delta < 1)):
            continue
        if best is None or abs(delta) < best[0]:
            best = (abs(delta), y)
    return best[1] if best else pub.year


def _month_year(pub: date, month: int, tense: int, strict: bool) -> int:
    """The year of a bare month name: the past or coming one by tense, else the nearest."""
    diff = month - pub.month
    if tense == PAST:
        return pub.year if diff < 0 or (diff == 0 and not strict) else pub.year - 1
    if tense == FUTURE:
        return pub.year if diff > 0 or (diff == 0 and not strict) else pub.year + 1
    return pub.year - 1 if diff > 6 else pub.year + 1 if diff < -6 else pub.year


def _week(monday: date) -> str:
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _weekday(e: Expr, pub: date) -> date:
    assert e.weekday is not None
    ahead = (e.weekday - pub.weekday()) % 7
    back = (pub.weekday() - e.weekday) % 7
    if e.tense == PAST:
        return pub - timedelta(days=back or (7 if e.strict else 0))
    # Future and present tense: news present for a weekday mostly means the coming one.
    return pub + timedelta(days=ahead or (7 if e.strict else 0))


def _shift(e: Expr, pub: date) -> tuple[str, Precision] | None:
    if e.unit == "day":
        return (pub + timedelta(days=e.n)).isoformat(), "day"
    if e.unit == "week":  # "vor zwei Wochen", "in two weeks": a day, as people count them
        return (pub + timedelta(weeks=e.n)).isoformat(), "day"
    if e.unit == "month":
        y, m = _add_months(pub.year, pub.month, e.n)
        return f"{y:04d}-{m:02d}", "month"
    if e.unit in ("year", "decade"):
        return f"{pub.year + e.n * (10 if e.unit == 'decade' else 1):04d}", "year"
    return None


def _relunit(e: Expr, pub: date) -> tuple[str, Precision] | None:
    if e.unit == "weekend":
        saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
        if e.n < 0 or (e.n == 0 and e.tense == PAST and pub.weekday() < 5):
            saturday -= timedelta(days=7)
        elif e.n > 0 and pub.weekday() >= 5:
            saturday += timedelta(days=7)
        return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}", "range"
    if e.unit == "week":
        return _week(pub - timedelta(days=pub.weekday()) + timedelta(weeks=e.n)), "range"
    return _shift(e, pub)


def resolve(e: Expr, published: date | None) -> tuple[str, Precision] | None:
    """(ISO value, precision) of an expression, or None when it needs a publication date."""
    if e.kind in ("date", "range"):
        assert e.month is not None and e.day is not None
        year = e.year
        if year is None:
            if published is None:
                return None
            year = _pick_year(published, e.month, e.day, e.tense, e.strict)
        first = _day(year, e.month, e.day)
        if first is None:
            return None
        if e.kind == "date":
            return first.isoformat(), "day"
        assert e.month2 is not None and e.day2 is not None
        y2 = year + 1 if e.month2 < e.month else year
        last = _day(y2, e.month2, e.day2)
        return (f"{first.isoformat()}/{last.isoformat()}", "range") if last else None
    if e.kind == "month":
        assert e.month is not None
        year = e.year
        if year is None:
            if published is None:
                return None
            year = _month_year(published, e.month, e.tense, e.strict)
        return f"{year:04d}-{e.month:02d}", "month"
    if e.kind == "year":
        return f"{e.year:04d}", "year"
    if e.kind == "years":
        return f"{e.year:04d}/{e.year2:04d}", "range"
    if e.kind == "decade":
        return f"{e.year:04d}"[:3], "decade"
    if published is None:
        return None
    if e.kind == "weekday":
        return _weekday(e, published).isoformat(), "day"
    if e.kind == "relday":
        return (published + timedelta(days=e.n)).isoformat(), "day"
    if e.kind == "shift":
        return _shift(e, published)
    if e.kind == "relunit":
        return _relunit(e, published)
    return None
