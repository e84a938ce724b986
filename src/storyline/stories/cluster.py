"""Events and stories: each article joins the story it continues, then the event it reports.

Why story first: articles of one story are alike in every signal except time (a strike
announced in March and settled in June share the union, the company and the words), so
similarity finds the story and time splits it into events. Time is often missing from
the article itself, and the story is where it can be found (stories/dating.py): so an
article joins a story, is dated against the story, and then joins the event whose days
it shares, or opens one.

The decisions are greedy and incremental: articles are added one at a time, in
publication order when many come at once, and never re-decided unless the whole store
is reclustered (`recluster` in stories/job.py). Every decision is logged with the
numbers behind it.

Similarity is the calibrated e5 score of stories/similarity.py (1 = same story). A
story needs similar articles *and* shared entities (two strikes in two ports read
alike but name different unions); very high similarity alone also suffices, because
a translation or rewrite may name the same people in forms the resolver keeps apart.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from storyline.settings import (
    EVENT_MAX_DAYS,
    EVENT_SIMILARITY,
    STORY_ENTITY_OVERLAP,
    STORY_SIMILARITY,
    STORY_SIMILARITY_ALONE,
)
from storyline.stories.embed import Matrix
from storyline.stories.similarity import CALIBRATIONS

Interval = tuple[date, date]
CONFIDENT = 0.5  # publication dates at or above this confidence date an event precisely
_TOP = 3  # a cluster's score for an article: mean of its best `_TOP` similarities
_UNDATED_EVENT_SIMILARITY = 0.85


@dataclass
class Item:
    """An article as clustering sees it."""

    id: str
    vector: Matrix
    lang: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    confidence: float = 0.0
    duplicate_of: str | None = None
    entities: dict[str, float] = field(default_factory=dict)
    announced: list[Interval] = field(default_factory=list)  # days it says lie ahead
    months: list[Interval] = field(default_factory=list)  # months it names around p
    days: list[date] = field(default_factory=list)  # every single day it names

    def intervals(self) -> list[Interval]:
        """The days this article's happening may fall on (empty when undated)."""
        p = self.published
        if p is None:
            return []
        if self.confidence >= CONFIDENT:
            return [(p - timedelta(days=1), p + timedelta(days=1)), *self.announced]
        return [(p - timedelta(days=3), p + timedelta(days=3)), *self.announced, *self.months]

    def core(self) -> list[Interval]:
        """The days an event of this article certainly spans (precisely dated only)."""
        if self.published is None or self.confidence < CONFIDENT:
            return []
        return [(self.published, self.published), *self.announced]


@dataclass(frozen=True)
class LogEntry:
    kind: str  # "event" | "story"
    action: str  # "open" | "join" | "move" | "merge" | "split" | "recluster"
    cluster: str
    subject: str | None
    evidence: dict[str, Any]


def _overlaps(a: Iterable[Interval], b: Iterable[Interval], slack: int = 1) -> bool:
    pad = timedelta(days=slack)
    bl = list(b)
    return any(x0 - pad <= y1 and y0 - pad <= x1 for x0, x1 in a for y0, y1 in bl)


def _span(intervals: Iterable[Interval]) -> int:
    spans = list(intervals)
    if not spans:
        return 0
    return (max(s[1] for s in spans) - min(s[0] for s in spans)).days


def _mean_top(values: Iterable[float], k: int = _TOP) -> float:
    best = sorted(values, reverse=True)[:k]
    return float(sum(best) / len(best)) if best else 0.0


