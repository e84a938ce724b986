"""A story's timeline: dated sentences from its articles, one entry per fact.

Why sentences: an entry must say what happened in the words of a source, not ours. Every
dated mention in the story's articles offers its sentence as a candidate; an article
offers only its first sentence for each date (the lead tells the happening; later
sentences about the same day add detail). Candidates from several articles become one
entry when their dates agree (equal, or one inside the other: "Juli 2000" and the "vor 24
Jahren" of an article from 2024) and their sentences name the same things: a distinctive
entity, or two of any; the same day in reports of one event is one entry (each report's
first sentence for that day tells the same happening). Background facts sit at their own
dates: a 2000 visit recalled in a 2024 article is an entry at 2000.

What is no entry (issue 16): a date inside a direct quote ("we won't wait until 2027") or
in a forecast (analyse/preview.py) is what someone says or expects, not a happening. One
sentence is one entry: a sentence naming two dates sits at the one most sources share. An
entry names only the outlets whose sentence states its date (a month mention does not
make an outlet a source of a day inside that month).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from storyline.analyse.preview import is_forecast_sentence
from storyline.analyse.sentences import split_sentences
from storyline.records import TimelineEntryRecord, TimelineSource
from storyline.store import Store
from storyline.store.stories import (
    StoryText,
    article_dates,
    direct_quote_spans,
    linked_mentions,
    story_texts,
)
from storyline.stories.dating import interval

_YEAR = re.compile(r"\d{4}")  # a date that carries its year needs no publication date
_PRECISION_ORDER = {"day": 0, "range": 1, "month": 2, "year": 3, "decade": 4}


@dataclass
class _Candidate:
    article: str
    event: str | None
    outlet: str | None
    published: str | None
    value: str
    precision: str
    lo: date
    hi: date
    start: int
    end: int
    text: str
    entities: frozenset[str]
    at: int = 0  # where the date itself starts
    #: The date was resolved against an inferred publication date ("am Dienstag" in an
    #: article whose own date is inferred): as unsure as that date.
    inferred: bool = False


@dataclass
class TimelineEntry:
    """One fact on a story's timeline, with every source that reports it."""

    story: str
    date: str
    precision: str
    text: str
    sources: list[TimelineSource] = field(default_factory=list)
    #: Every source's date for it rests on an inferred publication date.
    inferred: bool = False

    def to_dict(self) -> TimelineEntryRecord:
        return {
            "story": self.story,
            "date": self.date,
            "precision": self.precision,
            "text": self.text,
            "sources": self.sources,
            "inferred": self.inferred,
        }


@dataclass(frozen=True)
class _Parts:
    """What the timeline reads of a story's articles, fetched once for all of them."""

    mentions: dict[str, list[tuple[int, str]]]
    dates: dict[str, list[Any]]
    quoted: dict[str, list[tuple[int, int]]]

    @classmethod
    def of(cls, store: Store, ids: list[str]) -> _Parts:
        return cls(
            linked_mentions(store, ids), article_dates(store, ids), direct_quote_spans(store, ids)
        )


def _candidates(parts: _Parts, article: StoryText) -> list[_Candidate]:
    text = article["text"]
    sentences = split_sentences(text)
    mentions = parts.mentions[article["id"]]
    rows = parts.dates[article["id"]]
    quoted = parts.quoted[article["id"]]
    seen: set[str] = set()
    out: list[_Candidate] = []
    for r in rows:
        span = interval(r["value"])
        if span is None or r["value"] in seen or _vague(r["value"], span[0], span[1]):
            continue
        if any(a <= r["start"] and r["end"] <= b for a, b in quoted):
            continue  # what someone says will or won't happen by then
        sent = next((s for s in sentences if s.start <= r["start"] < s.end), None)
        if sent is None or is_forecast_sentence(sent.text, article.get("lang")):
            continue
        seen.add(r["value"])
        ents = frozenset(m[1] for m in mentions if sent.start <= m[0] < sent.end)
        out.append(
            _Candidate(
                article["id"],
                article["event_id"],
                article["outlet"],
                article["published"],
                r["value"],
                r["precision"],
                span[0],
                span[1],
                sent.start,
                sent.end,
                sent.text.strip(" •*-–\t"),
                ents,
                r["start"],
                article.get("published_source") == "inferred" and not _YEAR.search(r["text"]),
            )
        )
    return _drop_inner(out)


def _vague(value: str, lo: date, hi: date) -> bool:
    """Weeks and other spans of days ("diese Woche") date nothing a reader can place."""
    days = (hi - lo).days
    return "/" in value and 2 < days < 300


def _drop_inner(cands: list[_Candidate]) -> list[_Candidate]:
    """In one sentence, a day inside a range it also names is the same date twice."""
    out = []
    for c in cands:
        inner = any(
            o is not c
            and o.start == c.start
            and o.lo <= c.lo
            and c.hi <= o.hi
            and (o.lo, o.hi) != (c.lo, c.hi)
            for o in cands
        )
        if not inner:
            out.append(c)
    return out


