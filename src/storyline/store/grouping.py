"""What grouping reads and writes of articles: vectors, dates, entities, story members.

Apart from store/stories.py (events, stories and their pages) because these reads
decide what grouping costs as the store grows: everything for a full regrouping, only
the stories around new articles otherwise (stories/load.py), each through an index.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.store.db import Store, id_chunks, marks

Matrix = npt.NDArray[np.float32]


def save_vectors(store: Store, backend: str, rows: Iterable[tuple[str, Matrix]]) -> None:
    store.conn.executemany(
        "INSERT OR REPLACE INTO article_vectors(article_id, backend, dim, vector) VALUES (?,?,?,?)",
        [
            (a, backend, int(v.shape[-1]), np.asarray(v, dtype=np.float32).tobytes())
            for a, v in rows
        ],
    )


def load_vectors(store: Store, backend: str) -> dict[str, Matrix]:
    out: dict[str, Matrix] = {}
    for article, blob in store.conn.execute(
        "SELECT article_id, vector FROM article_vectors WHERE backend=?", (backend,)
    ):
        out[article] = np.frombuffer(blob, dtype=np.float32)
    return out


def articles_without_vectors(
    store: Store, backend: str, *, placed: bool = True
) -> list[dict[str, Any]]:
    """Articles with no `backend` vector, oldest first; without `placed`, only those that
    belong to no event yet (an index of the unplaced: no pass over the store)."""
    # Pages flagged as not articles (quality) are never grouped, so never embedded for it.
    where = "a.quality IS NULL AND " + ("" if placed else "a.event_id IS NULL AND ")
    rows = store.conn.execute(
        f"SELECT a.id, a.title, a.text, a.lang FROM articles a WHERE {where}NOT EXISTS "
        "(SELECT 1 FROM article_vectors v WHERE v.article_id = a.id AND v.backend = ?) "
        "ORDER BY a.rowid",
        (backend,),
    )
    return [dict(r) for r in rows]


def article_rows(store: Store, *, details: bool = True) -> list[dict[str, Any]]:
    """What clustering needs of every article (no text): dates, outlet, event; with
    `details`, also its entities (id -> mentions) and dated mentions (value, precision)."""
    rows = [
        dict(r)
        for r in store.conn.execute(
            "SELECT id, title, lang, outlet, published, published_source, published_confidence, "
            "duplicate_of, event_id FROM articles WHERE quality IS NULL ORDER BY rowid"
        )
    ]
    for r in rows:
        r["entities"], r["dates"] = {}, []
    if details:
        by_id = {r["id"]: r for r in rows}
        for article, extra in article_details(store, None).items():
            by_id[article].update(extra)
    return rows


def article_details(store: Store, ids: Sequence[str] | None) -> dict[str, dict[str, Any]]:
    """Entities (id -> mentions) and dated mentions of the articles (all when `ids` is None)."""
    chunks = [None] if ids is None else [list(ids[i : i + 500]) for i in range(0, len(ids), 500)]
    out: dict[str, dict[str, Any]] = {}
    for chunk in chunks:
        where, args = "", []
        if chunk is not None:
            where, args = f" AND article_id IN ({','.join('?' * len(chunk))})", chunk
        for article, entity, n in store.conn.execute(
            "SELECT article_id, entity_id, count(*) FROM mentions WHERE entity_id IS NOT NULL"
            f"{where} GROUP BY article_id, entity_id",
            args,
        ):
            out.setdefault(article, {"entities": {}, "dates": []})["entities"][entity] = float(n)
        for article, value, precision in store.conn.execute(
            f"SELECT article_id, value, precision FROM dates WHERE TRUE{where} "
            "ORDER BY article_id, start",
            args,
        ):
            out.setdefault(article, {"entities": {}, "dates": []})["dates"].append(
                (value, precision)
            )
    return out


#: articles counted at most per entity when a few entities are looked up: an entity named
#: in more is "very common" either way, and counting the million mentions of a head of
#: state for every added article would make adding cost as much as the store
DF_CAP = 10_000
#: per open store, the entities counted at `DF_CAP`: named in ten thousand articles, they
#: stay "very common" (a writer adding articles for hours asks for the same ones again)
_COMMON: weakref.WeakKeyDictionary[Store, set[str]] = weakref.WeakKeyDictionary()


def entity_article_counts(store: Store, entity_ids: Iterable[str] | None = None) -> dict[str, int]:
    """In how many articles each entity (of `entity_ids`, counted up to `DF_CAP`; all when
    None, exactly) is named, for rarity weights: a few entities cost a bounded index read
    each, not a pass over mentions."""
    if entity_ids is None:
        return dict(
            store.conn.execute(
                "SELECT entity_id, count(DISTINCT article_id) FROM mentions "
                "WHERE entity_id IS NOT NULL GROUP BY entity_id"
            ).fetchall()
        )
    out: dict[str, int] = {}
    common = _COMMON.setdefault(store, set())
    for entity in sorted(set(entity_ids)):
        if entity in common:
            out[entity] = DF_CAP
            continue
        row = store.conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT article_id FROM mentions "
            "WHERE entity_id = ? LIMIT ?)",
            (entity, DF_CAP),
        ).fetchone()
        if row[0]:
            out[entity] = int(row[0])
        if row[0] >= DF_CAP:
            common.add(entity)
    return out


#: the columns grouping reads of an article (no text)
_ROW_COLUMNS = (
    "a.id, a.title, a.lang, a.outlet, a.published, a.published_source, "
    "a.published_confidence, a.duplicate_of, a.event_id"
)


def _rows(cursor: Iterable[sqlite3.Row]) -> list[dict[str, Any]]:
    rows = [dict(r) for r in cursor]
    for r in rows:
        r["entities"], r["dates"] = {}, []
    return rows


def unplaced_rows(store: Store, backend: str) -> list[dict[str, Any]]:
    """Articles with a `backend` vector that belong to no event (yet), oldest first (the
    foreign key keeps `event_id` to existing events; an index holds the unplaced). CROSS
    JOIN keeps SQLite's order: from the few unplaced articles to their vectors, never from
    a million vectors of the backend to their articles."""
    return _rows(
        store.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles a CROSS JOIN article_vectors v "
            "WHERE v.article_id = a.id AND v.backend = ? AND a.event_id IS NULL "
            "AND a.quality IS NULL ORDER BY a.rowid",
            (backend,),
        )
    )


def placed_vectors(store: Store, backend: str) -> tuple[list[str], Matrix]:
    """Ids and `backend` vectors of every placed article: an exact scan for neighbours."""
    ids: list[str] = []
    blobs: list[bytes] = []
    for article, blob in store.conn.execute(
        "SELECT v.article_id, v.vector FROM article_vectors v JOIN articles a "
        "ON a.id = v.article_id WHERE v.backend = ? AND a.event_id IN (SELECT id FROM events) "
        "ORDER BY a.rowid",
        (backend,),
    ):
        ids.append(str(article))
        blobs.append(blob)
    if not blobs:
        return ids, np.zeros((0, 0), dtype=np.float32)
    return ids, np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)


def article_member_rows(store: Store, article_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Grouping's rows of the (placed) articles, with their story, oldest first."""
    return _member_rows(store, "a.id", article_ids)


