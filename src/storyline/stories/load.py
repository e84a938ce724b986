"""What grouping reads of the store: the new articles' neighbours, the events they may join.

Separate from stories/job.py (which decides and writes) because what is read decides
what grouping costs as a store grows: a full regrouping reads everything, adding articles
reads only what is around them (:func:`load`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np

from storyline.store import Store, grouping
from storyline.store import stories as db
from storyline.stories.cluster import NEIGHBOURS, Clusters, Item, StoryFacts, Thresholds
from storyline.stories.dating import day_of, interval
from storyline.stories.similarity import CALIBRATIONS

#: placed articles looked up around each new one when only part of the store is loaded:
#: more than the `NEIGHBOURS` the decisions read, as calibration can reorder cosine ranks
CANDIDATES = 3 * NEIGHBOURS


def item_from_row(row: dict[str, Any], vector: np.ndarray) -> Item:
    published = day_of(row["published"])
    source = row["published_source"]
    confidence = (
        1.0 if source in ("metadata", "text") else float(row["published_confidence"] or 0.3)
    )
    item = Item(
        id=row["id"],
        vector=vector,
        lang=row["lang"],
        title=row["title"],
        outlet=row["outlet"],
        published=published,
        confidence=confidence if published else 0.0,
        duplicate_of=row["duplicate_of"],
        entities=row["entities"],
    )
    set_dates(item, row["dates"])
    return item


def set_dates(item: Item, dates: list[tuple[str, str]]) -> None:
    item.announced, item.months, item.days = [], [], []
    p = item.published
    if p is None:
        return
    for value, _precision in dates:
        span = interval(value)
        if span is None:
            continue
        lo, hi, prec = span
        if prec == "day":
            item.days.extend(lo + timedelta(days=k) for k in range((hi - lo).days + 1))
        if prec == "day" and p < lo <= p + timedelta(days=14):
            item.announced.append((lo, hi))
        elif prec == "month" and lo <= p + timedelta(days=31) and hi >= p:
            item.months.append((lo, hi))


class Details:
    """What grouping reads beyond the new articles' nearest neighbours, when a decision
    needs it: whole events (with entities and dates) of the story an article joins, whole
    stories when a merge moves them. Adding one article to a store of a million reads its
    neighbours, the events it may join and counts of their stories, nothing more."""

    def __init__(self, store: Store, clusters: Clusters, loaded: bool) -> None:
        self.store, self.clusters = store, clusters
        #: every article is loaded with its details (a full regrouping): nothing to read
        self.everything = loaded
        #: events whose every article is loaded with its details
        self.done: set[str] = set()
        self.whole_stories: set[str] = set()

    def complete(self, events: set[str]) -> bool:
        """Load every stored article of the events, with details; True when any was new."""
        todo = sorted(events - self.done)
        if self.everything or not todo:
            return False
        self.done.update(todo)
        c = self.clusters
        rows = [r for r in grouping.event_member_rows(self.store, todo) if r["id"] not in c.items]
        _load_rows(self.store, c, rows)
        c.unloaded = max(0, c.unloaded - len(rows))
        ids = [a for e in todo for a in c.events.get(e, ())]
        # No rarity counts for these articles' entities: rarity weighs only the entities of
        # the article being placed (cluster.py `shared_entities`), counted when loaded.
        for article, extra in grouping.article_details(self.store, ids).items():
            item = replace(c.items[article], entities=extra["entities"])
            set_dates(item, extra["dates"])
            c.fill(item)
        return bool(rows)

    def joinable(self, story: str, sims: dict[str, float]) -> bool:
        """Load whole the events of `story` that an article's neighbours belong to (the
        only ones it may join: cluster.py `choose_event`); True when articles were added,
        so its similarities are to be read again."""
        c = self.clusters
        events = {c.event_of[a] for a in sims if a in c.event_of}
        return self.complete({e for e in events if c.story_of.get(e) == story})

    def whole(self, story: str) -> None:
        """Load every stored article of `story` not loaded yet, with its details (a merge
        moves all of a story's events)."""
        if self.everything or story in self.whole_stories:
            return
        self.whole_stories.add(story)
        c = self.clusters
        self.complete(set(db.story_event_ids(self.store, story)) | set(c.story_events(story)))


def _load_rows(store: Store, clusters: Clusters, rows: list[dict[str, Any]]) -> None:
    """Put stored articles (rows with their event and story) into `clusters`."""
    vectors = grouping.vectors_for(store, clusters.backend, [r["id"] for r in rows])
    for row in rows:
        vector = vectors.get(row["id"])
        if vector is not None:
            clusters.load(item_from_row(row, vector), row["event_id"], row["story_id"])


def _facts(counts: grouping.StoryCounts) -> dict[str, StoryFacts]:
    facts = {story: StoryFacts(size=n) for story, n in counts.sizes.items()}
    for story, entity, n in counts.names:
        facts[story].names[entity] = n
    for story, published, n in counts.stated:
        day = day_of(published)
        if day is not None:
            facts[story].days[day] += n
    return facts


def load(store: Store, *, everything: bool) -> tuple[Clusters, list[Item], Details]:
    """The store's clusters, the articles to place, and the loader of the rest.

    For `everything` (recluster) every article and all details are read at once; else
    only the stories near the new articles (:func:`_load_around`).
    """
    if not everything:
        return _load_around(store)
    backend = store.config.embed_backend
    vectors = grouping.load_vectors(store, backend)
    story_of = grouping.story_of_events(store)
    rows = grouping.article_rows(store, details=True)
    clusters, new = Clusters(backend, Thresholds.from_config(store.config)), []
    for row in rows:
        vector = vectors.get(row["id"])
        if vector is None:
            continue
        item = item_from_row(row, vector)
        if row["event_id"] in story_of:
            clusters.load(item, row["event_id"], story_of[row["event_id"]])
        else:
            new.append(item)
    return clusters, new, Details(store, clusters, True)


def _load_around(store: Store) -> tuple[Clusters, list[Item], Details]:
    """The new articles and their nearest placed articles (bare rows and vectors); the
    rest is read when a decision needs it (:class:`Details`, counts of stories).

    Why this is enough: a new article's decisions only read its `NEIGHBOURS` most similar
    placed articles (cluster.py), the events of the story it joins that hold them, and, of
    the stories it weighs, only what :class:`~storyline.stories.cluster.StoryFacts` counts
    (entities named, stated days, size). Its `CANDIDATES` nearest (a margin for the
    calibration's reordering of cross-language pairs) give the decisions a store-wide load
    would give, up to the approximate index's recall in stores past
    ``vector_index_min``. Adding one article to a store of a million reads a few hundred
    rows and a few counts, not the stories; entity rarities still count the whole store.
    A story is read whole only when a merge moves it (:meth:`Details.whole`).
    """
    backend = store.config.embed_backend
    fresh = grouping.unplaced_rows(store, backend)
    clusters = Clusters(backend, Thresholds.from_config(store.config))
    clusters.facts = {}
    if not fresh:
        return clusters, [], Details(store, clusters, False)
    fresh_ids = [r["id"] for r in fresh]
    extra = grouping.article_details(store, fresh_ids)
    for r in fresh:
        r.update(extra.get(r["id"], {}))
    fresh_vectors = grouping.vectors_for(store, backend, fresh_ids)
    near, placed = _neighbours(store, backend, [fresh_vectors[a] for a in fresh_ids])
    near.update(r["duplicate_of"] for r in fresh if r["duplicate_of"])
    members = grouping.article_member_rows(store, near)
    _load_rows(store, clusters, members)
    clusters.unloaded = max(0, placed - len(clusters.items))
    new = [item_from_row(r, fresh_vectors[r["id"]]) for r in fresh]
    named = {e for item in new for e in item.entities}
    # rarity is weighed only for an article's top entities (cluster.py `_shared`)
    weighed = {e for item in new for e in item.top_entities()}
    clusters.set_entity_counts(grouping.entity_article_counts(store, weighed))
    details = Details(store, clusters, False)
    clusters.whole = details.whole

    def count(stories: set[str]) -> None:
        assert clusters.facts is not None
        clusters.facts.update(_facts(grouping.story_counts(store, stories, named)))

    clusters.count_stories = count
    return clusters, new, details


def _neighbours(store: Store, backend: str, vectors: list[np.ndarray]) -> tuple[set[str], int]:
    """Placed articles among the `CANDIDATES` nearest of each vector that could count for
    its story: from the approximate index in large stores, else by one exact product with
    every placed vector; and how many placed articles have a vector (the `vectors` given
    are not placed yet), read off the index or the scan rather than counted again.

    A neighbour counts for a story only at a calibrated similarity of at least
    :attr:`~storyline.stories.cluster.Thresholds.story_floor` (cluster.py); a neighbour
    below it even as a cross-lingual pair (the calibration's most generous reading) cannot change a
    decision, so its story is not loaded. In a store with many similar stories that is
    most of the 300.
    """
    from storyline.store import vector_index

    query = np.vstack(vectors).astype(np.float32)
    calibration = CALIBRATIONS[backend]
    floor = Thresholds.from_config(store.config).story_floor

    def counts(cosines: np.ndarray) -> np.ndarray:
        generous = calibration.apply(cosines, np.ones_like(cosines))
        return np.asarray(generous >= floor)

    if vector_index.wanted(store, backend):
        index = vector_index.sync(store, backend)
        found = vector_index.nearest_scored(store, query, 2 * CANDIDATES, backend, index)
        out: set[str] = set()
        for row in found:
            if row:
                cos = np.array([c for _, c in row], dtype=np.float32)
                out.update(a for (a, _), ok in zip(row, counts(cos), strict=True) if ok)
        return out, max(0, len(index) - len(vectors))
    ids, matrix = grouping.placed_vectors(store, backend)
    if not ids:
        return set(), 0
    sims = matrix @ query.T  # placed x new
    k = min(CANDIDATES, len(ids))
    top = np.argpartition(-sims, k - 1, axis=0)[:k] if len(ids) > k else np.arange(len(ids))
    top = np.atleast_2d(top) if top.ndim == 2 else top[:, None].repeat(sims.shape[1], axis=1)
    keep: set[str] = set()
    for column in range(sims.shape[1]):
        rows = top[:, column]
        keep.update(ids[i] for i, ok in zip(rows, counts(sims[rows, column]), strict=True) if ok)
    return keep, len(ids)
