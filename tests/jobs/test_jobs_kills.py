"""A kill during grouping or claims keeps every committed article, leaves a consistent
store, and the same ingest run again finishes the grouping and the claims.

The child process ingests the example corpus and kills itself (SIGKILL: no cleanup runs)
at the chosen step, as `kill -9` or the OOM killer would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.store.claims import stale_stories

#: a worker learns of its parent's death at once (Linux) or within a second
WORKERS_GONE_SECONDS = 10
CHILD = """
import os, signal, sys
from storyline.jobs.ingest import ingest
from storyline.store import Store
step, after = sys.argv[3], int(sys.argv[4])
seen = []

def maybe_die(_name):
    seen.append(1)
    if len(seen) >= after:
        os.kill(os.getpid(), signal.SIGKILL)

with Store(sys.argv[1], create=True) as store:
    ingest(
        [sys.argv[2]],
        store,
        batch_size=4,
        on_item=maybe_die if step == "analyse" else None,
        on_group=maybe_die if step == "group" else None,
        on_compare=maybe_die if step == "compare" else None,
    )
"""


def _consistent(store: Store) -> None:
    assert store.integrity_problems() == []


def _survivors(marker: str) -> list[str]:
    """Processes still running whose command line holds `marker` (the child's workers)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(proc.name)
    return found


@pytest.mark.parametrize(
    ("step", "after"),
    [("analyse", 10), ("group", 3), ("compare", 1)],  # analyse: with workers at work
)
def test_kill_during_a_step_then_the_rerun_finishes_it(
    tmp_path: Path, child_db: str, step: str, after: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the child process reads its settings from the environment, as the command line does
    monkeypatch.setenv("STORYLINE_PROFILE", "fast")  # the same steps, a quicker test
    monkeypatch.setenv("STORYLINE_ANALYSE_WORKERS", "2")
    db = child_db
    pile = str(EXAMPLES / "articles")
    log = tmp_path / "child.log"  # a file, not a pipe: a surviving worker would hold a pipe
    with log.open("w") as out:
        child = subprocess.run(
            [sys.executable, "-c", CHILD, db, pile, step, str(after)],
            env={**os.environ},
            stdout=out,
            stderr=out,
            check=False,
        )
    assert child.returncode == -signal.SIGKILL, log.read_text()
    deadline = time.monotonic() + WORKERS_GONE_SECONDS
    while _survivors(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _survivors(db)  # no worker outlives the job's process
    with Store(db) as store:
        _consistent(store)
        stored = store.count()
        assert stored > 0  # every batch committed before the kill is there
        ungrouped = store.conn.execute(
            "SELECT count(*) FROM articles WHERE event_id IS NULL"
        ).fetchone()[0]
        if step in ("analyse", "group"):
            assert ungrouped == stored  # grouping is one transaction: none of it landed
        else:
            assert ungrouped == 0 and stale_stories(store)  # claims of some stories missing
        again = ingest([pile], store)
        assert again.ok and len(again.unchanged) >= stored
        assert bool(again.stored) == (step == "analyse")
        _consistent(store)
        assert store.count() == stored + len(again.stored)
        assert (
            store.conn.execute("SELECT count(*) FROM articles WHERE event_id IS NULL").fetchone()[0]
            == 0
        )
        assert stale_stories(store) == []
        assert again.claims
