"""How search sits in SQLite: the normalised FTS5 table `articles_search`, the filters on
`articles`, and the stored article vectors that meaning search and the HNSW index read.

The search package (`storyline.search`) decides what to look for and how to rank it (stems,
query parsing, rank fusion, the usearch index file); this module is the only place that
knows the tables those decisions read and write. The normalised text is computed by the
caller (Snowball stems cannot be computed in SQL) and handed in.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from storyline.store.db import Store

#: Article rows that the index reads: rowid, id, title, text, lang.
IndexSource = tuple[int, str, str | None, str | None, str | None]
#: Rows the index writes: rowid, article id, normalised title, normalised text.
IndexRow = tuple[int, str, str, str]

_SOURCE = "SELECT rowid, id, title, text, lang FROM articles"


@dataclass(frozen=True)
class SearchFilters:
    """Conditions on the articles a search may return (all optional, all must hold).

    `first` and `last` are inclusive days (YYYY-MM-DD) of publication; undated articles
    are left out once either is given. `entity_id` and `story_id` are full ids.
    """

    outlet: str | None = None
    lang: str | None = None
    first: str | None = None
    last: str | None = None
    entity_id: str | None = None
    story_id: str | None = None
    event_id: str | None = None

    def sql(self) -> tuple[list[str], list[object]]:
        """Conditions on `articles a` with their arguments."""
        where: list[str] = []
        args: list[object] = []
        if self.outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(self.outlet)
        if self.lang:
            where.append("a.lang = ?")
            args.append(self.lang)
        if self.first:
            where.append("a.published IS NOT NULL AND substr(a.published, 1, 10) >= ?")
            args.append(self.first)
        if self.last:
            where.append("a.published IS NOT NULL AND substr(a.published, 1, 10) <= ?")
            args.append(self.last)
        if self.entity_id:
            where.append("a.id IN (SELECT article_id FROM mentions WHERE entity_id = ?)")
            args.append(self.entity_id)
        if self.story_id:
            where.append("a.event_id IN (SELECT id FROM events WHERE story_id = ?)")
            args.append(self.story_id)
        if self.event_id:
            where.append("a.event_id = ?")
            args.append(self.event_id)
        return where, args

    @property
    def empty(self) -> bool:
        return not self.sql()[0]


@dataclass(frozen=True)
class SearchRow:
    """What a search result shows of an article."""

    id: str
    title: str | None
    outlet: str | None
    lang: str | None
    published: str | None
    text: str
    duplicate_of: str | None
    event_id: str | None


@dataclass(frozen=True)
class ArticleListRow:
    """One line of the API's article list."""

    id: str
    title: str | None
    outlet: str | None
    lang: str | None
    published: str | None
    published_source: str | None
    duplicate_of: str | None
    chars: int
    event: str | None
    story: str | None


# -- the normalised full-text index ------------------------------------------------------


def index_sources(conn: sqlite3.Connection, rowids: Sequence[int]) -> list[IndexSource]:
    """The article rows the index is built from, for these rowids."""
    marks = ",".join("?" * len(rowids))
    rows = conn.execute(_SOURCE + f" WHERE rowid IN ({marks})", list(rowids)).fetchall()
    return [(int(r[0]), str(r[1]), r[2], r[3], r[4]) for r in rows]


def index_source(conn: sqlite3.Connection, article_id: str) -> IndexSource | None:
    """The row the index is built from for one article, None if there is no such article."""
    r = conn.execute(_SOURCE + " WHERE id = ?", (article_id,)).fetchone()
    return None if r is None else (int(r[0]), str(r[1]), r[2], r[3], r[4])


def write_index_rows(conn: sqlite3.Connection, rows: Sequence[IndexRow]) -> None:
    """Replace the search rows of these articles (in the caller's transaction)."""
    conn.executemany("DELETE FROM articles_search WHERE rowid = ?", [(r[0],) for r in rows])
    conn.executemany(
        "INSERT INTO articles_search(rowid, article_id, title, text) VALUES (?, ?, ?, ?)", rows
    )


