"""Whether an ingest run recorded as running is still alive, or died without finishing.

A run is recorded as ``running`` when it starts and gets its final status when it
ends; a run killed hard (``kill -9``, a lost machine, SIGTERM without a handler)
never gets one. To tell such a run from a live one, every ingest holds a shared
advisory lock (``flock``) on a file next to the store for as long as it runs. The
kernel drops the lock when the process dies, however it dies. A reader that can take
the lock exclusively knows that no ingest is running, so every run still recorded as
``running`` was interrupted.

Where ``fcntl`` is missing (Windows) liveness is unknown and runs are shown as recorded.
A PostgreSQL store, which ingests on several machines share, uses an advisory lock in
the database instead (store/liveness.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.store import Store

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

#: Appended to the store's file name for the lock file.
LOCK_SUFFIX = "-ingest.lock"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


@contextmanager
def ingest_lock(store: Store) -> Iterator[None]:
    """Hold the shared ingest lock of a store while the block runs (a no-op if it cannot)."""
    if store.is_postgres:
        from storyline.store.liveness import hold_ingest_lock

        with hold_ingest_lock(store):
            yield
        return
    db_path = store.path
    if fcntl is None:
        yield
        return
    try:
        handle = lock_path(db_path).open("a")
    except OSError:  # a read-only folder: liveness unknown, ingest goes on
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
        yield


def ingest_alive(store: Store) -> bool | None:
    """True while an ingest into the store runs, False when none does, None when unknown."""
    if store.is_postgres:
        from storyline.store import liveness

        return liveness.ingest_alive(store)
    db_path = store.path
    if fcntl is None:
        return None
    path = lock_path(db_path)
    if not path.exists():
        return False  # no ingest since locks were introduced, or the file was removed
    try:
        with path.open("a") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return False
    except OSError:
        return None


def unfinished_runs(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Runs without a final status, as ``{"running": [...], "interrupted": [...]}``.

    A run recorded ``interrupted`` stopped on Ctrl-C or an error; a run recorded
    ``running`` is interrupted too when no ingest holds the lock (it was killed).
    Each run: ``id``, ``started_at`` and the ``articles`` it stored before it stopped.
    """
    rows = store.open_runs()
    alive = ingest_alive(store) if any(r[2] == "running" for r in rows) else None
    out: dict[str, list[dict[str, Any]]] = {"running": [], "interrupted": []}
    for run_id, started_at, status, articles in rows:
        state = "running" if status == "running" and alive is not False else "interrupted"
        out[state].append({"id": run_id, "started_at": started_at, "articles": articles})
    return out
