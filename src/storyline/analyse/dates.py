"""Dates on the calendar: temporal expressions resolved against the publication date.

Three parts: the finder (dates_find.py) reads what an expression says and the
tense of its clause; the resolver (dates_resolve.py) puts it on the calendar
relative to the publication date; the inference (dates_infer.py) works the
other way round and dates an undated article from its own text. This module
is the interface the pipeline calls.
"""

from __future__ import annotations

from datetime import date

from storyline.analyse.dates_find import find_expressions
from storyline.analyse.dates_infer import infer_published
from storyline.analyse.dates_resolve import resolve
from storyline.analyse.model import DateMention, Sentence
from storyline.clean.published import parse_date_value

__all__ = ["date_spans", "find_dates", "infer_published"]


def _published(published: str | None) -> date | None:
    if not published:
        return None
    value = parse_date_value(published)
    if value is None or len(value) != 10:
        return None
    return date.fromisoformat(value)


def find_dates(
    text: str, sentences: list[Sentence], published: str | None, lang: str | None = "de"
) -> list[DateMention]:
    """Temporal expressions resolved against the publication date (ISO 'YYYY-MM-DD' or None)."""
    pub = _published(published)
    out: list[DateMention] = []
    for e in find_expressions(text, sentences, lang):
        resolved = resolve(e, pub)
        if resolved is not None:
            out.append(DateMention(e.start, e.end, e.text, resolved[0], resolved[1]))
    return out


def date_spans(
    text: str, sentences: list[Sentence], lang: str | None = "de"
) -> list[tuple[int, int]]:
    """Character spans of every temporal expression, resolvable or not (figures skip them)."""
    return [(e.start, e.end) for e in find_expressions(text, sentences, lang)]
