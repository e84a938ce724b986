"""The local engine against the ray engine with one and with two workers, in one run.

    python -m bench.engines [--n 2000] [--profile fast]

The same pile of generated articles (bench/gen_corpus.py) is ingested into a fresh store
by each engine in turn, with grouping and claims, on a local Ray started once before its
runs' clocks (as a running cluster would be; each ingest's actors start and load their models
inside it, as every `storyline ingest --engine ray` does). The stores must come out the
same: articles, entities and events. Results go to bench/results/engines_<profile>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import save
from bench.gen_corpus import generate

#: (name, engine, ray workers)
RUNS = (("local", "local", 0), ("ray, 1 worker", "ray", 1), ("ray, 2 workers", "ray", 2))


def _fingerprint(db: Path) -> dict[str, Any]:
    """What must not depend on the engine: articles, entities named, event partition."""
    from storyline.store import Store

    with Store(db) as store:
        conn = store.conn
        events: dict[str, set[str]] = {}
        for article, event in conn.execute("SELECT id, event_id FROM articles"):
            events.setdefault(str(event), set()).add(str(article))
        return {
            "articles": sorted(str(r[0]) for r in conn.execute("SELECT id FROM articles")),
            "entities": sorted(str(r[0]) for r in conn.execute("SELECT name FROM entities")),
            "events": sorted(sorted(members) for members in events.values()),
        }


def run(n: int, profile: str) -> dict[str, Any]:
    os.environ["STORYLINE_PROFILE"] = profile
    import ray

    from storyline.ingest.job import ingest
    from storyline.store import Store

    result: dict[str, Any] = {"profile": profile, "articles": n, "runs": {}}
    prints = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(n, root / "corpus", seed=5)
        pile = str(root / "corpus" / "articles")
        with Store(root / "warm.db") as store:  # the local engine's models, outside the clock
            ingest([str(next(Path(pile).iterdir()))], store)
        for name, engine, workers in RUNS:
            # the local engine forks its workers only while no other thread runs, so Ray
            # (whose client runs threads) starts after the local run
            if engine == "ray" and not ray.is_initialized():
                ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
            os.environ["STORYLINE_RAY_WORKERS"] = str(workers)
            db = root / f"{engine}{workers}.db"
            with Store(db) as store:
                started = time.perf_counter()
                report = ingest([pile], store, engine=engine)
                seconds = time.perf_counter() - started
            result["runs"][name] = {
                "seconds": round(seconds, 1),
                "articles_per_s": round(len(report.stored) / seconds, 2),
                "stored": len(report.stored),
                "failed": len(report.errors),
            }
            prints.append(_fingerprint(db))
            print(json.dumps({name: result["runs"][name]}), flush=True)
    result["same_store"] = all(p == prints[0] for p in prints[1:])
    local = result["runs"]["local"]["seconds"]
    for name in result["runs"]:
        result["runs"][name]["vs_local"] = round(result["runs"][name]["seconds"] / local, 2)
    ray.shutdown()
    save(f"engines_{profile}", result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--profile", choices=("fast", "accurate"), default="fast")
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.profile), indent=2))


if __name__ == "__main__":
    main()