class Clusters:
    """The events and stories of a store in memory, and the log of what changed."""

    def __init__(self) -> None:
        self.items: dict[str, Item] = {}
        self.event_of: dict[str, str] = {}
        self.events: dict[str, list[str]] = {}
        self.story_of: dict[str, str] = {}  # event -> story
        self.log: list[LogEntry] = []
        self.touched: set[str] = set()  # events whose members changed
        self._ids: list[str] = []
        self._vectors: list[Matrix] = []
        self._matrix: Matrix | None = None
        self._df: Counter[str] = Counter()

    # -- state ------------------------------------------------------------------

    def load(self, item: Item, event: str, story: str) -> None:
        """Put a stored assignment back, without logging it."""
        self._remember(item)
        self.event_of[item.id] = event
        self.events.setdefault(event, []).append(item.id)
        self.story_of[event] = story

    def _remember(self, item: Item) -> None:
        if item.id not in self.items:
            self._ids.append(item.id)
            self._vectors.append(np.asarray(item.vector, dtype=np.float32))
            self._matrix = None
            self._df.update(item.entities.keys())
        self.items[item.id] = item

    def stories(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for event in sorted(self.events):
            out.setdefault(self.story_of[event], []).append(event)
        return out

    def story_articles(self, story: str) -> list[str]:
        return [a for e, s in self.story_of.items() if s == story for a in self.events[e]]

    # -- similarity ---------------------------------------------------------------

    def similarities(self, item: Item) -> dict[str, float]:
        """Calibrated similarity of `item` to every assigned article."""
        if not self._ids:
            return {}
        if self._matrix is None:
            self._matrix = np.vstack(self._vectors)
        cos = self._matrix @ np.asarray(item.vector, dtype=np.float32)
        cross = np.array(
            [
                1.0 if item.lang and self.items[i].lang and item.lang != self.items[i].lang else 0.0
                for i in self._ids
            ]
        )
        sims = CALIBRATIONS["e5"].apply(cos, cross)
        return {
            i: float(s)
            for i, s in zip(self._ids, sims, strict=True)
            if i in self.event_of and i != item.id
        }

    def _idf(self, entity: str) -> float:
        return math.log(1 + len(self.items) / max(1, self._df[entity]))

    def entity_overlap(self, item: Item, articles: Iterable[str]) -> float:
        """Share of the item's (rarity-weighted) top entities that the articles name too."""
        top = sorted(item.entities, key=lambda e: (-item.entities[e], e))[:10]
        if not top:
            return 0.0
        named: set[str] = set()
        for a in articles:
            named.update(self.items[a].entities)
        total = sum(self._idf(e) for e in top)
        return sum(self._idf(e) for e in top if e in named) / total if total else 0.0

    # -- decisions ----------------------------------------------------------------

    def choose_story(self, item: Item, sims: dict[str, float]) -> tuple[str | None, dict[str, Any]]:
        """The story `item` continues, or None; with the numbers behind the choice."""
        if item.duplicate_of in self.event_of:
            return self.story_of[self.event_of[item.duplicate_of]], {
                "duplicate_of": item.duplicate_of
            }
        by_story: dict[str, list[float]] = {}
        for article, s in sims.items():
            if s >= STORY_SIMILARITY.get() / 2:
                by_story.setdefault(self.story_of[self.event_of[article]], []).append(s)
        best: tuple[float, str | None, dict[str, Any]] = (0.0, None, {})
        for story, values in sorted(by_story.items()):
            score = _mean_top(values)
            overlap = self.entity_overlap(item, self.story_articles(story))
            ok = score >= STORY_SIMILARITY_ALONE.get() or (
                score >= STORY_SIMILARITY.get() and overlap >= STORY_ENTITY_OVERLAP.get()
            )
            if ok and score > best[0]:
                evidence = {"similarity": round(score, 3), "entity_overlap": round(overlap, 3)}
                best = (score, story, evidence)
        return best[1], best[2]

    def choose_event(
        self, item: Item, story: str, sims: dict[str, float]
    ) -> tuple[str | None, dict[str, Any]]:
        """The event of `story` that `item` reports, or None; with the numbers behind it."""
        if item.duplicate_of in self.event_of:
            return self.event_of[item.duplicate_of], {"duplicate_of": item.duplicate_of}
        mine = item.intervals()
        best: tuple[float, str | None, dict[str, Any]] = (0.0, None, {})
        for event in sorted(e for e, s in self.story_of.items() if s == story):
            members = [self.items[a] for a in self.events[event]]
            score = _mean_top(sims.get(m.id, 0.0) for m in members)
            theirs = [iv for m in members for iv in m.intervals()]
            if mine and theirs:
                if not _overlaps(mine, theirs):
                    continue
                core = [iv for m in members for iv in m.core()] + item.core()
                if _span(core) > EVENT_MAX_DAYS.get():
                    continue
                needed = EVENT_SIMILARITY.get()
            else:  # no dates on one side: similarity alone, and it must be high
                needed = _UNDATED_EVENT_SIMILARITY
            if score >= needed and score > best[0]:
                best = (
                    score,
                    event,
                    {"similarity": round(score, 3), "dated": bool(mine and theirs)},
                )
        return best[1], best[2]

    # -- changes --------------------------------------------------------------------

    def add(
        self, item: Item, sims: dict[str, float], story: str | None, why: dict[str, Any]
    ) -> str:
        """Put `item` into an event of `story`, opening event and story as needed."""
        self._remember(item)
        if story is None:
            story = "s-" + item.id[:12]
            self.log.append(LogEntry("story", "open", story, item.id, why))
        else:
            self.log.append(LogEntry("story", "join", story, item.id, why))
        event, ev_why = self.choose_event(item, story, sims)
        if event is None:
            event = "e-" + item.id[:12]
            self.story_of[event] = story
            self.log.append(LogEntry("event", "open", event, item.id, {"story": story}))
        else:
            self.log.append(LogEntry("event", "join", event, item.id, ev_why))
        self.events.setdefault(event, []).append(item.id)
        self.event_of[item.id] = event
        self.touched.add(event)
        return event

    def remove(self, article: str) -> str:
        """Take an article out of its event (to place it again); returns the old event."""
        event = self.event_of.pop(article)
        self.events[event].remove(article)
        if not self.events[event]:
            del self.events[event]
            del self.story_of[event]
        self.touched.add(event)
        return event
