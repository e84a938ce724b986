"""Small hardening of the command line: dead ingest runs are named, weak tokens refused."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from storyline.ingest.liveness import ingest_alive, ingest_lock, lock_path, unfinished_runs
from storyline.store import Store

Cli = Callable[..., Result]

# A child that records a run while holding the ingest lock, then dies by SIGKILL: what a
# `kill -9` during a long ingest leaves behind.
KILLED_CHILD = """
import os, signal, sys
from storyline.ingest.liveness import ingest_lock
from storyline.store import Store
with Store(sys.argv[1], create=True) as store, ingest_lock(store):
    store.start_run()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def status(cli: Cli, db: Path | str) -> dict[str, object]:
    result = cli("status", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_hardening_killed_run_is_shown_interrupted(cli: Cli, child_db: str) -> None:
    """Whatever the engine: SQLite's lock file, PostgreSQL's advisory lock (dropped by the
    server when the child's session ends)."""
    db_path = child_db
    child = subprocess.run([sys.executable, "-c", KILLED_CHILD, db_path], check=False)
    assert child.returncode == -signal.SIGKILL
    with Store(db_path) as store:
        recorded = store.conn.execute("SELECT status FROM ingest_runs").fetchall()
    assert [r[0] for r in recorded] == ["running"]  # the record alone cannot tell
    runs = status(cli, db_path)["runs"]
    assert isinstance(runs, dict) and runs["running"] == []
    assert [(r["id"], r["articles"]) for r in runs["interrupted"]] == [(1, 0)]
    text = cli("status", "--db", db_path).output
    assert "ingest run 1" in text and "interrupted" in text


def test_hardening_live_run_is_shown_running(child_db: str) -> None:
    with Store(child_db, create=True) as store, ingest_lock(store):
        run_id = store.start_run()
        assert ingest_alive(store) is True
        runs = unfinished_runs(store)
        assert [r["id"] for r in runs["running"]] == [run_id] and not runs["interrupted"]
        with Store(child_db) as reader:  # another reader, as `storyline status` would be
            assert ingest_alive(reader) is True
    with Store(child_db) as store:
        assert ingest_alive(store) is False


def test_hardening_finished_ingest_leaves_no_unfinished_run(
    cli: Cli, child_db: str, tmp_path: Path, make_article: Callable[..., str]
) -> None:
    (tmp_path / "a.txt").write_text(make_article(0), encoding="utf-8")
    result = cli("ingest", tmp_path / "a.txt", "--db", child_db, "--no-stories", "--no-progress")
    assert result.exit_code == 0, result.output
    if not child_db.startswith("postgresql://"):
        assert lock_path(Path(child_db)).exists()
    assert status(cli, child_db)["runs"] == {"running": [], "interrupted": []}


@pytest.mark.parametrize("token", ["abc", "x" * 31, "a" * 20 + " " + "b" * 20, "ä" * 40])
def test_hardening_weak_or_unsendable_token_refused(cli: Cli, db_path: Path, token: str) -> None:
    result = cli("serve", "--db", db_path, "--token", token)
    assert result.exit_code == 2, result.output
    assert "--token" in result.output


def test_hardening_short_token_from_environment_refused(cli: Cli, db_path: Path) -> None:
    result = cli("serve", "--db", db_path, env={"STORYLINE_API_TOKEN": "kurz"})
    assert result.exit_code == 2 and "at least 32" in result.output


def test_hardening_sigterm_stops_an_ingest_after_a_committed_batch(
    child_db: str, tmp_path: Path, make_article: Callable[..., str]
) -> None:
    import os
    import time

    pile = tmp_path / "pile"
    pile.mkdir()
    for i in range(30):
        text = make_article(i % 6, after=[f"Nachtrag {i}: ergänzt um {i + 10} Uhr."])
        (pile / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    binary = Path(sys.executable).parent / "storyline"
    env = {**os.environ, "STORYLINE_BATCH_SIZE": "1", "STORYLINE_PROFILE": "fast"}
    child = subprocess.Popen(
        [str(binary), "ingest", str(pile), "--db", child_db, "--no-stories", "--no-progress"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while _committed_articles(child_db) == 0:  # wait for a first commit
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGTERM)
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 1, err
    assert "stopped (SIGTERM)" in err
    with Store(child_db) as store:
        stored = store.count()
        assert [r[0] for r in store.conn.execute("SELECT status FROM ingest_runs")] == [
            "interrupted"
        ]
    assert 1 <= stored < 30


def _committed_articles(db: str) -> int:
    """Articles a reader sees in `db` (0 while it is not there or not set up yet)."""
    import sqlite3

    if db.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(db, connect_timeout=3) as conn:
                row = conn.execute("SELECT count(*) FROM articles").fetchone()
                return int(row[0]) if row else 0
        except psycopg.Error:  # the child has not made the tables yet
            return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0
