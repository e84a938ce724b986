"""Titles for events and stories, taken from the articles, never written by us.

An event is named by the headline of its most central article (the one most like
the others), so the title reads like the event's typical report. A story is named
by the entities most of its articles name: a thread of events has no one headline.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from storyline.store import Store
from storyline.store.stories import entity_names
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


def story_title(store: Store, clusters: Clusters, story: str) -> str:
    counts: Counter[str] = Counter()  # articles naming the entity
    mentions: Counter[str] = Counter()
    for a in clusters.story_articles(story):
        counts.update(clusters.items[a].entities.keys())
        mentions.update(clusters.items[a].entities)
    if not counts:
        events = clusters.story_events(story)
        return event_title(clusters, events[0]) if events else f"story {story}"
    top = [
        e
        for e, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -mentions[kv[0]], kv[0]))[
            : _STORY_ENTITIES * 3
        ]
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
