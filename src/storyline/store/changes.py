"""A cheap answer to "has anything been written to the store since?", for readers that
keep results (the web server's response cache, storyline.web.cache).

Why not a query over the tables (counts, newest rows): at a million articles even the
cheapest such query takes milliseconds, and it can miss a change that keeps the counts
(an article re-analysed). Both engines have a marker that moves with every commit, from
any process, at the cost of one round trip:

- SQLite: ``PRAGMA data_version`` on a connection kept open for it. Its value changes
  whenever another connection commits, and the watcher's own connection never writes.
- PostgreSQL: the write-ahead log's insert position (``pg_current_wal_insert_lsn()``), which every
  commit advances. It also moves for writes to other databases of the same server and
  for maintenance, which only costs a reader a recomputation, never a stale answer.
"""

from __future__ import annotations

import sqlite3
import threading
from os import PathLike
from pathlib import Path

from storyline.config import Config
from storyline.errors import StoreError
from storyline.store import postgres
from storyline.store.db import Store

__all__ = ["ChangeWatch"]


class ChangeWatch:
    """Watches one store for commits; safe to share between threads."""

    def __init__(self, path: str | PathLike[str], config: Config) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._url: str | None = None
        self._config = config
        if postgres.is_url(path):
            # a pooled connection per call (as each request has), none held in between
            self._url = str(path)
            self._sql = "SELECT pg_current_wal_insert_lsn()::text"
        else:
            try:
                # read-only and shared between threads; every use is under self._lock
                self._conn = sqlite3.connect(
                    Path(path).resolve().as_uri() + "?mode=ro",
                    uri=True,
                    check_same_thread=False,
                    isolation_level=None,
                )
            except sqlite3.Error as exc:
                raise StoreError(
                    f"{path}: cannot open the store to watch it for changes ({exc})",
                    hint="check that the file exists and is readable",
                ) from exc
            self._sql = "PRAGMA data_version"

    def marker(self) -> object:
        """A value that is different after any commit to the store since the last call
        that returned the current one (compare markers for equality only)."""
        try:
            if self._url is not None:
                with Store(self._url, create=False, config=self._config) as store:
                    return store.conn.execute(self._sql).fetchone()[0]
            with self._lock:
                assert self._conn is not None
                return self._conn.execute(self._sql).fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot tell whether the store changed ({exc})",
                hint="check that the store is reachable",
            ) from exc

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
