"""Reading and writing events, stories, article vectors and the cluster log.

The clustering itself (stories/cluster.py) works on memory; this module is the only
place that knows how its results sit in SQLite.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict, cast

import numpy as np
import numpy.typing as npt

from storyline.analyse.model import DateMention
from storyline.errors import NotFoundError
from storyline.records import ClusterArticle, EchoEvidence, PublishedSource
from storyline.store.db import Store, id_chunks, marks, now
from storyline.types import ArticleId, EntityId, EventId, IsoDate, StoryId, Timestamp

Matrix = npt.NDArray[np.float32]


class ArticleText(TypedDict):
    """What dating an article from its story reads of it (`article_text`)."""

    id: ArticleId
    text: str
    lang: str | None
    published: IsoDate | None
    published_source: PublishedSource | None
    #: (start, end, entity id) of its mentions linked to an entity
    mentions: list[tuple[int, int, EntityId]]


class DateRow(TypedDict):
    """A dated mention with its sentence and the entities named in it (`date_rows`)."""

    article: ArticleId
    article_text: str
    lang: str | None
    start: int
    end: int
    value: IsoDate
    #: the sentence around the date
    text: str
    entities: frozenset[EntityId]


class EventRow(TypedDict):
    """Every stored column of an event."""

    id: EventId
    story_id: StoryId
    title: str
    date_start: IsoDate | None
    date_end: IsoDate | None
    created_at: Timestamp
    updated_at: Timestamp


class StoryRow(TypedDict):
    """Every stored column of a story."""

    id: StoryId
    title: str
    created_at: Timestamp
    updated_at: Timestamp


class StoryTitle(TypedDict):
    id: StoryId
    title: str


class StorySummaryRow(TypedDict):
    """A story's counts, date range and languages (`story_summaries`)."""

    id: StoryId
    title: str
    events: int
    articles: int
    outlets: int
    first: IsoDate | None
    last: IsoDate | None
    #: comma-joined
    langs: str | None
    #: 1 when no article of the story states its date
    dates_inferred: int


class ClusterLogRow(TypedDict):
    """One grouping decision as stored; `evidence` is JSON text."""

    id: int
    kind: str
    action: str
    cluster: str
    subject: str | None
    evidence: str | None
    created_at: Timestamp


class StoryText(TypedDict):
    """A story's article with its text (`story_texts`)."""

    id: ArticleId
    event_id: EventId
    text: str
    outlet: str | None
    published: IsoDate | None
    published_source: PublishedSource | None
    lang: str | None


def cluster_counts(store: Store) -> tuple[int, int]:
    """How many events and stories the store holds (kept by triggers: no count of a
    million rows after every added article)."""
    counts = dict(
        store.conn.execute(
            "SELECT name, n FROM row_counts WHERE name IN ('events', 'stories')"
        ).fetchall()
    )
    return int(counts.get("events", 0)), int(counts.get("stories", 0))


def article_text(store: Store, article_id: str) -> ArticleText:
    row = store.conn.execute(
        "SELECT id, text, lang, published, published_source FROM articles WHERE id=?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id!r}")
    out = dict(row)
    out["mentions"] = [
        (int(s), int(e), str(ent))
        for s, e, ent in store.conn.execute(
            "SELECT start, end, entity_id FROM mentions "
            "WHERE article_id=? AND entity_id IS NOT NULL",
            (article_id,),
        )
    ]
    return cast(ArticleText, out)


def date_rows(store: Store, article_ids: Sequence[str]) -> list[DateRow]:
    """Dated mentions of the articles, each with the entities named within its sentence."""
    out: list[DateRow] = []
    for article in article_ids:
        row = store.conn.execute(
            "SELECT text, lang FROM articles WHERE id=?", (article,)
        ).fetchone()
        text, lang = (row[0], row[1]) if row else ("", None)
        mentions = store.conn.execute(
            "SELECT start, entity_id FROM mentions WHERE article_id=? AND entity_id IS NOT NULL",
            (article,),
        ).fetchall()
        for d in store.conn.execute(
            "SELECT start, end, text, value, precision FROM dates WHERE article_id=?", (article,)
        ):
            lo, hi = _sentence_bounds(text, d["start"], d["end"])
            out.append(
                {
                    "article": article,
                    "article_text": text,
                    "lang": lang,
                    "start": d["start"],
                    "end": d["end"],
                    "value": d["value"],
                    "text": text[lo:hi],
                    "entities": frozenset(m[1] for m in mentions if lo <= m[0] < hi),
                }
            )
    return out


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Rough sentence around a span: enough to see which entities a date belongs to."""
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    hi_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    hi = min(hi_candidates) + 1 if hi_candidates else len(text)
    return lo + 1 if lo >= 0 else 0, hi


def replace_dates(store: Store, article_id: str, dates: Sequence[DateMention]) -> None:
    """Swap an article's dated mentions for ones resolved against a newly inferred date."""
    store.conn.execute("DELETE FROM dates WHERE article_id=?", (article_id,))
    store.conn.executemany(
        "INSERT OR IGNORE INTO dates(article_id, start, end, text, value, precision) "
        "VALUES (?,?,?,?,?,?)",
        [(article_id, d.start, d.end, d.text, d.value, d.precision) for d in dates],
    )


