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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from storyline.errors import StoreError
from storyline.search.normalise import index_text
from storyline.store import Store
from storyline.store import search as tables
from storyline.store.search import IndexRow, IndexSource, index_is_complete

__all__ = ["ensure_index", "index_article", "index_is_complete", "reindex"]

#: Articles written per transaction by `reindex`: short enough that an ingest waiting
#: for the write lock is not starved, and an interrupted backfill keeps what it did.
CHUNK = 200

#: How long (ms) `ensure_index` waits for the write lock before searching the index as
#: it is: a search must not hang behind a long ingest.
SEARCH_LOCK_WAIT_MS = 250


def _normalised(rows: Sequence[IndexSource]) -> list[IndexRow]:
    """The index rows of these articles: title and text as stems, in each one's language."""
    return [
        (rowid, article, index_text(title, lang), index_text(text, lang))
        for rowid, article, title, text, lang in rows
    ]


def index_article(conn: sqlite3.Connection, article_id: str) -> bool:
    """(Re)write the search row of one article; False if there is no such article.

    Runs in the caller's transaction: call it right after inserting the article.
    """
    row = tables.index_source(conn, article_id)
    if row is None:
        return False
    tables.write_index_rows(conn, _normalised([row]))
    return True


def _run_chunks(store: Store, todo: list[int], on_item: Callable[[str], None] | None) -> int:
    done = 0
    for start in range(0, len(todo), CHUNK):
        with _maybe_transaction(store):
            rows = tables.index_sources(store.conn, todo[start : start + CHUNK])
            tables.write_index_rows(store.conn, _normalised(rows))
        done += len(rows)
        if on_item is not None:
            for r in rows:
                on_item(r[1])
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
    with _maybe_transaction(store):
        if full:
            tables.clear_index(store.conn)
        else:
            tables.drop_stale_index_rows(store.conn)
        todo = tables.unindexed_rowids(store.conn)
    return _run_chunks(store, todo, on_item)


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
    with tables.lock_wait(conn, SEARCH_LOCK_WAIT_MS):
        try:
            return reindex(store)
        except (StoreError, sqlite3.OperationalError):
            tables.rollback_open(conn)
            return 0