def event_member_rows(store: Store, event_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Grouping's rows of every article of the events (with their story), oldest first."""
    return _member_rows(store, "e.id", event_ids)


def _member_rows(store: Store, column: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for chunk in id_chunks(sorted(set(ids))):
        rows.extend(
            _rows(
                store.conn.execute(
                    f"SELECT {_ROW_COLUMNS}, e.story_id, a.rowid AS _rowid FROM articles a "
                    "JOIN events e ON e.id = a.event_id "
                    f"WHERE {column} IN ({marks(chunk)})",
                    chunk,
                )
            )
        )
    rows.sort(key=lambda r: r.pop("_rowid"))
    return rows


@dataclass
class StoryCounts:
    """What grouping counts over all articles of some stories without reading them: their
    sizes, how many articles name each of some entities, and the publication dates they
    state (metadata or text; inferred dates are not evidence of time)."""

    sizes: dict[str, int] = field(default_factory=dict)
    names: list[tuple[str, str, int]] = field(default_factory=list)  # story, entity, articles
    stated: list[tuple[str, str, int]] = field(default_factory=list)  # story, published, articles


def story_counts(store: Store, story_ids: Iterable[str], entity_ids: Iterable[str]) -> StoryCounts:
    """:class:`StoryCounts` of the stories, for the entities `entity_ids`: two passes over
    the stories' index entries in the database, rows only per story and entity."""
    out = StoryCounts()
    wanted = set(entity_ids)
    # CROSS JOIN keeps SQLite's order: from the stories to their articles and on to their
    # mentions by primary key, never from a popular entity's million mentions to stories
    members = "FROM events e CROSS JOIN articles a "
    for chunk in id_chunks(sorted(set(story_ids))):
        where = f"WHERE a.event_id = e.id AND e.story_id IN ({marks(chunk)}) "
        for story, published, stated, n in store.conn.execute(
            f"SELECT e.story_id, a.published, a.published_source IN ('metadata', 'text'), "
            f"count(*) {members}{where}GROUP BY 1, 2, 3",
            chunk,
        ):
            out.sizes[str(story)] = out.sizes.get(str(story), 0) + int(n)
            if stated and published is not None:
                out.stated.append((str(story), str(published), int(n)))
        out.names.extend(
            (str(story), str(entity), int(n))
            for story, entity, n in store.conn.execute(
                f"SELECT e.story_id, m.entity_id, count(DISTINCT m.article_id) {members}"
                f"CROSS JOIN mentions m {where}AND m.article_id = a.id "
                "AND m.entity_id IS NOT NULL GROUP BY e.story_id, m.entity_id",
                chunk,
            )
            if entity in wanted
        )
    return out


def story_entity_counts(store: Store, story_id: str) -> list[tuple[str, int, int]]:
    """(entity, articles naming it, mentions) over every stored article of the story."""
    return [
        (str(entity), int(articles), int(n))
        for entity, articles, n in store.conn.execute(
            "SELECT m.entity_id, count(DISTINCT m.article_id), count(*) FROM events e "
            "CROSS JOIN articles a CROSS JOIN mentions m WHERE a.event_id = e.id "
            "AND m.article_id = a.id AND e.story_id = ? AND m.entity_id IS NOT NULL "
            "GROUP BY m.entity_id",
            (story_id,),
        )
    ]


def vectors_for(store: Store, backend: str, article_ids: Iterable[str]) -> dict[str, Matrix]:
    """The `backend` vectors of the articles.

    Looked up by article alone (an article has one vector) and the backend checked here:
    with ``backend = ?`` beside a long ``IN`` list, SQLite may walk the backend index, i.e.
    every vector of a million-article store, instead of a few hundred key lookups."""
    out: dict[str, Matrix] = {}
    for chunk in id_chunks(sorted(set(article_ids))):
        for article, kind, blob in store.conn.execute(
            "SELECT article_id, backend, vector FROM article_vectors "
            f"WHERE article_id IN ({marks(chunk)})",
            chunk,
        ):
            if kind == backend:
                out[str(article)] = np.frombuffer(blob, dtype=np.float32)
    return out


def event_assignments(store: Store) -> dict[str, str]:
    """Article -> event of every placed article (a full regrouping keeps ids by them)."""
    rows = store.conn.execute("SELECT id, event_id FROM articles WHERE event_id IS NOT NULL")
    return {str(a): str(e) for a, e in rows}


def story_of_events(store: Store) -> dict[str, str]:
    """Event -> story of every event."""
    return {str(e): str(s) for e, s in store.conn.execute("SELECT id, story_id FROM events")}
