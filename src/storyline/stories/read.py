"""Events and stories as the CLI, the export and the web show them.

One place builds these records so every interface shows the same shapes (the export's,
documented in docs/export.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from storyline.errors import NotFoundError
from storyline.store import Store
from storyline.stories.dating import day_of
from storyline.stories.echo import independent_sources
from storyline.stories.timeline import build_timeline


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


def _articles(store: Store, where: str, arg: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in store.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, "
            "a.duplicate_of, a.echo_of, a.echo_evidence, a.event_id AS event, e.story_id AS story "
            f"FROM articles a JOIN events e ON e.id = a.event_id WHERE {where} "
            "ORDER BY a.published IS NULL, a.published, a.id",
            (arg,),
        )
    ]


def _sources(articles: list[dict[str, Any]]) -> int:
    members = [
        _Member(a["id"], a["outlet"], day_of(a["published"]), a["duplicate_of"]) for a in articles
    ]
    return independent_sources(members, {a["id"]: a["echo_of"] for a in articles})


def event_record(store: Store, event_id: str, *, full: bool = False) -> dict[str, Any]:
    """An event: id, story, title, date, articles and how many independent sources."""
    row = store.conn.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no event with id {event_id!r}", hint="see 'storyline stories'")
    arts = _articles(store, "a.event_id = ?", event_id)
    date_value = (
        row["date_start"]
        if row["date_start"] == row["date_end"]
        else f"{row['date_start']}/{row['date_end']}"
        if row["date_start"]
        else None
    )
    out: dict[str, Any] = {
        "id": row["id"],
        "story": row["story_id"],
        "title": row["title"],
        "date": date_value,
        "articles": [a["id"] for a in arts],
        "independent_sources": _sources(arts),
        "outlets": sorted({a["outlet"] for a in arts if a["outlet"]}),
    }
    if full:
        for a in arts:
            a["echo_evidence"] = json.loads(a["echo_evidence"]) if a["echo_evidence"] else None
        out["article_details"] = arts
    return out


def story_record(store: Store, story_id: str, *, full: bool = False) -> dict[str, Any]:
    """A story: id, title, its events (oldest first) and articles; with `full`, the
    events' details, the outlets and the timeline."""
    row = store.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id!r}", hint="see 'storyline stories'")
    events = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM events WHERE story_id=? ORDER BY date_start IS NULL, date_start, id",
            (story_id,),
        )
    ]
    arts = _articles(store, "e.story_id = ?", story_id)
    out: dict[str, Any] = {
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


def list_stories(store: Store) -> list[dict[str, Any]]:
    """Every story with its counts and date range, largest first."""
    rows = store.conn.execute(
        "SELECT s.id, s.title, count(DISTINCT e.id) AS events, count(a.id) AS articles, "
        "count(DISTINCT a.outlet) AS outlets, min(e.date_start) AS first, "
        "max(e.date_end) AS last, group_concat(DISTINCT a.lang) AS langs "
        "FROM stories s JOIN events e ON e.story_id = s.id JOIN articles a ON a.event_id = e.id "
        "GROUP BY s.id ORDER BY articles DESC, first, s.id"
    )
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "events": r["events"],
            "articles": r["articles"],
            "outlets": r["outlets"],
            "first": r["first"],
            "last": r["last"],
            "languages": sorted(set((r["langs"] or "").split(",")) - {""}),
        }
        for r in rows
    ]


def all_events(store: Store) -> list[dict[str, Any]]:
    ids = [r[0] for r in store.conn.execute("SELECT id FROM events ORDER BY date_start, id")]
    return [event_record(store, e) for e in ids]


def all_timelines(store: Store) -> list[dict[str, Any]]:
    ids = [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY id")]
    return [e.to_dict() for s in ids for e in build_timeline(store, s)]


def cluster_log(store: Store, cluster: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT id, kind, action, cluster, subject, evidence, created_at FROM cluster_log"
    args: tuple[str, ...] = ()
    if cluster:
        sql += " WHERE cluster = ? OR evidence LIKE ?"
        args = (cluster, f"%{cluster}%")
    rows = store.conn.execute(sql + " ORDER BY id", args)
    return [{**dict(r), "evidence": json.loads(r["evidence"] or "null")} for r in rows]