def save_clusters(
    store: Store,
    events: dict[str, dict[str, Any]],
    stories: dict[str, dict[str, Any]],
    assignments: dict[str, str | None],
    *,
    sweep: bool = False,
) -> None:
    """Write events and stories (id -> fields) and article -> event; drop emptied clusters.

    Only clusters these writes can have emptied are checked (the events the assigned
    articles leave, and those events' stories): adding to a store of a million articles
    must not read every event. `sweep` checks them all (a full regrouping)."""
    stamp = now()
    left = _events_of(store, assignments) | set(events)
    left_stories = _stories_of_events(store, left) | set(stories)
    store.conn.executemany(
        "INSERT INTO stories(id, title, created_at, updated_at) VALUES (?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET title=excluded.title, updated_at=excluded.updated_at",
        [(sid, s["title"], stamp, stamp) for sid, s in stories.items()],
    )
    store.conn.executemany(
        "INSERT INTO events(id, story_id, title, date_start, date_end, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET story_id=excluded.story_id, "
        "title=excluded.title, date_start=excluded.date_start, date_end=excluded.date_end, "
        "updated_at=excluded.updated_at",
        [
            (eid, e["story"], e["title"], e["date_start"], e["date_end"], stamp, stamp)
            for eid, e in events.items()
        ],
    )
    store.conn.executemany(
        "UPDATE articles SET event_id=? WHERE id=?", [(e, a) for a, e in assignments.items()]
    )
    if sweep:
        store.conn.execute(
            "DELETE FROM events WHERE id NOT IN (SELECT DISTINCT event_id FROM articles "
            "WHERE event_id IS NOT NULL)"
        )
        store.conn.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM events)")
        return
    for chunk in id_chunks(sorted(left)):
        store.conn.execute(
            f"DELETE FROM events WHERE id IN ({marks(chunk)}) "
            "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.event_id = events.id)",
            chunk,
        )
    for chunk in id_chunks(sorted(left_stories)):
        store.conn.execute(
            f"DELETE FROM stories WHERE id IN ({marks(chunk)}) "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.story_id = stories.id)",
            chunk,
        )


def set_story_titles(store: Store, titles: dict[str, str]) -> None:
    store.conn.executemany(
        "UPDATE stories SET title=? WHERE id=?", [(t, s) for s, t in sorted(titles.items())]
    )


