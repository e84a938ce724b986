"""The comparison of a story or event as every interface shows it (export, API, web, report)."""

from __future__ import annotations

from collections import defaultdict

from storyline.compare.figures import figure_groups, summarised
from storyline.compare.job import update_claims
from storyline.records import ClaimRecord, ClaimsState, Comparison, OutletTally
from storyline.store import SCHEMA_VERSION, Store
from storyline.store.claims import (
    claim_state,
    cluster_outlets,
    members_hash,
    read_claims,
    story_members,
)
from storyline.store.stories import event_article_ids, event_story, story_event_ids, story_ids
from storyline.stories.read import resolve_story_or_event


def _cluster(store: Store, cluster_id: str) -> tuple[str, str, str | None]:
    """(kind, story id, event id) of a story or event id or unambiguous prefix."""
    kind, full = resolve_story_or_event(store, cluster_id)
    if kind == "story":
        return kind, full, None
    return kind, event_story(store, full), full


def claims_state(store: Store, story: str) -> ClaimsState:
    """Whether a story's stored claims are current, and when they were made."""
    members = story_members(store, [story]).get(story, [])
    row = claim_state(store, story)
    current = row is not None and row[0] == members_hash(members)
    return {"current": current, "computed_at": row[1] if row else None}


def ensure_current(store: Store, story: str) -> None:
    """Recompute a story's claims when its articles or events changed since they were made."""
    if not claims_state(store, story)["current"]:
        update_claims(store, [story])


def _restrict(claims: list[ClaimRecord], articles: set[str], event: str) -> list[ClaimRecord]:
    """Claims as carried by `articles` only (an event's view of its story's claims)."""
    out: list[ClaimRecord] = []
    for c in claims:
        sources = [s for s in c["sources"] if s["article"] in articles]
        if not sources:
            continue
        outlets = list(dict.fromkeys(s["outlet"] for s in sources if s["outlet"]))
        outlet_of = {s["article"]: s["outlet"] for s in c["sources"]}
        independent = len(
            {
                (outlet_of.get(s["echo_of"]) or s["echo_of"])
                if s["echo_of"]
                else (s["outlet"] or s["article"])
                for s in sources
            }
        )
        out.append(
            {
                **c,
                "event": event,
                "sources": sources,
                "outlets": outlets,
                "independent_sources": independent,
                "echoes": len(sources) - independent,
                "figures": [f for f in c["figures"] if f["article"] in articles],
            }
        )
    kept = {c["id"] for c in out}
    for c in out:
        c["disputes"] = [d for d in c["disputes"] if d in kept]
        c["disputed_by"] = [d for d in c["disputed_by"] if d in kept]
    return out


def compare(store: Store, cluster_id: str, *, refresh: bool = True) -> Comparison:
    kind, story, event = _cluster(store, cluster_id)
    if refresh:
        ensure_current(store, story)
    with store.snapshot():  # claims rewritten by another process meanwhile: one version
        return _compared(store, kind, story, event)


def _compared(store: Store, kind: str, story: str, event: str | None) -> Comparison:
    state = claims_state(store, story)
    claims = read_claims(store, story)
    if event is not None:
        members = set(event_article_ids(store, event))
        claims = _restrict(claims, members, event)
        events = [event]
    else:
        events = story_event_ids(store, story)
    articles_per_outlet: dict[str, int] = defaultdict(int)
    for outlet in cluster_outlets(store, story, event):
        articles_per_outlet[outlet or "?"] += 1
    several = len(articles_per_outlet) > 1
    unique: dict[str, list[str]] = defaultdict(list)
    carried: dict[str, int] = defaultdict(int)
    echoes: dict[str, int] = defaultdict(int)
    for c in claims:
        for outlet in c["outlets"]:
            carried[outlet] += 1
        for s in c["sources"]:
            if s["echo_of"]:
                echoes[s["outlet"] or "?"] += 1
        if several and len(c["outlets"]) == 1:
            unique[c["outlets"][0]].append(c["id"])
    outlets: list[OutletTally] = [
        {
            "outlet": o,
            "articles": n,
            "claims": carried.get(o, 0),
            "unique": len(unique.get(o, [])),
            "echoes": echoes.get(o, 0),
        }
        for o, n in sorted(articles_per_outlet.items(), key=lambda x: (-carried.get(x[0], 0), x[0]))
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "id": event or story,
        "kind": kind,
        "story": story,
        "events": events,
        "outlets": outlets,
        "claims": claims,
        "figures": summarised(figure_groups(claims)),
        "unique": dict(unique),
        "disputes": [
            {"claim": c["id"], "denied_by": c["disputed_by"]} for c in claims if c["disputed_by"]
        ],
        "claims_state": state,
    }


def all_claims(store: Store) -> list[ClaimRecord]:
    """Every story's claims (the export's ``claims`` section), current first."""
    out: list[ClaimRecord] = []
    for story in story_ids(store):
        ensure_current(store, story)
        out.extend(read_claims(store, story))
    return out