def clear_index(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM articles_search")


def drop_stale_index_rows(conn: sqlite3.Connection) -> int:
    """Delete search rows whose rowid is no article, or another article than the one
    indexed (VACUUM may renumber rowids); return how many."""
    stale = [
        (int(r[0]),)
        for r in conn.execute(
            "SELECT s.rowid FROM articles_search s LEFT JOIN articles a ON a.rowid = s.rowid "
            "WHERE a.id IS NOT s.article_id"
        )
    ]
    conn.executemany("DELETE FROM articles_search WHERE rowid = ?", stale)
    return len(stale)


def unindexed_rowids(conn: sqlite3.Connection) -> list[int]:
    """Rowids of articles without a current search row, in rowid order."""
    rows = conn.execute(
        "SELECT a.rowid FROM articles a LEFT JOIN articles_search s ON s.rowid = a.rowid "
        "WHERE s.article_id IS NOT a.id ORDER BY a.rowid"
    )
    return [int(r[0]) for r in rows]


def index_is_complete(conn: sqlite3.Connection) -> bool:
    """Cheap check (two b-tree counts, ~1 ms at 50k articles) that every article has a row.

    It reads the FTS5 shadow table `articles_search_docsize` (one row per indexed
    document): counting the virtual table itself would scan every stored row. The
    triggers delete search rows with their articles, so equal counts mean complete,
    short of a rowid renumbering (VACUUM), which this check misses and `reindex` repairs.
    """
    shadow = "articles_search" if _is_postgres(conn) else "articles_search_docsize"
    row = conn.execute(
        f"SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM {shadow})"
    ).fetchone()
    return int(row[0]) == int(row[1])


@contextmanager
def lock_wait(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Wait at most `ms` for another writer's lock inside the block (then StoreBusy)."""
    if _is_postgres(conn):
        old_s = str(conn.execute("SHOW lock_timeout").fetchone()[0])
        conn.execute(f"SET lock_timeout = {int(ms)}")
        try:
            yield
        finally:
            conn.execute(f"SET lock_timeout = '{old_s}'")
        return
    old = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {old}")


def rollback_open(conn: sqlite3.Connection) -> None:
    """End a transaction left open by a failed write, so a search then reads the store as
    it is. A rollback that fails too has nothing left to undo: its error is not the one
    the caller is handling, so it is dropped."""
    with suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


# -- rankings and filters ----------------------------------------------------------------


def text_ranking(
    store: Store,
    expression: str,
    filters: SearchFilters,
    depth: int,
    weights: Sequence[float],
) -> list[tuple[str, float]]:
    """(id, bm25) of articles matching the FTS5 `expression`, best first (lower is
    better); `weights` are bm25's column weights (article_id, title, text).
    Raises sqlite3.OperationalError for an expression FTS5 cannot parse."""
    where, args = filters.sql()
    if store.is_postgres:
        return _text_ranking_pg(store, expression, where, args, depth, weights)
    sql = (
        f"SELECT a.id, bm25(articles_search, {', '.join(str(float(w)) for w in weights)}) "
        "AS rank FROM articles_search s "
        "JOIN articles a ON a.rowid = s.rowid AND a.id = s.article_id "
        "WHERE articles_search MATCH ?"
        + "".join(f" AND {w}" for w in where)
        + " ORDER BY rank, a.id LIMIT ?"
    )
    rows = store.conn.execute(sql, [expression, *args, depth]).fetchall()
    return [(str(r[0]), float(r[1])) for r in rows]


def _is_postgres(conn: object) -> bool:
    return getattr(conn, "dialect", "sqlite") == "postgresql"


_FTS5_TOKEN = re.compile(r'"((?:[^"]|"")*)"(\s*\*)?|\(|\)|\bAND\b|\bOR\b|\S+')


def tsquery(expression: str) -> str:
    """The FTS5 expression that `storyline.search.query` writes (quoted phrases, ` *`
    prefixes, AND, OR, brackets) as a PostgreSQL tsquery text: a phrase's words follow
    each other (`<->`), a prefix is `:*`."""
    out: list[str] = []
    for m in _FTS5_TOKEN.finditer(expression):
        token = m.group(0)
        if m.group(1) is not None:
            words = m.group(1).replace('""', '"').split()
            if not words:
                continue
            lexemes = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
            if m.group(2):
                lexemes[-1] += ":*"
            out.append("(" + " <-> ".join(lexemes) + ")" if len(lexemes) > 1 else lexemes[0])
        elif token == "AND":
            out.append("&")
        elif token == "OR":
            out.append("|")
        elif token in "()":
            out.append(token)
    return " ".join(out)


def _text_ranking_pg(
    store: Store,
    expression: str,
    where: list[str],
    args: list[object],
    depth: int,
    weights: Sequence[float],
) -> list[tuple[str, float]]:
    """PostgreSQL's ranking of the same match: ts_rank_cd with the title and text
    weights, negated so that lower is better as with bm25."""
    _, w_title, w_text = (float(w) for w in weights)
    top = max(w_title, w_text, 1e-9)  # ts_rank's weights lie in [0, 1]
    w_title, w_text = w_title / top, w_text / top
    sql = (
        f"SELECT a.id, -ts_rank_cd('{{0, 0, {w_text}, {w_title}}}', s.tsv, q) AS rank "
        "FROM articles_search s JOIN articles a ON a.rowid = s.rowid AND a.id = s.article_id, "
        "to_tsquery('simple', ?) q WHERE s.tsv @@ q"
        + "".join(f" AND {w}" for w in where)
        + " ORDER BY rank, a.id LIMIT ?"
    )
    rows = store.conn.execute(sql, [tsquery(expression), *args, depth]).fetchall()
    return [(str(r[0]), float(r[1])) for r in rows]


def articles_mentioning(
    store: Store, entity_ids: Sequence[str], filters: SearchFilters, depth: int
) -> list[str]:
    """Articles mentioning any of these entities, most mentions first."""
    where, args = filters.sql()
    sql = (
        "SELECT m.article_id, count(*) AS n FROM mentions m JOIN articles a ON a.id = m.article_id "
        f"WHERE m.entity_id IN ({','.join('?' * len(entity_ids))})"
        + "".join(f" AND {w}" for w in where)
        + " GROUP BY m.article_id ORDER BY n DESC, m.article_id LIMIT ?"
    )
    return [str(r[0]) for r in store.conn.execute(sql, [*entity_ids, *args, depth])]


def allowed_articles(store: Store, filters: SearchFilters) -> set[str] | None:
    """Ids of the articles the filters allow; None when there are no filters."""
    where, args = filters.sql()
    if not where:
        return None
    sql = "SELECT a.id FROM articles a WHERE " + " AND ".join(where)
    return {str(r[0]) for r in store.conn.execute(sql, args)}


def search_rows(store: Store, ids: Sequence[str]) -> dict[str, SearchRow]:
    """The articles among `ids` that still exist, by id."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        str(r["id"]): SearchRow(
            str(r["id"]),
            r["title"],
            r["outlet"],
            r["lang"],
            r["published"],
            str(r["text"] or ""),
            r["duplicate_of"],
            r["event_id"],
        )
        for r in store.conn.execute(
            "SELECT id, title, outlet, lang, published, text, duplicate_of, event_id "
            f"FROM articles WHERE id IN ({marks})",
            list(ids),
        )
    }


def list_filtered(
    store: Store, filters: SearchFilters, limit: int, offset: int
) -> tuple[list[ArticleListRow], int]:
    """A page of the articles the filters allow, oldest first (undated last), and how
    many there are in all."""
    where, args = filters.sql()
    cond = " WHERE " + " AND ".join(where) if where else ""
    total = int(store.conn.execute(f"SELECT count(*) FROM articles a{cond}", args).fetchone()[0])
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, "
        "a.duplicate_of, length(a.text) AS chars, a.event_id AS event, e.story_id AS story "
        f"FROM articles a LEFT JOIN events e ON e.id = a.event_id{cond} "
        "ORDER BY a.published IS NULL, a.published, a.rowid LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    return [
        ArticleListRow(
            str(r["id"]),
            r["title"],
            r["outlet"],
            r["lang"],
            r["published"],
            r["published_source"],
            r["duplicate_of"],
            int(r["chars"] or 0),
            r["event"],
            r["story"],
        )
        for r in rows
    ], total


# -- stored article vectors --------------------------------------------------------------


@dataclass(frozen=True)
class VectorState:
    """What the stored vectors of one backend look like: enough to tell whether an index
    built from them is current (rows are only ever added with higher rowids)."""

    count: int
    max_rowid: int
    dim: int


def vector_state(store: Store, backend: str) -> VectorState:
    """The count kept by triggers (row_counts) and one row, the newest (whose dimension
    is the backend's: a backend's model has one): no pass over the vectors."""
    count = vector_count(store, backend)
    newest = store.conn.execute(
        "SELECT rowid, dim FROM article_vectors WHERE backend = ? ORDER BY rowid DESC LIMIT 1",
        (backend,),
    ).fetchone()
    if newest is None:
        return VectorState(0, 0, 0)
    return VectorState(count, int(newest[0]), int(newest[1]))


def vector_count(store: Store, backend: str) -> int:
    """How many vectors the backend has (the count the triggers keep in row_counts)."""
    row = store.conn.execute(
        "SELECT coalesce(max(n), 0) FROM row_counts WHERE name = ?", (f"vectors:{backend}",)
    ).fetchone()
    return int(row[0])


def has_vectors(store: Store, backend: str, at_least: int) -> bool:
    """Whether the backend has `at_least` vectors."""
    return vector_count(store, backend) >= at_least


def vectors_stamp(store: Store) -> tuple[int, int]:
    """(count, highest rowid) of all stored vectors: changes whenever a vector does."""
    row = store.conn.execute(
        "SELECT count(*), coalesce(max(rowid), 0) FROM article_vectors"
    ).fetchone()
    return int(row[0]), int(row[1])


def count_vectors_after(store: Store, backend: str, after: int) -> int:
    row = store.conn.execute(
        "SELECT count(*) FROM article_vectors WHERE backend = ? AND rowid > ?", (backend, after)
    ).fetchone()
    return int(row[0])


def vectors_after(
    store: Store, backend: str, after: int, chunk: int
) -> Iterator[list[tuple[int, bytes]]]:
    """(rowid, vector bytes) of the backend's vectors past rowid `after`, in chunks."""
    rows = store.conn.execute(
        "SELECT rowid, vector FROM article_vectors WHERE backend = ? AND rowid > ? ORDER BY rowid",
        (backend, after),
    )
    while batch := rows.fetchmany(chunk):
        yield [(int(r[0]), bytes(r[1])) for r in batch]


def vector_articles(store: Store, rowids: Sequence[int]) -> dict[int, str]:
    """Article id of each vector rowid that still exists."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    return {
        int(r[0]): str(r[1])
        for r in store.conn.execute(
            f"SELECT rowid, article_id FROM article_vectors WHERE rowid IN ({marks})",
            list(rowids),
        )
    }


def all_vectors(store: Store, backend: str, dim: int) -> tuple[list[str], bytes]:
    """Article ids and their vectors of width `dim`, concatenated, in rowid order."""
    ids: list[str] = []
    blobs: list[bytes] = []
    for article, blob in store.conn.execute(
        "SELECT article_id, vector FROM article_vectors WHERE backend = ? AND dim = ? "
        "ORDER BY rowid",
        (backend, dim),
    ):
        ids.append(str(article))
        blobs.append(bytes(blob))
    return ids, b"".join(blobs)
