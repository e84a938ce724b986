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

Time counts too (issue 16): an article months away from every dated article of a story
(`story_gap_days`) joins it only on strong evidence, twice the usual share of its key
entities (`story_far_entity_overlap`) and at least two of them, and beyond a year also
very high similarity. Pages of one
kind read alike across years (two car-leasing offers five years apart); a story that
really goes on for months keeps naming its people and places.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from storyline.config import Config
from storyline.settings import (
    EVENT_MAX_DAYS,
    EVENT_SIMILARITY,
    STORY_ENTITY_OVERLAP,
    STORY_FAR_ENTITY_OVERLAP,
    STORY_GAP_DAYS,
    STORY_SIMILARITY,
    STORY_SIMILARITY_ALONE,
)
from storyline.stories.embed import Matrix
from storyline.stories.similarity import CALIBRATIONS

Interval = tuple[date, date]
CONFIDENT = 0.5  # publication dates at or above this confidence date an event precisely
STATED = 1.0  # the confidence of a date the article states (metadata, dateline, text)
NEIGHBOURS = 100  # nearest articles an article's decisions look at
_TOP = 3  # a cluster's score for an article: mean of its best `_TOP` similarities
_UNDATED_EVENT_SIMILARITY = 0.85
#: past this many days from a story, joining it needs story_similarity_alone as well
FAR_YEAR_DAYS = 365
#: key entities an article must share with a story months away: one shared name is what
#: pages of one kind have in common (a product, a city), a story going on names several
FAR_MIN_SHARED = 2
#: an article's most mentioned entities that story decisions weigh
TOP_ENTITIES = 10
#: stories whose facts are counted in one read when only part of the store is loaded
_COUNT_AHEAD = 8


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

    def top_entities(self) -> list[str]:
        """The entities whose sharing joins stories (most mentioned first, at most
        `TOP_ENTITIES`): only their rarity is ever weighed."""
        return sorted(self.entities, key=lambda e: (-self.entities[e], e))[:TOP_ENTITIES]

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


@dataclass
class StoryFacts:
    """What a story's decisions read of all its articles, kept as counts: adding one article
    to a story of thousands must not read the thousands (stories/load.py).

    Counted by the store over the story's articles when the story is loaded, then kept up
    to date as this run adds, moves and merges; the decisions then read the same evidence a
    load of every article would give: which entities the story names, in how many of its
    articles, and the days its articles state as publication dates.
    """

    size: int = 0
    names: Counter[str] = field(default_factory=Counter)  # entity -> articles naming it
    days: Counter[date] = field(default_factory=Counter)  # stated publication day -> articles

    def count(self, item: Item, sign: int = 1) -> None:
        """Count `item` in (`sign` 1) or out (-1) of the story."""
        self.size += sign
        self.names.update({e: sign for e in item.entities})
        if item.published is not None and item.confidence >= STATED:
            self.days.update({item.published: sign})

    def absorb(self, other: StoryFacts) -> None:
        self.size += other.size
        self.names.update(other.names)
        self.days.update(other.days)


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


@dataclass(frozen=True)
class Thresholds:
    """The grouping's settings (docs/settings.md), taken from a Config once per grouping
    run: the decisions below read these fields, never the environment."""

    story_similarity: float = STORY_SIMILARITY.default
    story_entity_overlap: float = STORY_ENTITY_OVERLAP.default
    story_similarity_alone: float = STORY_SIMILARITY_ALONE.default
    story_gap_days: int = STORY_GAP_DAYS.default
    story_far_entity_overlap: float = STORY_FAR_ENTITY_OVERLAP.default
    event_similarity: float = EVENT_SIMILARITY.default
    event_max_days: int = EVENT_MAX_DAYS.default

    @classmethod
    def from_config(cls, config: Config) -> Thresholds:
        return cls(
            story_similarity=config[STORY_SIMILARITY],
            story_entity_overlap=config[STORY_ENTITY_OVERLAP],
            story_similarity_alone=config[STORY_SIMILARITY_ALONE],
            story_gap_days=config[STORY_GAP_DAYS],
            story_far_entity_overlap=config[STORY_FAR_ENTITY_OVERLAP],
            event_similarity=config[EVENT_SIMILARITY],
            event_max_days=config[EVENT_MAX_DAYS],
        )

    @property
    def story_floor(self) -> float:
        """The least calibrated similarity at which a neighbour counts for its story (half
        of `story_similarity`): below it, a neighbour is not evidence for any story."""
        return self.story_similarity / 2


