"""Whether an ingest into a PostgreSQL store runs now, from any machine.

Why not the lock file SQLite stores use (ingest/liveness.py): a team's ingests and
watchers run on several machines against one database, and a file on one of them says
nothing about the others. Each ingest instead holds a shared, session-level advisory
lock (``INGEST_LOCK``) on its store connection for as long as it runs; the server drops
it when that session ends, however the process ends (a `kill -9` closes the socket; a
lost machine, once the server notices the dead connection). A reader that can take the
same lock exclusively, on a session of its own, knows that no ingest runs anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from storyline.store import postgres
from storyline.store.db import Store

#: the advisory lock key every live ingest holds shared (beside WRITER_LOCK and
#: MIGRATION_LOCK in store/db.py)
INGEST_LOCK = 0x5707_1137


@contextmanager
def hold_ingest_lock(store: Store) -> Iterator[None]:
    """Hold the store's shared ingest lock while the block runs (PostgreSQL only)."""
    store.conn.execute("SELECT pg_advisory_lock_shared(?)", (INGEST_LOCK,))
    try:
        yield
    finally:
        # the connection goes back to the pool afterwards: the lock must not go with it
        store.conn.execute("SELECT pg_advisory_unlock_shared(?)", (INGEST_LOCK,))


def ingest_alive(store: Store) -> bool:
    """True while any session holds the ingest lock (an ingest runs, on any machine)."""
    # advisory locks are per session, and this store's own may hold the lock shared (a
    # status read inside an ingest): ask on another connection of the same pool
    url = cast(postgres.PgConnection, store.conn).url
    other = postgres.PgConnection(url, wait=store.wait, pool_size=1)
    try:
        row = other.execute("SELECT pg_try_advisory_lock(?)", (INGEST_LOCK,)).fetchone()
        got = row is not None and bool(row[0])
        if got:
            other.execute("SELECT pg_advisory_unlock(?)", (INGEST_LOCK,))
    finally:
        other.close()
    return not got