def first_event_title(store: Store, story_id: str) -> str | None:
    """The title of the story's first event by id (a story without names is titled so)."""
    row = store.conn.execute(
        "SELECT title FROM events WHERE story_id=? ORDER BY id LIMIT 1", (story_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def _events_of(store: Store, assignments: dict[str, str | None]) -> set[str]:
    out: set[str] = set()
    for chunk in id_chunks(sorted(assignments)):
        out.update(
            str(r[0])
            for r in store.conn.execute(
                f"SELECT DISTINCT event_id FROM articles WHERE id IN ({marks(chunk)}) "
                "AND event_id IS NOT NULL",
                chunk,
            )
        )
    return out


def _stories_of_events(store: Store, event_ids: set[str]) -> set[str]:
    out: set[str] = set()
    for chunk in id_chunks(sorted(event_ids)):
        out.update(
            str(r[0])
            for r in store.conn.execute(
                f"SELECT DISTINCT story_id FROM events WHERE id IN ({marks(chunk)})", chunk
            )
        )
    return out


def save_echoes(store: Store, echoes: dict[str, tuple[str | None, EchoEvidence | None]]) -> None:
    store.conn.executemany(
        "UPDATE articles SET echo_of=?, echo_evidence=? WHERE id=?",
        [
            (src, json.dumps(ev, ensure_ascii=False) if ev else None, a)
            for a, (src, ev) in echoes.items()
        ],
    )


def append_log(store: Store, entries: Iterable[Any]) -> None:
    stamp = now()
    store.conn.executemany(
        "INSERT INTO cluster_log(kind, action, cluster, subject, evidence, created_at) "
        "VALUES (?,?,?,?,?,?)",
        [
            (
                e.kind,
                e.action,
                e.cluster,
                e.subject,
                json.dumps(e.evidence, ensure_ascii=False),
                stamp,
            )
            for e in entries
        ],
    )


def clear_clusters(store: Store) -> None:
    store.conn.execute("UPDATE articles SET event_id=NULL, echo_of=NULL, echo_evidence=NULL")
    store.conn.execute("DELETE FROM events")
    store.conn.execute("DELETE FROM stories")


#: Figures this small are mostly days of the month, not counts worth comparing.
_DAY_LIKE = 31


def echo_material(store: Store, article: str) -> tuple[set[str], set[float], str]:
    """What telling an echo from an independent report reads of an article: the speakers
    of its direct quotes, its figures (day-like values left out) and its text."""
    speakers = {
        str(r[0])
        for r in store.conn.execute(
            "SELECT speaker FROM quotes "
            "WHERE article_id=? AND speaker IS NOT NULL AND kind='direct'",
            (article,),
        )
    }
    figures = {
        float(r[0])
        for r in store.conn.execute(
            "SELECT value FROM quantities WHERE article_id=? AND value NOT BETWEEN 0 AND ?",
            (article, _DAY_LIKE),
        )
    }
    row = store.conn.execute("SELECT text FROM articles WHERE id=?", (article,)).fetchone()
    return speakers, figures, row[0] if row else ""


def entity_names(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The display name of each of these entities that exists."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        str(r[0]): str(r[1])
        for r in store.conn.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", ids)
    }


def story_title(store: Store, story_id: str) -> StoryTitle:
    """A story's id and title (for a page that links back to it)."""
    row = store.conn.execute("SELECT id, title FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story {story_id}", hint="see 'storyline stories'")
    return {"id": str(row[0]), "title": row[1]}


Version = tuple[object, ...]


def story_version(store: Store, story_id: str) -> Version:
    """What a story's timeline and comparison depend on: its articles (count, newest),
    their analysis, its events. Equal versions mean nothing they show has changed."""
    row = store.conn.execute(
        "SELECT count(*), max(a.rowid), max(a.analysed_at), max(e.updated_at), "
        "group_concat(DISTINCT e.id) FROM events e JOIN articles a ON a.event_id = e.id "
        "WHERE e.story_id = ?",
        (story_id,),
    ).fetchone()
    return tuple(row)


def store_version(store: Store) -> Version:
    """What the list of all stories depends on: articles and cluster changes."""
    row = store.conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT max(rowid) FROM articles), "
        "(SELECT max(updated_at) FROM events), (SELECT count(*) FROM events), "
        "(SELECT max(updated_at) FROM stories), (SELECT count(*) FROM stories)"
    ).fetchone()
    return tuple(row)


# -- events and stories as records ----------------------------------------------------


def cluster_articles(
    store: Store, *, event_id: str | None = None, story_id: str | None = None
) -> list[ClusterArticle]:
    """The articles of one event or one story, oldest first (undated last), with the
    columns the records show."""
    where, arg = (
        ("a.event_id = ?", event_id) if event_id is not None else ("e.story_id = ?", story_id)
    )
    return [
        cast(ClusterArticle, dict(r))
        for r in store.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, "
            "a.duplicate_of, a.echo_of, a.echo_evidence, a.event_id AS event, e.story_id AS story "
            f"FROM articles a JOIN events e ON e.id = a.event_id WHERE {where} "
            "ORDER BY a.published IS NULL, a.published, a.id",
            (arg,),
        )
    ]


def event_row(store: Store, event_id: str) -> EventRow:
    """Every stored column of an event."""
    row = store.conn.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no event with id {event_id!r}", hint="see 'storyline stories'")
    return cast(EventRow, dict(row))


def story_row(store: Store, story_id: str) -> StoryRow:
    """Every stored column of a story."""
    row = store.conn.execute("SELECT * FROM stories WHERE id=?", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id!r}", hint="see 'storyline stories'")
    return cast(StoryRow, dict(row))


def story_event_ids(store: Store, story_id: str) -> list[str]:
    """A story's events, earliest first (undated last)."""
    return [
        str(r[0])
        for r in store.conn.execute(
            "SELECT id FROM events WHERE story_id=? ORDER BY date_start IS NULL, date_start, id",
            (story_id,),
        )
    ]


