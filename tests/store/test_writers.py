"""Two writers on one store: the second waits for the first instead of failing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from storyline.errors import StoreError
from storyline.store import Store

HOLD_SECONDS = 0.8


def _hold_lock(path: Path, started: threading.Event) -> None:
    with Store(path) as first, first.transaction():
        first.conn.execute("INSERT INTO ingest_runs(started_at) VALUES ('x')")
        started.set()
        time.sleep(HOLD_SECONDS)


def test_a_second_writer_waits_for_the_first(db_path: Path) -> None:
    Store(db_path).close()
    started = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db_path, started))
    holder.start()
    started.wait()
    begun = time.monotonic()
    with Store(db_path, wait=10) as second, second.transaction():
        waited = time.monotonic() - begun
        second.conn.execute("INSERT INTO ingest_runs(started_at) VALUES ('y')")
    holder.join()
    assert waited >= HOLD_SECONDS / 2
    with Store(db_path) as store:
        assert store.conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 2


def test_a_writer_that_waited_too_long_says_so(db_path: Path) -> None:
    Store(db_path).close()
    started = threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db_path, started))
    holder.start()
    started.wait()
    with (
        Store(db_path, wait=0.05) as second,
        pytest.raises(StoreError, match="store_wait"),
        second.transaction(),
    ):
        pass
    holder.join()


def test_join_uses_the_open_transaction(db_path: Path) -> None:
    with Store(db_path) as store:
        with pytest.raises(RuntimeError), store.transaction():
            with store.transaction(join=True):
                store.conn.execute("INSERT INTO ingest_runs(started_at) VALUES ('z')")
            raise RuntimeError("the owner rolls back")
        assert store.conn.execute("SELECT count(*) FROM ingest_runs").fetchone()[0] == 0