def _compatible(a: _Candidate, b: _Candidate) -> bool:
    """One date inside the other."""
    return (a.lo <= b.lo and b.hi <= a.hi) or (b.lo <= a.lo and a.hi <= b.hi)


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    # cached: grouping compares each candidate sentence with many others
    return frozenset(w.lower() for w in re.findall(r"\w{4,}", text))


def _related(a: _Candidate, b: _Candidate, common: frozenset[str]) -> bool:
    if a.value == b.value and a.precision in ("month", "year", "decade"):
        return True
    wa, wb = _words(a.text), _words(b.text)
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.4:
        return True  # the same sentence, as in a syndicated copy
    shared = a.entities & b.entities
    if a.precision in ("year", "decade") or b.precision in ("year", "decade"):
        return bool(shared)  # a bare year next to a precise date of it: one name suffices
    if a.event == b.event and a.value == b.value and a.precision == "day":
        return True  # the same day in reports of one event: the first sentences tell one happening
    return bool(shared - common) or len(shared) >= 2


def build_timeline(store: Store, story: str) -> list[TimelineEntry]:
    """The story's timeline, oldest first."""
    articles = story_texts(store, story)
    parts = _Parts.of(store, [a["id"] for a in articles])
    cands = [c for a in articles for c in _candidates(parts, a)]
    named = Counter(e for a in articles for e in {e for _, e in parts.mentions[a["id"]]})
    common = frozenset(
        e for e, n in named.items() if len(articles) >= 3 and n >= 0.8 * len(articles)
    )
    groups: list[list[_Candidate]] = []
    # most precise first, so coarse mentions join the precise entries they belong to; a
    # range ("18. und 19. Juni") gathers the entries of the days inside it
    for c in sorted(cands, key=lambda c: (_PRECISION_ORDER.get(c.precision, 5), c.lo, c.article)):
        homes = [
            g for g in groups if _compatible(g[0], c) and any(_related(x, c, common) for x in g)
        ]
        if not homes:
            groups.append([c])
            continue
        if len(homes) > 1 and not (c.precision in ("day", "range") and (c.hi - c.lo).days <= 2):
            # only a span of days gathers several entries; a month names no one of them
            homes = [max(homes, key=lambda g: sum(_related(x, c, common) for x in g))]
        merged = [x for g in homes for x in g] + [c]
        groups = [g for g in groups if not any(g is h for h in homes)] + [merged]
    entries = [_entry(story, g) for g in _one_place_per_sentence(groups)]
    return sorted(entries, key=lambda e: (interval(e.date) or (date.max,))[0].isoformat())


def _one_place_per_sentence(groups: list[list[_Candidate]]) -> list[list[_Candidate]]:
    """Each sentence in one group only: at the date it names first.

    Why: "rückwirkend zum 1. Juli … ab dem 1. April 2026" offered its sentence at both
    dates, and the timeline told the same sentence twice. The first date is the one the
    sentence is about ("continued their strike on Thursday, the fourth day of the walkout
    that began on Monday, March 3"); the later ones qualify it."""
    home: dict[tuple[str, int], tuple[int, int]] = {}
    for i, g in enumerate(groups):
        for c in g:
            key = (c.article, c.start)
            if key not in home or c.at < home[key][0]:
                home[key] = (c.at, i)
    out = []
    for i, g in enumerate(groups):
        kept = [c for c in g if home[(c.article, c.start)][1] == i]
        if kept:
            out.append(kept)
    return out


def _entry(story: str, group: list[_Candidate]) -> TimelineEntry:
    fine = [c for c in group if c.precision in ("day", "range") and (c.hi - c.lo).days <= 14]
    if fine:  # the days the precise mentions cover
        lo, hi = min(c.lo for c in fine), max(c.hi for c in fine)
        value = lo.isoformat() if lo == hi else f"{lo.isoformat()}/{hi.isoformat()}"
        precision = "day" if lo == hi else "range"
        said = [c for c in fine if (c.lo, c.hi) == (lo, hi)] or fine
    else:
        head = min(group, key=lambda c: (_PRECISION_ORDER.get(c.precision, 5), c.hi - c.lo))
        value, precision = head.value, head.precision
        said = [c for c in group if c.value == value]
    voice = min(said, key=lambda c: (c.published or "9999", len(c.text)))
    span = interval(value)
    lo, hi = (span[0], span[1]) if span else (voice.lo, voice.hi)
    stating = [c for c in group if lo <= c.lo and c.hi <= hi] or said
    sources: list[TimelineSource] = []
    cited = set()
    for c in sorted(stating, key=lambda c: (c.published or "9999", c.article, c.start)):
        if (c.article, c.start) not in cited:
            cited.add((c.article, c.start))
            sources.append(
                {"article": c.article, "outlet": c.outlet, "start": c.start, "end": c.end}
            )
    inferred = all(c.inferred for c in stating)
    return TimelineEntry(story, value, precision, voice.text, sources, inferred)
