"""The compare stage: claims of every story whose articles changed, computed and stored.

Runs after grouping (it needs each article's event and story) and stores its result, so
that a story page or a briefing reads claims instead of embedding hundreds of sentences.
Sentence vectors are kept in ``claim_units``: a story that gains one article embeds only
that article's sentences again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from storyline.compare.group import Scores, copies, dispute_links, group_units, score_units
from storyline.compare.quantities import unit_quantities
from storyline.compare.units import Unit, article_units
from storyline.store import Store
from storyline.store.claims import (
    Matrix,
    claim_inputs,
    members_hash,
    save_claims,
    save_unit_vectors,
    stale_stories,
    story_members,
    unit_vectors,
)

REQUIRES = frozenset({"event", "story", "analysis"})
ASSIGNS = frozenset({"claims"})


def update_claims(
    store: Store,
    stories: Sequence[str] | None = None,
    on_item: Callable[[str], None] | None = None,
) -> int:
    """Recompute the claims of `stories` (default: every story whose members changed).

    Each story is written in a transaction of its own, so an interrupted run keeps what it
    finished and a re-run does the rest. Returns the number of stories updated.
    """
    with store.transaction():
        todo = stale_stories(store) if stories is None else list(stories)
    members = story_members(store, todo)
    for story in todo:
        pairs = members.get(story, [])
        claims, vectors = story_claims(store, story, pairs)
        with store.transaction():
            save_unit_vectors(store, store.config.embed_backend, vectors)
            save_claims(store, story, members_hash(pairs), claims)
        if on_item:
            on_item(story)
    return len(todo)


def _vectors(
    store: Store, units: Sequence[Unit]
) -> tuple[Matrix, list[tuple[str, int, int, Matrix]]]:
    """Vectors of `units`, from the store where it has them; the new ones to save."""
    from storyline.stories.embed import backend_for  # loads the model on first use

    name = store.config.embed_backend
    known = unit_vectors(store, name, sorted({u.article for u in units}))
    todo = [u for u in units if u.key not in known]
    fresh: list[tuple[str, int, int, Matrix]] = []
    if todo:
        # as passages (the encoder's default prefix): claims compare like with like, and
        # the entity tagger's pass over the same sentences has left their vectors cached
        rows = backend_for(store.config).encode([u.text for u in todo])
        for u, row in zip(todo, rows, strict=True):
            known[u.key] = row
            fresh.append((u.article, u.start, u.end, row))
    return np.vstack([known[u.key] for u in units]).astype(np.float32), fresh


def story_claims(
    store: Store, story: str, pairs: Sequence[tuple[str, str]]
) -> tuple[list[dict[str, Any]], list[tuple[str, int, int, Matrix]]]:
    """Claims of one story (and the sentence vectors computed for them)."""
    event_of = dict(pairs)
    articles = {a["id"]: a for a in claim_inputs(store, [a for a, _ in pairs])}
    units = [u for a in articles.values() for u in article_units(a)]
    if not units:
        return [], []
    fresh: list[tuple[str, int, int, Matrix]] = []
    if len(articles) > 1:
        vectors, fresh = _vectors(store, units)
    else:  # one article: nothing to group, no need to embed
        vectors = np.eye(len(units), dtype=np.float32)
    return claims_of_units(units, vectors, articles, event_of), fresh


def claims_of_units(
    units: Sequence[Unit],
    vectors: Matrix,
    articles: dict[str, dict[str, Any]],
    event_of: dict[str, str],
) -> list[dict[str, Any]]:
    """Claims made from claim units and their sentence vectors (no store needed: the
    claim benchmark, bench/claims_eval.py, runs the same path on texts).

    `articles` maps each article id to its ``lang``, ``outlet``, ``published`` and
    ``echo_of``; `event_of` maps article ids to events.
    """
    langs = [articles[u.article]["lang"] for u in units]
    scores = score_units(units, vectors, langs, [event_of.get(u.article) for u in units])
    groups = group_units(units, scores)
    disputes = dispute_links(units, groups, scores)
    salient = _salient_entities(units)
    claims = [_claim(units, g, articles, event_of, scores, salient) for g in groups]
    for g, targets in disputes.items():
        for t, evidence in targets.items():
            if t == g:
                continue
            claims[g]["disputes"].append(claims[t]["id"])
            claims[g]["dispute_evidence"][claims[t]["id"]] = evidence
            claims[g]["weight"] += 0.6
            claims[t]["weight"] += 0.6
    return claims


def _salient_entities(units: Sequence[Unit]) -> set[str]:
    counts: Counter[str] = Counter()
    for u in units:
        counts.update(u.entities)
    return {e for e, _ in counts.most_common(10)}


def _order_key(articles: dict[str, dict[str, Any]], u: Unit) -> tuple[bool, str, str, int]:
    published = articles[u.article]["published"]
    return (published is None, str(published or ""), u.article, u.start)


def _claim(
    units: Sequence[Unit],
    group: Sequence[int],
    articles: dict[str, dict[str, Any]],
    event_of: dict[str, str],
    scores: Scores,
    salient: set[str],
) -> dict[str, Any]:
    ordered = sorted(group, key=lambda i: _order_key(articles, units[i]))
    first = units[ordered[0]]
    copied = copies(units, ordered, scores)
    sources = []
    independent: dict[str, str] = {}  # outlet or original -> first article
    for i in ordered:
        u = units[i]
        art = articles[u.article]
        echo = art["echo_of"] if art["echo_of"] in {units[k].article for k in ordered} else None
        if echo is None and i in copied:
            echo = units[copied[i]].article
        origin = articles[echo]["outlet"] or echo if echo else art["outlet"] or u.article
        independent.setdefault(origin, u.article)
        sources.append(
            {
                "article": u.article,
                "start": u.start,
                "end": u.end,
                "speaker": u.speaker,
                "speaker_name": u.speaker_name,
                "via": u.via,
                "echo_of": echo,
            }
        )
    n_independent = len(independent)
    kinds = [units[i].kind for i in ordered]
    hedges = [units[i].hedge for i in ordered if units[i].hedge]
    if "denial" in kinds:
        kind = "denial"
    elif any(units[i].figures for i in ordered):
        kind = "figure"
    elif len(hedges) * 2 > len(ordered):
        kind = "hedged"
    else:
        kind = "statement"
    entities = sorted({e for i in ordered for e in units[i].entities})
    events = Counter(event_of.get(units[i].article) for i in ordered)
    weight = (
        n_independent
        + (0.5 if len(sources) > n_independent else 0.0)
        + (0.3 if kind == "figure" else 0.0)
        + (0.3 if any(units[i].speaker_name for i in ordered) else 0.0)
        + (0.2 if min(units[i].index for i in ordered) < 3 else 0.0)
        + 0.3 * (len(salient & set(entities)) / len(salient) if salient else 0.0)
        + (0.6 if kind == "denial" else 0.0)
    )
    return {
        "id": "c-" + hashlib.sha1(f"{first.article}:{first.start}".encode()).hexdigest()[:12],
        "event": events.most_common(1)[0][0],
        "kind": kind,
        "hedge": hedges[0] if hedges and kind in ("hedged", "figure") else None,
        "text": first.text,
        "sources": sources,
        "independent_sources": n_independent,
        "echoes": len(sources) - n_independent,
        "entities": entities,
        "figures": [
            {
                **f.to_dict(),
                "article": units[i].article,
                "speaker": units[i].speaker,
                "speaker_name": units[i].speaker_name,
                # what makes it a quantity (compare/quantities.py): only the same
                # quantity with other values "differs"
                "thing": q.thing,
                "context": sorted(q.context),
                "dates": sorted(q.dates),
            }
            for i in ordered
            for f, q in zip(
                units[i].figures,
                unit_quantities(units[i], articles[units[i].article]["lang"]),
                strict=True,
            )
        ],
        "disputes": [],
        "dispute_evidence": {},
        "weight": round(weight, 3),
    }
