"""Kill an ingest at several points, then run it again: what survives and what the re-run costs.

Issue 13: "a kill at any point of a 300-article ingest keeps every article committed before
the kill; the re-run's time is stated against the full run's". One full `storyline ingest`
of N seed-length articles (bench/ingest_speed.py's pile) into a fresh store is timed; then,
for each fraction of that time, a fresh store gets the same ingest killed by SIGKILL at that
moment, is checked (integrity, foreign keys, the articles stored), and the same command is
run again and timed until it completes.

    .venv/bin/python -m bench.kill_rerun --n 300 --profile fast
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import save
from bench.ingest_speed import seed_length_articles

STORYLINE = Path(sys.executable).with_name("storyline")
KILL_AT = (0.1, 0.3, 0.5, 0.7, 0.9)  #: fractions of the full run's time


def _ingest(pile: Path, db: Path, profile: str) -> subprocess.Popen[bytes]:
    cmd = [str(STORYLINE), "ingest", str(pile), "--db", str(db), "--no-progress"]
    env = {**os.environ, "STORYLINE_PROFILE": profile}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _state(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as con:
        return {
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_key_violations": len(con.execute("PRAGMA foreign_key_check").fetchall()),
            "articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
            "ungrouped": con.execute(
                "SELECT count(*) FROM articles WHERE event_id IS NULL"
            ).fetchone()[0],
        }


def run(n: int, profile: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seed_length_articles(n, root)
        pile = root / "pile"
        started = time.perf_counter()
        code = _ingest(pile, root / "full.db", profile).wait()
        full = time.perf_counter() - started
        result: dict[str, Any] = {
            "articles": n,
            "profile": profile,
            "full_run_s": round(full, 1),
            "full_run_exit": code,
            "full": _state(root / "full.db"),
            "kills": [],
        }
        for fraction in KILL_AT:
            db = root / f"kill-{fraction}.db"
            child = _ingest(pile, db, profile)
            time.sleep(full * fraction)
            child.send_signal(signal.SIGKILL)
            child.wait()
            after_kill = _state(db) if db.exists() else {"articles": 0}
            started = time.perf_counter()
            code = _ingest(pile, db, profile).wait()
            rerun = time.perf_counter() - started
            result["kills"].append(
                {
                    "at_fraction": fraction,
                    "after_kill": after_kill,
                    "rerun_s": round(rerun, 1),
                    "rerun_vs_full": round(rerun / full, 2),
                    "rerun_exit": code,
                    "after_rerun": _state(db),
                }
            )
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--profile", choices=["accurate", "fast"], default="fast")
    args = ap.parse_args()
    result = run(args.n, args.profile)
    save(f"kill_rerun_{args.profile}", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