def event_story(store: Store, event_id: str) -> str:
    """The story an event belongs to."""
    row = store.conn.execute("SELECT story_id FROM events WHERE id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no event {event_id}", hint="see 'storyline stories'")
    return str(row[0])


def event_article_ids(store: Store, event_id: str) -> list[str]:
    """The articles of an event, oldest first."""
    return [
        str(r[0])
        for r in store.conn.execute(
            "SELECT id FROM articles WHERE event_id = ? ORDER BY rowid", (event_id,)
        )
    ]


def event_ids(store: Store) -> list[str]:
    return [str(r[0]) for r in store.conn.execute("SELECT id FROM events ORDER BY date_start, id")]


def story_ids(store: Store) -> list[str]:
    return [str(r[0]) for r in store.conn.execute("SELECT id FROM stories ORDER BY id")]


def story_summaries(store: Store) -> list[StorySummaryRow]:
    """Every story with its counts, date range and languages (comma-joined), largest first."""
    return [
        cast(StorySummaryRow, dict(r))
        for r in store.conn.execute(
            "SELECT s.id, s.title, count(DISTINCT e.id) AS events, count(a.id) AS articles, "
            "count(DISTINCT a.outlet) AS outlets, min(e.date_start) AS first, "
            "max(e.date_end) AS last, group_concat(DISTINCT a.lang) AS langs, "
            "coalesce(max(CASE WHEN a.published_source IN ('metadata', 'text') THEN 1 "
            "ELSE 0 END), 0) = 0 AS dates_inferred "
            "FROM stories s JOIN events e ON e.story_id = s.id "
            "JOIN articles a ON a.event_id = e.id "
            "GROUP BY s.id ORDER BY articles DESC, first, s.id"
        )
    ]


def cluster_log_rows(store: Store, cluster: str | None = None) -> list[ClusterLogRow]:
    """The grouping log (of one cluster, or whose evidence names it), oldest first."""
    sql = "SELECT id, kind, action, cluster, subject, evidence, created_at FROM cluster_log"
    args: tuple[str, ...] = ()
    if cluster:
        sql += " WHERE cluster = ? OR evidence LIKE ?"
        args = (cluster, f"%{cluster}%")
    return [cast(ClusterLogRow, dict(r)) for r in store.conn.execute(sql + " ORDER BY id", args)]


def _by_article(store: Store, sql: str, article_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
    """Rows of `sql` (whose first column is article_id and which ends in an `IN` list)
    for all these articles, a few statements in all: a story page must not run one
    query per article (each is a round trip to a PostgreSQL server)."""
    out: dict[str, list[sqlite3.Row]] = {a: [] for a in article_ids}
    for chunk in id_chunks(sorted(set(article_ids))):
        for r in store.conn.execute(sql.format(marks=marks(chunk)), chunk):
            out[str(r[0])].append(r)
    return out


def linked_mentions(store: Store, article_ids: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    """(start, entity id) of each article's mentions linked to an entity."""
    rows = _by_article(
        store,
        "SELECT article_id, start, entity_id FROM mentions "
        "WHERE entity_id IS NOT NULL AND article_id IN ({marks})",
        article_ids,
    )
    return {a: [(int(r[1]), str(r[2])) for r in found] for a, found in rows.items()}


def article_dates(store: Store, article_ids: Sequence[str]) -> dict[str, list[sqlite3.Row]]:
    """Each article's dated mentions (start, end, text, value, precision), in text order."""
    rows = _by_article(
        store,
        "SELECT article_id, start, end, text, value, precision FROM dates "
        "WHERE article_id IN ({marks}) ORDER BY article_id, start",
        article_ids,
    )
    return rows


def story_texts(store: Store, story_id: str) -> list[StoryText]:
    """The story's articles with their text, event, outlet and date, oldest first."""
    return [
        cast(StoryText, dict(r))
        for r in store.conn.execute(
            "SELECT a.id, a.event_id, a.text, a.outlet, a.published, a.published_source, a.lang "
            "FROM articles a "
            "JOIN events e ON e.id = a.event_id WHERE e.story_id=? ORDER BY a.published, a.id",
            (story_id,),
        )
    ]


def direct_quote_spans(
    store: Store, article_ids: Sequence[str]
) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of each article's direct quotes: dates inside them are said, not done."""
    rows = _by_article(
        store,
        "SELECT article_id, start, end FROM quotes WHERE kind='direct' AND article_id IN ({marks})",
        article_ids,
    )
    return {a: [(int(r[1]), int(r[2])) for r in found] for a, found in rows.items()}
