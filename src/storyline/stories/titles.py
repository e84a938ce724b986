"""Titles for events and stories, taken from the articles, never written by us.

An event is named by the headline of its most central article (the one most like
the others), so the title reads like the event's typical report. A story is named
by the entities most of its articles name: a thread of events has no one headline.
"""

from __future__ import annotations

import numpy as np

from storyline.store import Store
from storyline.store.grouping import story_entity_counts
from storyline.store.stories import entity_names, first_event_title
from storyline.stories.cluster import Clusters

_STORY_ENTITIES = 3


def event_title(clusters: Clusters, event: str) -> str:
    members = [clusters.items[a] for a in clusters.events[event]]
    titled = [m for m in members if m.title and m.duplicate_of is None] or [
        m for m in members if m.title
    ]
    if not titled:
        return f"event {event}"
    if len(titled) == 1:
        return str(titled[0].title)
    vectors = np.vstack([m.vector for m in titled])
    centrality = (vectors @ vectors.T).sum(axis=1)
    best = max(range(len(titled)), key=lambda i: (float(centrality[i]), -i))
    return str(titled[best].title)


def story_title(store: Store, story: str) -> str:
    """The names most of the story's stored articles name (after its assignments are
    written: a story's title counts every article, loaded by grouping or not)."""
    counted = story_entity_counts(store, story)
    if not counted:
        return first_event_title(store, story) or f"story {story}"
    top = [
        e for e, _, _ in sorted(counted, key=lambda c: (-c[1], -c[2], c[0]))[: _STORY_ENTITIES * 3]
    ]
    names = entity_names(store, top)
    picked: list[str] = []
    for e in top:
        name = names.get(e)
        if name and name not in picked:
            picked.append(name)
        if len(picked) == _STORY_ENTITIES:
            break
    return " · ".join(picked)
