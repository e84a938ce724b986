"""What the learned article similarity reads of one article (issue 16).

Why more than one vector: title + lead (stories/embed.py) says which event an article
reports, but two articles of one story often share their lead's topic and differ in
the body (or the other way round: a generic lead over a specific story). So the whole
article is embedded in windows of whole sentences, and the names, dates and figures the
analysis finds are kept as sets to compare exactly (a cosine cannot tell Hamburg from
Bremen; a set of places can).

A profile is built from an :class:`~storyline.analyse.model.Analysis` (names, dates and
figures) and the encoder (lead and window vectors). Building it is the costly part; the
pair features (stories/pair_features.py) are cheap set and matrix operations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from storyline.analyse.model import Analysis
from storyline.stories.embed import Matrix, article_text

#: characters of whole sentences per window: about 100 tokens, short enough that one
#: window is about one thing, long enough that a window is more than a fragment
WINDOW_CHARS = 400
#: windows embedded per article at most: an article's first 16 windows (~6,400 chars)
#: cover all but the longest reports, and cost grows linearly with them
MAX_WINDOWS = 16
#: names shorter than this are dropped (initials and tagger fragments match by chance)
MIN_NAME_CHARS = 3
#: figures this small are everywhere (counts of one or two things, list numbers)
MIN_FIGURE = 10.0

_YEAR = re.compile(r"^(\d{4})")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Profile:
    """One article as the learned similarity sees it.

    `lead` is the title + lead vector the store keeps (stories/embed.py); `windows` are
    the vectors of consecutive windows of the whole text ([k, 384], k >= 1). Names are
    normalised keys (lowercase, accents folded) so an English and a German text naming
    "Olaf Scholz" or "Gütersloh" meet; `surnames` are the last word of each person's
    name (a follow-up often names "Scholz" alone).
    """

    lead: Matrix
    windows: Matrix
    language: str | None = None
    places: frozenset[str] = field(default_factory=frozenset)
    people: frozenset[str] = field(default_factory=frozenset)
    surnames: frozenset[str] = field(default_factory=frozenset)
    organisations: frozenset[str] = field(default_factory=frozenset)
    days: frozenset[str] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)
    figures: frozenset[str] = field(default_factory=frozenset)
    published: date | None = None


def name_key(name: str) -> str:
    """A name compared across texts and languages: lowercase, accents and punctuation
    folded ("Gütersloh" and "Guetersloh" stay apart, "Gütersloh" and "Gutersloh" meet;
    machine translation drops umlauts more often than it spells them out)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain).split())


def windows(text: str, sentences: Sequence[tuple[int, int]]) -> list[str]:
    """Consecutive windows of whole sentences of about `WINDOW_CHARS` each (a longer
    sentence is a window of its own), at most `MAX_WINDOWS`; the whole text when it
    has no sentences."""
    out: list[str] = []
    start: int | None = None
    end = 0
    for s, e in sentences:
        if start is not None and e - start > WINDOW_CHARS:
            out.append(" ".join(text[start:end].split()))
            start = None
            if len(out) >= MAX_WINDOWS:
                break
        if start is None:
            start = s
        end = e
    if start is not None and len(out) < MAX_WINDOWS:
        out.append(" ".join(text[start:end].split()))
    out = [w for w in out if w]
    return out or [" ".join(text.split())[: WINDOW_CHARS * 2]]


def _names(analysis: Analysis, label: str) -> frozenset[str]:
    """Normalised names of the analysis's entities of one type, with their variants."""
    out: set[str] = set()
    for entity in analysis.entities:
        if entity.type != label:
            continue
        for name in (entity.name, *entity.aliases):
            key = name_key(name)
            if len(key) >= MIN_NAME_CHARS:
                out.add(key)
    return frozenset(out)


def _figure(value: float, unit: str | None) -> str | None:
    """A figure's key: value (3 significant digits) and unit; small counts are dropped."""
    if not np.isfinite(value) or abs(value) < MIN_FIGURE:
        return None
    return f"{float(f'{value:.3g}'):g} {unit or ''}".strip()


@dataclass(frozen=True)
class Facts:
    """The sets a profile compares, as one analysis gives them."""

    places: frozenset[str]
    people: frozenset[str]
    surnames: frozenset[str]
    organisations: frozenset[str]
    days: frozenset[str]
    years: frozenset[int]
    figures: frozenset[str]


def facts(analysis: Analysis) -> Facts:
    """Names by type, surnames, days, years and figures of one analysis."""
    people = _names(analysis, "PER")
    years: set[int] = set()
    for d in analysis.dates:
        m = _YEAR.match(d.value)
        if m:
            years.add(int(m.group(1)))
    figures = {_figure(q.value, q.unit) for q in analysis.quantities}
    return Facts(
        places=_names(analysis, "LOC"),
        people=people,
        surnames=frozenset(p.split()[-1] for p in people if len(p.split()) > 1),
        organisations=_names(analysis, "ORG"),
        days=frozenset(d.value for d in analysis.dates if _DAY.match(d.value)),
        years=frozenset(years),
        figures=frozenset(f for f in figures if f is not None),
    )


def build(
    analysis: Analysis,
    lead: Matrix,
    window_vectors: Matrix,
    *,
    published: date | None = None,
) -> Profile:
    """A profile from an article's analysis and its vectors."""
    f = facts(analysis)
    return Profile(
        lead=np.asarray(lead, dtype=np.float32),
        windows=np.asarray(window_vectors, dtype=np.float32).reshape(-1, lead.shape[-1]),
        language=analysis.lang,
        places=f.places,
        people=f.people,
        surnames=f.surnames,
        organisations=f.organisations,
        days=f.days,
        years=f.years,
        figures=f.figures,
        published=published,
    )


def profiles(
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    *,
    languages: Sequence[str | None] | None = None,
    published: Sequence[date | None] | None = None,
) -> list[Profile]:
    """Profiles of many articles: one analysis each, then all windows in one encoder batch
    (the engine is faster on batches)."""
    from storyline.analyse.run import analyze
    from storyline.stories.embed import get_backend

    n = len(texts)
    heads = list(titles) if titles is not None else [None] * n
    langs = list(languages) if languages is not None else [None] * n
    days = list(published) if published is not None else [None] * n
    analyses = [
        analyze(_with_title(t, h), lang=lang, published=d.isoformat() if d else None)
        for t, h, lang, d in zip(texts, heads, langs, days, strict=True)
    ]
    spans = [[(s.start, s.end) for s in a.sentences] for a in analyses]
    wins = [windows(a.text, sp) for a, sp in zip(analyses, spans, strict=True)]
    leads = [article_text(t, h) for t, h in zip(texts, heads, strict=True)]
    encoder = get_backend("e5")
    flat = [w for ws in wins for w in ws]
    vectors = encoder.encode(leads + flat)
    out: list[Profile] = []
    at = n
    for i, a in enumerate(analyses):
        k = len(wins[i])
        out.append(build(a, vectors[i], vectors[at : at + k], published=days[i]))
        at += k
    return out


def _with_title(text: str, title: str | None) -> str:
    if title and not text.startswith(title):
        return f"{title}.\n\n{text}"
    return text
