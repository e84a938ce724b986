"""Events and stories as the CLI, the export and the web show them.

One place builds these records so every interface shows the same shapes (the export's,
documented in docs/export.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from storyline.errors import NotFoundError
from storyline.records import (
    ClusterArticle,
    ClusterLogEntry,
    EventArticle,
    EventRecord,
    StoryRecord,
    StorySummary,
    TimelineEntryRecord,
)
from storyline.store import Store
from storyline.store.stories import (
    cluster_articles,
    cluster_log_rows,
    event_ids,
    event_row,
    story_event_ids,
    story_ids,
    story_row,
    story_summaries,
)
from storyline.stories.dating import day_of
from storyline.stories.echo import independent_sources
from storyline.stories.timeline import build_timeline

#: Where a publication date counts as stated (else it is inferred, see docs/export.md).
STATED_SOURCES = frozenset({"metadata", "text"})


@dataclass(frozen=True)
class _Member:
    id: str
    outlet: str | None
    published: date | None
    duplicate_of: str | None


def resolve_cluster(store: Store, kind: str, prefix: str) -> str:
    """Full id of a story or event from its id or an unambiguous prefix."""
    table = {"story": "stories", "event": "events"}[kind]
    return store.resolve_prefix(table, kind, prefix, hint="see 'storyline stories'")


def resolve_story_or_event(store: Store, value: str) -> tuple[str, str]:
    """("story" | "event", full id) for a story or event id or an unambiguous prefix.

    Ids starting ``s-`` are stories, ``e-`` events; anything else is tried as a story,
    then as an event, so a bare hex prefix works when it names exactly one of them.
    """
    kinds = {"s-": ("story",), "e-": ("event",)}.get(value[:2], ("story", "event"))
    last: NotFoundError | None = None
    for kind in kinds:
        full = value if len(kinds) == 1 else f"{kind[0]}-{value}"
        try:
            return kind, resolve_cluster(store, kind, full)
        except NotFoundError as err:
            last = err
    raise NotFoundError(
        f"no story or event with id {value!r}",
        hint=f"{last.message if last else ''}; story ids start with 's-', event ids with "
        "'e-'; see 'storyline stories'",
    )


def _sources(articles: list[ClusterArticle]) -> int:
    members = [
        _Member(a["id"], a["outlet"], day_of(a["published"]), a["duplicate_of"]) for a in articles
    ]
    return independent_sources(members, {a["id"]: a["echo_of"] for a in articles})


def event_record(store: Store, event_id: str, *, full: bool = False) -> EventRecord:
    """An event: id, story, title, date, articles and how many independent sources."""
    row = event_row(store, event_id)
    arts = cluster_articles(store, event_id=event_id)
    date_value = (
        row["date_start"]
        if row["date_start"] == row["date_end"]
        else f"{row['date_start']}/{row['date_end']}"
        if row["date_start"]
        else None
    )
    out: EventRecord = {
        "id": row["id"],
        "story": row["story_id"],
        "title": row["title"],
        "date": date_value,
        # no article of the event states its date: the date is inferred from the text
        "date_inferred": date_value is not None
        and not any(a["published_source"] in STATED_SOURCES for a in arts),
        "articles": [a["id"] for a in arts],
        "independent_sources": _sources(arts),
        "outlets": sorted({a["outlet"] for a in arts if a["outlet"]}),
    }
    if full:
        details: list[EventArticle] = [
            {**a, "echo_evidence": json.loads(a["echo_evidence"]) if a["echo_evidence"] else None}
            for a in arts
        ]
        out["article_details"] = details
    return out


def story_record(store: Store, story_id: str, *, full: bool = False) -> StoryRecord:
    """A story: id, title, its events (oldest first) and articles; with `full`, the
    events' details, the outlets and the timeline."""
    row = story_row(store, story_id)
    events = story_event_ids(store, story_id)
    arts = cluster_articles(store, story_id=story_id)
    out: StoryRecord = {
        "id": row["id"],
        "title": row["title"],
        "events": events,
        "articles": [a["id"] for a in arts],
    }
    if full:
        out["event_details"] = [event_record(store, e) for e in events]
        outlets: dict[str, int] = {}
        for a in arts:
            outlets[a["outlet"] or "?"] = outlets.get(a["outlet"] or "?", 0) + 1
        out["outlets"] = dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])))
        out["languages"] = sorted({a["lang"] for a in arts if a["lang"]})
        out["timeline"] = [e.to_dict() for e in build_timeline(store, story_id)]
    return out


def list_stories(store: Store) -> list[StorySummary]:
    """Every story with its counts and date range, largest first."""
    rows = story_summaries(store)
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "events": r["events"],
            "articles": r["articles"],
            "outlets": r["outlets"],
            "first": r["first"],
            "last": r["last"],
            # no article of the story states its date: its dates are all inferred
            "dates_inferred": bool(r["first"]) and bool(r["dates_inferred"]),
            "languages": sorted(set((r["langs"] or "").split(",")) - {""}),
        }
        for r in rows
    ]


def all_events(store: Store) -> list[EventRecord]:
    return [event_record(store, e) for e in event_ids(store)]


def all_timelines(store: Store) -> list[TimelineEntryRecord]:
    return [e.to_dict() for s in story_ids(store) for e in build_timeline(store, s)]


def cluster_log(store: Store, cluster: str | None = None) -> list[ClusterLogEntry]:
    return [
        {**r, "evidence": json.loads(r["evidence"] or "null")}
        for r in cluster_log_rows(store, cluster)
    ]
