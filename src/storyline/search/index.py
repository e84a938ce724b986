"""Keeping the normalised full-text table `articles_search` in step with `articles`.

Why in Python: the keys are Snowball stems, which SQL cannot compute, so the migration
that creates the table (schema version 5) cannot fill it. SQL triggers do the part SQL
can: deleting an article, or changing its title, text or language, deletes its row here.
What is missing is then (re)written from Python:

* `index_article` right after an article is inserted (the ingest job calls it in the
  article's own savepoint, so both land together or not at all);
* `reindex` for everything else: the backfill of a store that predates the table, rows
  dropped by the triggers, articles stored by an older storyline. It is idempotent.
* `ensure_index`, which `search` calls first, runs `reindex` when rows are missing, so a
  store upgraded in place searches correctly without anyone running a command.

Rows are keyed by the article's rowid (fast joins and deletes, as for `articles_fts`) and
also carry the article id, so a rowid that no longer means the same article (VACUUM may
renumber rowids of tables without an INTEGER PRIMARY KEY) is detected and rewritten.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from storyline.errors import StoreError
from storyline.search.normalise import index_text
from storyline.store import Store

#: Articles written per transaction by `reindex`: short enough that an ingest waiting
#: for the write lock is not starved, and an interrupted backfill keeps what it did.
CHUNK = 200

#: How long (ms) `ensure_index` waits for the write lock before searching the index as
#: it is: a search must not hang behind a long ingest.
SEARCH_LOCK_WAIT_MS = 250

_SELECT = "SELECT rowid, id, title, text, lang FROM articles"


def _write(conn: sqlite3.Connection, rows: list[sqlite3.Row] | list[tuple[object, ...]]) -> None:
    conn.executemany("DELETE FROM articles_search WHERE rowid = ?", [(r[0],) for r in rows])
    conn.executemany(
        "INSERT INTO articles_search(rowid, article_id, title, text) VALUES (?, ?, ?, ?)",
        [
            (r[0], r[1], index_text(_str(r[2]), _str(r[4])), index_text(_str(r[3]), _str(r[4])))
            for r in rows
        ],
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def index_article(conn: sqlite3.Connection, article_id: str) -> bool:
    """(Re)write the search row of one article; False if there is no such article.

    Runs in the caller's transaction: call it right after inserting the article.
    """
    row = conn.execute(_SELECT + " WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return False
    _write(conn, [row])
    return True


def _stale_rowids(conn: sqlite3.Connection) -> list[int]:
    """Search rows whose rowid is no article, or another article than the one indexed."""
    rows = conn.execute(
        "SELECT s.rowid FROM articles_search s LEFT JOIN articles a ON a.rowid = s.rowid "
        "WHERE a.id IS NOT s.article_id"
    )
    return [int(r[0]) for r in rows]


def _missing_rowids(conn: sqlite3.Connection) -> list[int]:
    rows = conn.execute(
        "SELECT a.rowid FROM articles a LEFT JOIN articles_search s ON s.rowid = a.rowid "
        "WHERE s.article_id IS NOT a.id ORDER BY a.rowid"
    )
    return [int(r[0]) for r in rows]


def _run_chunks(store: Store, todo: list[int], on_item: Callable[[str], None] | None) -> int:
    conn = store.conn
    done = 0
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        with _maybe_transaction(store):
            rows = conn.execute(_SELECT + f" WHERE rowid IN ({marks})", chunk).fetchall()
            _write(conn, rows)
        done += len(rows)
        if on_item is not None:
            for r in rows:
                on_item(str(r[1]))
    return done


@contextmanager
def _maybe_transaction(store: Store) -> Iterator[None]:
    """A write transaction of its own, or none when the caller already holds one
    (then the caller's commit or rollback decides)."""
    if store.conn.in_transaction:
        yield
    else:
        with store.transaction():
            yield


def reindex(
    store: Store, *, full: bool = False, on_item: Callable[[str], None] | None = None
) -> int:
    """Bring the search index up to date; return how many articles were (re)indexed.

    Idempotent: a second call finds nothing to do and returns 0. With `full`, every
    article is indexed again (after a change of the normalisation, e.g. a new
    snowballstemmer). Works in chunks of `CHUNK` articles, each its own transaction
    (or inside the caller's, if one is open).
    """
    conn = store.conn
    with _maybe_transaction(store):
        if full:
            conn.execute("DELETE FROM articles_search")
        else:
            stale = _stale_rowids(conn)
            conn.executemany("DELETE FROM articles_search WHERE rowid = ?", [(r,) for r in stale])
        todo = _missing_rowids(conn)
    return _run_chunks(store, todo, on_item)


def index_is_complete(conn: sqlite3.Connection) -> bool:
    """Cheap check (two b-tree counts, ~1 ms at 50k articles) that every article has a row.

    It reads the FTS5 shadow table `articles_search_docsize` (one row per indexed
    document): counting the virtual table itself would scan every stored row. The
    triggers delete search rows with their articles, so equal counts mean complete,
    short of a rowid renumbering (VACUUM), which this check misses and `reindex` repairs.
    """
    row = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_search_docsize)"
    ).fetchone()
    return int(row[0]) == int(row[1])


def ensure_index(store: Store) -> int:
    """Index what is missing before a search; return how many articles that took.

    If another process holds the write lock for longer than `SEARCH_LOCK_WAIT_MS`, the
    index is searched as it is (the newest articles may be missing from text results)
    and the next search tries again.
    """
    conn = store.conn
    if index_is_complete(conn):
        return 0
    if conn.in_transaction:
        return reindex(store)
    old = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute(f"PRAGMA busy_timeout = {SEARCH_LOCK_WAIT_MS}")
    try:
        return reindex(store)
    except (StoreError, sqlite3.OperationalError):
        with suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        return 0
    finally:
        conn.execute(f"PRAGMA busy_timeout = {old}")
