"""Previews and forecasts: sentences that speak of what has not happened yet.

Why: an article announcing a visit ("Putin reist bald …", "will visit next week",
"soll am … stattfinden") was written before the visit. Dating it by weekdays alone put
such a preview days after the event it announces, and its weekdays then landed after the
event too. The date inference reads the preview sentences found here as evidence that the
publication precedes the announced date.

A forecast ("won't wait until 2027", "bis 2030 soll …") names a horizon, not a
happening: the timeline leaves dates in such sentences out.

The cues are data (``data/preview_cues.tsv``, ``data/forecast_cues.tsv``) in German,
English, French, Italian and Spanish; a language without rows falls back to all rows,
since machine-translated text mixes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from storyline.analyse.model import Sentence
from storyline.datafiles import data_rows

#: How much of a long sentence a cue is searched in (cues sit near the verb; a sentence
#: of megabytes must not cost a regex pass over all of it).
_MAX_SENTENCE_CHARS = 1200


@cache
def _cues(name: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    by_lang: dict[str, list[re.Pattern[str]]] = {}
    for row in data_rows("storyline.analyse", name):
        if len(row) != 2:
            raise ValueError(f"{name}: malformed row {row!r}")
        by_lang.setdefault(row[0], []).append(re.compile(row[1], re.IGNORECASE))
    return {lang: tuple(pats) for lang, pats in by_lang.items()}


def _patterns(name: str, lang: str | None) -> tuple[re.Pattern[str], ...]:
    table = _cues(name)
    if lang and lang in table:
        return table[lang]
    return tuple(p for pats in table.values() for p in pats)


def _hits(name: str, text: str, lang: str | None) -> bool:
    head = text[:_MAX_SENTENCE_CHARS]
    return any(p.search(head) for p in _patterns(name, lang))


def is_preview_sentence(text: str, lang: str | None) -> bool:
    """The sentence announces something still to come (a visit, a meeting, a vote)."""
    return _hits("preview_cues.tsv", text, lang)


def is_forecast_sentence(text: str, lang: str | None) -> bool:
    """The sentence forecasts or sets a horizon ("bis 2030", "won't wait until 2027")."""
    return _hits("forecast_cues.tsv", text, lang)


def preview_sentences(sentences: Sequence[Sentence], lang: str | None) -> list[int]:
    """Indices of the sentences that announce something still to come."""
    return [i for i, s in enumerate(sentences) if is_preview_sentence(s.text, lang)]


def is_preview(sentences: Sequence[Sentence], lang: str | None, lead: int = 3) -> bool:
    """The article is a preview: its lead (first ``lead`` sentences) announces something.

    Why the lead: news puts its news first; a report of a visit that mentions the next one
    in paragraph nine is not a preview of it.
    """
    return any(i < lead for i in preview_sentences(sentences[:lead], lang))


__all__ = [
    "is_forecast_sentence",
    "is_preview",
    "is_preview_sentence",
    "preview_sentences",
]