class Clusters:
    """The events and stories of a store in memory, and the log of what changed."""

    def __init__(self, backend: str = "e5", thresholds: Thresholds | None = None) -> None:
        self.limits = thresholds or Thresholds()
        self.backend = backend
        self.calibration = CALIBRATIONS[backend]
        self.items: dict[str, Item] = {}
        self.event_of: dict[str, str] = {}
        self.events: dict[str, list[str]] = {}
        self.story_of: dict[str, str] = {}  # event -> story
        self.log: list[LogEntry] = []
        self.touched: set[str] = set()  # events whose members changed
        self._events_in: dict[str, set[str]] = {}  # story -> events
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._matrix: Matrix = np.zeros((0, 0), dtype=np.float32)
        self._langs: list[str | None] = []
        self._lang_codes: np.ndarray = np.zeros(0, dtype=np.int32)
        self._codes: dict[str | None, int] = {None: 0}
        self._df: Counter[str] = Counter()
        #: placed articles of the store not loaded here (grouping loads only the events
        #: near the new articles): they still count in the rarity of entities
        self.unloaded = 0
        #: story -> its counted facts when only part of the store is loaded (None: every
        #: article is, and the decisions read the members themselves)
        self.facts: dict[str, StoryFacts] | None = None
        #: loads every event of a story not loaded yet (set when only part of the store
        #: is): a merge moves all of a story's events, not only those near the article
        self.whole: Callable[[str], None] | None = None
        #: counts the facts of stored stories into `facts` (set with it): called for the
        #: stories a decision weighs, so only those are counted
        self.count_stories: Callable[[set[str]], None] | None = None

    # -- state ------------------------------------------------------------------

    def load(self, item: Item, event: str, story: str) -> None:
        """Put a stored assignment back, without logging it."""
        self._remember(item)
        self.event_of[item.id] = event
        self.events.setdefault(event, []).append(item.id)
        self._set_story(event, story)

    def fill(self, item: Item) -> None:
        """Replace a known article's record by a fuller one (same vector)."""
        self.items[item.id] = item

    def set_entity_counts(self, counts: dict[str, int]) -> None:
        """Entity document frequencies counted by the store (when not every article is loaded)."""
        self._df = Counter(counts)

    def _set_story(self, event: str, story: str) -> None:
        old = self.story_of.get(event)
        if old is not None and old != story:
            self._events_in[old].discard(event)
            if not self._events_in[old]:
                del self._events_in[old]
        self.story_of[event] = story
        self._events_in.setdefault(story, set()).add(event)

    def _remember(self, item: Item) -> None:
        """Keep the item and its vector (rows grow by doubling: 10,000 adds stay linear)."""
        if item.id not in self.items:
            vector = np.asarray(item.vector, dtype=np.float32)
            n = len(self._ids)
            if self._matrix.shape[0] == n:
                grown = np.zeros((max(64, 2 * n), vector.shape[0]), dtype=np.float32)
                grown[:n] = self._matrix[:n] if n else grown[:0]
                self._matrix = grown
                codes = np.zeros(grown.shape[0], dtype=np.int32)
                codes[:n] = self._lang_codes[:n]
                self._lang_codes = codes
            self._matrix[n] = vector
            self._lang_codes[n] = self._codes.setdefault(item.lang, len(self._codes))
            self._row[item.id] = n
            self._ids.append(item.id)
            self._df.update(item.entities.keys())
        self.items[item.id] = item

    def stories_ids(self) -> list[str]:
        return sorted(self._events_in)

    def story_events(self, story: str) -> list[str]:
        return sorted(self._events_in.get(story, ()))

    def story_articles(self, story: str) -> list[str]:
        """The story's loaded articles (all of them unless only part of the store is)."""
        return [a for e in self.story_events(story) for a in self.events[e]]

    def _facts_of(self, story: str) -> StoryFacts | None:
        """The story's counted facts (counted now if stored and not yet), or None when
        every article is loaded."""
        if self.facts is None:
            return None
        if story not in self.facts and self.count_stories is not None:
            self.count_stories({story})
        return self.facts.setdefault(story, StoryFacts())  # a story opened in this run

    def story_size(self, story: str) -> int:
        """Articles in the story, loaded or not."""
        facts = self._facts_of(story)
        return len(self.story_articles(story)) if facts is None else facts.size

    def common_entities(self, story: str, among: Iterable[str], share: float) -> frozenset[str]:
        """Those of the entities `among` that at least `share` of the story's articles name."""
        facts = self._facts_of(story)
        if facts is None:
            articles = self.story_articles(story)
            size = len(articles)
            names: Counter[str] = Counter(e for a in articles for e in self.items[a].entities)
        else:
            size, names = facts.size, facts.names
        return frozenset(e for e in among if size and names[e] >= share * size)

    # -- similarity ---------------------------------------------------------------

    def similarities(self, item: Item, k: int = NEIGHBOURS) -> dict[str, float]:
        """Calibrated similarity of `item` to its `k` most similar assigned articles.

        One matrix-vector product over the store, then the top `k`: the decisions only
        ever look at an article's nearest neighbours, and a dict of all 10,000 per
        article would make clustering quadratic.
        """
        n = len(self._ids)
        if not n:
            return {}
        cos = self._matrix[:n] @ np.asarray(item.vector, dtype=np.float32)
        mine = self._codes.get(item.lang, -1)
        theirs = self._lang_codes[:n]
        cross = ((theirs != mine) & (theirs != 0) & (mine > 0)).astype(np.float32)
        sims = self.calibration.apply(cos, cross)
        if item.id in self._row:
            sims[self._row[item.id]] = -1.0
        top = np.argpartition(-sims, min(k, n - 1))[: min(k + 1, n)] if n > k else np.arange(n)
        return {
            self._ids[i]: float(sims[i])
            for i in top
            if sims[i] >= 0 and self._ids[i] in self.event_of
        }

    def _idf(self, entity: str) -> float:
        return math.log(1 + (len(self.items) + self.unloaded) / max(1, self._df[entity]))

    def gap_days(self, item: Item, articles: Iterable[str]) -> int | None:
        """Days between `item` and the nearest of `articles` in publication date; None when
        `item` or all of them have no stated date. Inferred dates do not count, however
        confident: one dated by weekdays alone may be a year off, and joining its story
        is what dates it right (stories/dating.py)."""
        if item.published is None or item.confidence < STATED:
            return None
        gaps = [
            abs((other.published - item.published).days)
            for other in (self.items[a] for a in articles)
            if other.published is not None and other.confidence >= STATED
        ]
        return min(gaps) if gaps else None

    def story_gap_days(self, item: Item, story: str) -> int | None:
        """`gap_days` against every article of the story, loaded or counted."""
        facts = self._facts_of(story)
        if facts is None:
            return self.gap_days(item, self.story_articles(story))
        if item.published is None or item.confidence < STATED:
            return None
        p = item.published
        gaps = [abs((day - p).days) for day, n in facts.days.items() if n > 0]
        return min(gaps) if gaps else None

    def story_shared_entities(self, item: Item, story: str) -> tuple[float, int]:
        """`shared_entities` against every article of the story, loaded or counted."""
        facts = self._facts_of(story)
        if facts is None:
            return self.shared_entities(item, self.story_articles(story))
        return self._shared(item, {e for e, n in facts.names.items() if n > 0})

    def story_fits(self, score: float, overlap: float, gap: int | None, shared: int = 0) -> bool:
        """Whether similarity `score`, entity `overlap` (with `shared` key entities) and
        time `gap` (days, None when unknown) are evidence enough to join a story (see the
        module docstring)."""
        if gap is not None and gap > self.limits.story_gap_days:
            strong = (
                overlap >= self.limits.story_far_entity_overlap
                and shared >= FAR_MIN_SHARED
                and score >= self.limits.story_similarity
            )
            if gap > FAR_YEAR_DAYS:
                strong = strong and score >= self.limits.story_similarity_alone
            return strong
        return score >= self.limits.story_similarity_alone or (
            score >= self.limits.story_similarity and overlap >= self.limits.story_entity_overlap
        )

    def entity_overlap(self, item: Item, articles: Iterable[str]) -> float:
        """Share of the item's (rarity-weighted) top entities that the articles name too."""
        return self.shared_entities(item, articles)[0]

    def shared_entities(self, item: Item, articles: Iterable[str]) -> tuple[float, int]:
        """`entity_overlap`, and how many of the item's top entities the articles name."""
        named: set[str] = set()
        for a in articles:
            named.update(self.items[a].entities)
        return self._shared(item, named)

    def _shared(self, item: Item, named: set[str]) -> tuple[float, int]:
        top = item.top_entities()
        if not top:
            return 0.0, 0
        shared = [e for e in top if e in named]
        total = sum(self._idf(e) for e in top)
        return (sum(self._idf(e) for e in shared) / total if total else 0.0), len(shared)

    # -- decisions ----------------------------------------------------------------

    def choose_story(self, item: Item, sims: dict[str, float]) -> tuple[str | None, dict[str, Any]]:
        """The story `item` continues, or None; with the numbers behind the choice."""
        if item.duplicate_of in self.event_of:
            return self.story_of[self.event_of[item.duplicate_of]], {
                "duplicate_of": item.duplicate_of
            }
        by_story: dict[str, list[float]] = {}
        for article, s in sims.items():
            if s >= self.limits.story_floor:
                by_story.setdefault(self.story_of[self.event_of[article]], []).append(s)
        fits: list[tuple[float, str, dict[str, Any]]] = []
        # Stories are weighed best first: the first that fits is the one chosen, and after
        # it only a story scoring story_similarity_alone can still matter (a merge, below).
        # A story scoring under both similarity thresholds fits on no evidence (story_fits).
        # So only the stories that can matter are read, a few at a time.
        least = min(self.limits.story_similarity, self.limits.story_similarity_alone)
        ordered = sorted(
            ((_mean_top(v), s) for s, v in by_story.items() if _mean_top(v) >= least),
            key=lambda sc: (-sc[0], sc[1]),
        )
        for i, (score, story) in enumerate(ordered):
            if fits and score < self.limits.story_similarity_alone:
                break
            counted = self.facts is None or story in self.facts
            if not counted and self.count_stories is not None:
                ahead = {s for _, s in ordered[i : i + _COUNT_AHEAD]}
                self.count_stories(ahead - set(self.facts or ()))
            overlap, shared = self.story_shared_entities(item, story)
            gap = self.story_gap_days(item, story)
            if self.story_fits(score, overlap, gap, shared):
                evidence: dict[str, Any] = {
                    "similarity": round(score, 3),
                    "entity_overlap": round(overlap, 3),
                }
                if gap is not None and gap > self.limits.story_gap_days:
                    evidence["gap_days"] = gap
                fits.append((score, story, evidence))
        if not fits:
            return None, {}
        fits.sort(key=lambda f: (-f[0], f[1]))
        score, story, evidence = fits[0]
        # An article that continues two stories equally strongly, sharing their entities,
        # shows they are one (similarity alone would fold stories of one kind together).
        for other_score, other, other_evidence in fits[1:]:
            if (
                other_score >= self.limits.story_similarity_alone
                and other_evidence["entity_overlap"] >= self.limits.story_entity_overlap
                and "gap_days" not in other_evidence
            ):
                story = self.merge_stories(story, other, {"through": item.id, **other_evidence})
        return story, evidence

    def merge_stories(self, keep: str, gone: str, evidence: dict[str, Any]) -> str:
        """Fold story `gone` into `keep` (the larger one keeps its id); logged."""
        if self.story_size(gone) > self.story_size(keep):
            keep, gone = gone, keep
        if self.whole is not None:
            self.whole(gone)  # every event of it moves, not only those near the article
        for event in self.story_events(gone):
            self._set_story(event, keep)
            self.touched.add(event)
        if self.facts is not None:
            self.facts.setdefault(keep, StoryFacts()).absorb(self.facts.pop(gone, StoryFacts()))
        self.log.append(LogEntry("story", "merge", keep, gone, evidence))
        return keep

    def choose_event(
        self, item: Item, story: str, sims: dict[str, float]
    ) -> tuple[str | None, dict[str, Any]]:
        """The event of `story` that `item` reports, or None; with the numbers behind it."""
        if item.duplicate_of in self.event_of:
            return self.event_of[item.duplicate_of], {"duplicate_of": item.duplicate_of}
        mine = item.intervals()
        best: tuple[float, str | None, dict[str, Any]] = (0.0, None, {})
        for event in self.story_events(story):
            members = [self.items[a] for a in self.events[event]]
            score = _mean_top(sims.get(m.id, 0.0) for m in members)
            theirs = [iv for m in members for iv in m.intervals()]
            if mine and theirs:
                if not _overlaps(mine, theirs):
                    continue
                core = [iv for m in members for iv in m.core()] + item.core()
                if _span(core) > self.limits.event_max_days:
                    continue
                needed = self.limits.event_similarity
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
        facts = self._facts_of(story)
        if facts is not None:
            facts.count(item)
        event, ev_why = self.choose_event(item, story, sims)
        if event is None:
            event = "e-" + item.id[:12]
            self._set_story(event, story)
            self.log.append(LogEntry("event", "open", event, item.id, {"story": story}))
        else:
            self.log.append(LogEntry("event", "join", event, item.id, ev_why))
        self.events.setdefault(event, []).append(item.id)
        self.event_of[item.id] = event
        self.touched.add(event)
        return event

    def rename(self, events: dict[str, str], stories: dict[str, str]) -> None:
        """Give events and stories other ids (after a recluster, the old ones they continue)."""
        story_of = {events.get(e, e): stories.get(st, st) for e, st in self.story_of.items()}
        self.events = {events.get(e, e): arts for e, arts in self.events.items()}
        self.event_of = {a: e for e, arts in self.events.items() for a in arts}
        self.touched = {events.get(e, e) for e in self.touched}
        self.story_of, self._events_in = {}, {}
        for e, st in story_of.items():
            self._set_story(e, st)

    def remove(self, article: str) -> str:
        """Take an article out of its event (to place it again); returns the old event."""
        event = self.event_of.pop(article)
        self.events[event].remove(article)
        facts = self._facts_of(self.story_of[event])
        if facts is not None:
            facts.count(self.items[article], -1)
        if not self.events[event]:
            del self.events[event]
            story = self.story_of.pop(event)
            self._events_in[story].discard(event)
            if not self._events_in[story]:
                del self._events_in[story]
        self.touched.add(event)
        return event
