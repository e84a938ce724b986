"""Event and story decisions on hand-made vectors (no model): what joins what, and why."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np

from storyline.stories.cluster import Clusters, Item, StoryFacts, Thresholds
from storyline.stories.similarity import CALIBRATIONS

DIM = 384
_RNG = np.random.default_rng(7)
_BASE = _RNG.standard_normal(DIM).astype(np.float32)
_BASE /= np.linalg.norm(_BASE)


def _at(similarity: float, base: np.ndarray = _BASE) -> np.ndarray:
    """A unit vector whose calibrated similarity to `base` is `similarity` (same language)."""
    cal = CALIBRATIONS["e5"]
    cosine = cal.low + similarity * (cal.high - cal.low)
    noise = _RNG.standard_normal(DIM).astype(np.float32)
    noise -= noise.dot(base) * base
    noise /= np.linalg.norm(noise)
    out = cosine * base + np.sqrt(1 - cosine**2) * noise
    return out.astype(np.float32)


def _item(name: str, vector: np.ndarray, published: date | None = None, **kw: object) -> Item:
    return Item(
        id=name,
        vector=vector,
        lang="de",
        published=published,
        confidence=1.0 if published else 0.0,
        **kw,  # type: ignore[arg-type]
    )


def _place(clusters: Clusters, item: Item) -> str:
    sims = clusters.similarities(item)
    story, why = clusters.choose_story(item, sims)
    return clusters.add(item, sims, story, why)


def test_cluster_first_article_opens_event_and_story() -> None:
    c = Clusters()
    event = _place(c, _item("a1", _BASE, date(2025, 3, 4)))
    assert event == "e-a1" and c.story_of[event] == "s-a1"
    assert [(e.kind, e.action) for e in c.log] == [("story", "open"), ("event", "open")]


def test_cluster_same_days_and_similar_join_one_event() -> None:
    c = Clusters()
    ents = {"hkb": 3.0, "ghl": 2.0}
    first = _place(c, _item("a1", _BASE, date(2025, 3, 4), entities=ents))
    second = _place(c, _item("a2", _at(0.9), date(2025, 3, 5), entities=ents))
    assert first == second
    assert c.log[-1].action == "join" and c.log[-1].evidence["similarity"] >= 0.85


def test_cluster_later_happening_of_the_story_opens_a_new_event() -> None:
    c = Clusters()
    ents = {"hkb": 3.0, "ghl": 2.0}
    march = _place(c, _item("a1", _BASE, date(2025, 3, 4), entities=ents))
    june = _place(c, _item("a2", _at(0.9), date(2025, 6, 13), entities=ents))
    assert march != june
    assert c.story_of[march] == c.story_of[june]


def test_cluster_story_needs_shared_entities_unless_very_similar() -> None:
    c = Clusters()
    _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"hkb": 2.0}))
    # alike in words, but another union and company: another story
    other = _place(c, _item("a2", _at(0.6), date(2025, 3, 5), entities={"rotterdam": 2.0}))
    assert c.story_of[other] == "s-a2"
    # as alike, naming the same company: the same story
    same = _place(c, _item("a3", _at(0.6), date(2025, 3, 5), entities={"hkb": 1.0}))
    assert c.story_of[same] == "s-a1"


def test_cluster_translation_joins_on_similarity_alone() -> None:
    c = Clusters()
    _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"hkb": 2.0}))
    # naming nobody the resolver linked to the original's entities
    alone = _place(c, _item("a2", _at(0.95), date(2025, 3, 5)))
    assert c.story_of[alone] == "s-a1"


def test_cluster_unrelated_article_opens_its_own_story() -> None:
    c = Clusters()
    _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"hkb": 1.0}))
    far = _RNG.standard_normal(DIM).astype(np.float32)
    event = _place(
        c, _item("b1", far / np.linalg.norm(far), date(2025, 3, 4), entities={"hkb": 1.0})
    )
    assert c.story_of[event] == "s-b1"


def test_cluster_duplicate_goes_where_its_original_is() -> None:
    c = Clusters()
    first = _place(c, _item("a1", _BASE, date(2025, 3, 4)))
    far = _RNG.standard_normal(DIM).astype(np.float32)
    copy = _place(c, _item("a2", far / np.linalg.norm(far), None, duplicate_of="a1"))
    assert copy == first


def test_cluster_undated_article_joins_only_when_very_similar() -> None:
    c = Clusters()
    ents = {"velmora": 2.0}
    dated = _place(c, _item("a1", _BASE, date(2025, 4, 9), entities=ents))
    loose = _place(c, _item("a2", _at(0.7), None, entities=ents))
    close = _place(c, _item("a3", _at(0.97), None, entities=ents))
    assert loose != dated and close == dated


def test_cluster_event_spans_at_most_event_max_days() -> None:
    c = Clusters(thresholds=Thresholds(event_max_days=3))
    ents = {"hkb": 1.0}
    start = date(2025, 3, 1)
    events = [
        _place(c, _item(f"a{i}", _at(0.95), start + timedelta(days=i), entities=ents))
        for i in range(6)
    ]
    assert len(set(events)) >= 2
    for e in set(events):
        days = [c.items[a].published for a in c.events[e]]
        assert max(days) - min(days) <= timedelta(days=3)  # type: ignore[operator]


def test_cluster_similarities_look_at_nearest_neighbours_only() -> None:
    c = Clusters()
    for i in range(30):
        _place(c, _item(f"a{i}", _at(0.5 + i / 100), date(2025, 1, 1) + timedelta(days=40 * i)))
    sims = c.similarities(_item("q", _BASE, date(2025, 1, 1)), k=5)
    assert 5 <= len(sims) <= 6
    assert min(sims.values()) >= 0.7


def test_cluster_remove_and_rename_keep_the_maps_consistent() -> None:
    c = Clusters()
    e1 = _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"x": 1.0}))
    _place(c, _item("a2", _at(0.9), date(2025, 3, 4), entities={"x": 1.0}))
    c.rename({e1: "e-old"}, {c.story_of[e1]: "s-old"})
    assert c.event_of == {"a1": "e-old", "a2": "e-old"}
    assert c.story_events("s-old") == ["e-old"]
    assert c.remove("a1") == "e-old"
    assert c.remove("a2") == "e-old"
    assert c.events == {} and c.story_events("s-old") == []


def test_cluster_article_continuing_two_stories_merges_them() -> None:
    c = Clusters()
    far = _RNG.standard_normal(DIM).astype(np.float32)
    _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"x": 1.0}))
    _place(c, _item("b1", far / np.linalg.norm(far), date(2025, 3, 4), entities={"y": 1.0}))
    assert c.story_of[c.event_of["a1"]] != c.story_of[c.event_of["b1"]]
    # a new report as close to both as a rewrite (similarities given, as the index would)
    bridge = _item("m1", _BASE, date(2025, 3, 4), entities={"x": 1.0, "y": 1.0})
    story, _why = c.choose_story(bridge, {"a1": 0.9, "b1": 0.85})
    assert c.story_of[c.event_of["a1"]] == c.story_of[c.event_of["b1"]] == story
    merge = [e for e in c.log if e.action == "merge"]
    assert merge and merge[0].evidence["through"] == "m1"


def test_cluster_pages_years_apart_need_more_than_similarity() -> None:
    """Issue 16: two car-leasing offers five years apart read alike (similarity 0.9 would
    join a translation) but are not one story; a day later the same page would join."""
    c = Clusters()
    first = _place(c, _item("a1", _BASE, date(2020, 3, 4), entities={"leasing": 1.0}))
    later = _place(c, _item("a2", _at(0.9), date(2025, 3, 4)))
    assert c.story_of[later] != c.story_of[first]
    soon = _place(c, _item("a3", _at(0.9), date(2020, 3, 5)))
    assert c.story_of[soon] == c.story_of[first]


def test_cluster_months_apart_join_on_shared_entities_only() -> None:
    c = Clusters()
    ents = {"hkb": 3.0, "ghl": 2.0}
    first = _place(c, _item("a1", _BASE, date(2025, 1, 10), entities=ents))
    # four months on, naming the same union and company: the story goes on
    again = _place(c, _item("a2", _at(0.7), date(2025, 5, 20), entities=ents))
    assert c.story_of[again] == c.story_of[first]
    assert c.log[-2].evidence["gap_days"] == 130
    # as alike and as far from both, naming the company among four others (a share of
    # entities that joins a story days away, not one months away): a story of its own
    ents = {"rotterdam": 2.0, "maersk": 2.0, "ilo": 2.0, "itf": 2.0, "hkb": 1.0}
    other = _item("a3", _at(0.7), date(2025, 9, 30), entities=ents)
    assert 0.1 < c.entity_overlap(other, ["a1", "a2"]) < 0.2
    assert c.story_of[_place(c, other)] == "s-a3"


def test_cluster_gap_is_ignored_when_a_date_is_a_guess() -> None:
    c = Clusters()
    first = _place(c, _item("a1", _BASE, date(2020, 3, 4), entities={"leasing": 1.0}))
    guessed = _item("a2", _at(0.9), date(2025, 3, 4))
    guessed.confidence = 0.3
    assert c.gap_days(guessed, ["a1"]) is None
    assert c.story_of[_place(c, guessed)] == c.story_of[first]


def test_cluster_counted_story_facts_decide_as_its_articles_do() -> None:
    """With only part of the store loaded (stories/load.py), a story's entities, stated
    days and size come from counts: the same evidence as its loaded articles."""
    loaded = Clusters()
    ents = {"hkb": 3.0, "ghl": 2.0}
    first = _place(loaded, _item("a1", _BASE, date(2025, 1, 10), entities=ents))
    story = loaded.story_of[first]
    counted = Clusters()
    counted.facts = {story: StoryFacts()}
    counted.facts[story].count(loaded.items["a1"])
    # the counted store holds a1 only as a neighbour vector, its story only as counts
    counted.load(_item("a1", _BASE), first, story)
    again = _item("a2", _at(0.7), date(2025, 5, 20), entities=ents)
    assert counted.story_gap_days(again, story) == loaded.story_gap_days(again, story) == 130
    assert counted.story_shared_entities(again, story) == loaded.story_shared_entities(again, story)
    assert counted.common_entities(story, ents, 0.8) == loaded.common_entities(story, ents, 0.8)
    joined = _place(counted, again)
    assert counted.story_of[joined] == story and counted.facts[story].size == 2
    counted.remove("a2")
    assert counted.facts[story].size == 1 and counted.facts[story].names["hkb"] == 1


def test_cluster_merge_loads_the_whole_story_and_adds_its_counts() -> None:
    c = Clusters()
    far = _RNG.standard_normal(DIM).astype(np.float32)
    _place(c, _item("a1", _BASE, date(2025, 3, 4), entities={"x": 1.0}))
    _place(c, _item("b1", far / np.linalg.norm(far), date(2025, 3, 4), entities={"y": 1.0}))
    a, b = c.story_of[c.event_of["a1"]], c.story_of[c.event_of["b1"]]
    c.facts = {a: StoryFacts(size=5), b: StoryFacts(size=2)}
    c.facts[b].names["y"] = 2
    whole: list[str] = []
    c.whole = whole.append
    keep = c.merge_stories(b, a, {})
    assert keep == a and whole == [b]  # the larger story keeps its id, the other is read
    assert c.facts == {a: StoryFacts(size=7, names=Counter({"y": 2}))}
    assert c.story_of[c.event_of["b1"]] == a
