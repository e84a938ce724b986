"""What other articles of a story state: the facts an article is dated against.

Why a module of its own: the facts carry how their article relates to them (issue 16):
a date after the article's publication is an event it announces, a date in the days just
before it is the news of a report. A preview is dated before both (stories/dating.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from storyline.analyse.preview import is_preview
from storyline.analyse.sentences import split_sentences

if TYPE_CHECKING:
    from storyline.store.stories import DateRow


@dataclass(frozen=True)
class Fact:
    """A date another article of the story states (or its publication date)."""

    lo: date
    hi: date
    precision: str  # "day" (days and short ranges), "month" or "year"
    entities: frozenset[str]
    article: str
    text: str
    #: The date lies after its article's publication: an event that article announces.
    announced: bool = False
    #: The date is the news of its article (a report, not a preview, of the days just
    #: before its publication): what a preview of it was written before.
    recent: bool = False


@dataclass(frozen=True)
class ContextDate:
    value: str
    confidence: float
    evidence: str


#: A report's dates this many days before its publication are its news (see Fact.recent).
RECENT_DAYS = 2


def facts_of(
    article: str,
    published: date | None,
    rows: Sequence[DateRow],
    keep: set[tuple[int, int]] | None = None,
) -> list[Fact]:
    """The facts of one article's stored dates (``rows``: start, end, value, text, entities,
    article_text, lang), those in ``keep`` only when given; marked announced (after the
    article's publication) or recent (its news, in a report that is no preview)."""
    preview = bool(rows) and is_preview(split_sentences(rows[0]["article_text"]), rows[0]["lang"])
    facts = []
    for row in rows:
        if keep is not None and (row["start"], row["end"]) not in keep:
            continue
        span = interval(row["value"])
        if span is None:
            continue
        lo = span[0]
        facts.append(
            Fact(
                lo,
                span[1],
                span[2],
                row["entities"],
                article,
                row["text"],
                announced=published is not None and lo > published,
                recent=published is not None
                and not preview
                and published - timedelta(days=RECENT_DAYS) <= lo <= published,
            )
        )
    return facts


def interval(value: str) -> tuple[date, date, str] | None:
    """(first day, last day, coarse precision) of a stored date value, None for decades."""
    try:
        if "/" in value:
            a, b = value.split("/", 1)
            ia, ib = interval(a), interval(b)
            if ia is None or ib is None:
                return None
            span = (ib[1] - ia[0]).days
            return ia[0], ib[1], "day" if span <= 2 else "month" if span <= 62 else "year"
        if len(value) == 10:
            d = date.fromisoformat(value)
            return d, d, "day"
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:])
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), nxt - timedelta(days=1), "month"
        if len(value) == 4:
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31), "year"
    except ValueError:
        return None
    return None


def day_of(value: str | None) -> date | None:
    """The day a stored publication date names ("2024-06-17", or its first 10 characters)."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


__all__ = ["RECENT_DAYS", "ContextDate", "Fact", "day_of", "facts_of", "interval"]
