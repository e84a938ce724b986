"""Page and API latency of `storyline serve` on a store of N generated articles.

    python -m bench.web_latency --n 10000 [--db /tmp/storyline-web-10000.db]

Builds the store once (generated corpus, bench/gen_corpus.py; analysis, grouping with
the static backend, claims) and keeps it at --db, so later runs only measure. The app
runs in uvicorn on 127.0.0.1 and every page is fetched over loopback HTTP with httpx:
the first request of each page is reported on its own (caches empty: a story page then
computes its timeline and comparison), then `--repeat` more give median and 95th percentile.
The aims (issue 7): story page under 300 ms, search under 200 ms on two cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import save

AIMS_MS = {"story": 300.0, "search": 200.0}


def build(db: Path, n: int, seed: int = 7) -> dict[str, float]:
    """Generate, ingest, group and compare N articles into `db` (static vectors)."""
    from bench.gen_corpus import generate
    from storyline.compare.job import update_claims
    from storyline.jobs.ingest import ingest
    from storyline.store import Store
    from storyline.stories import job

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        generate(n, Path(tmp) / "corpus", seed)
        with Store(db) as store:
            ingest([str(Path(tmp) / "corpus" / "articles")], store, stories=False)
            timings["ingest_s"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            job.embed_missing(store)
            job.recluster(store)
            timings["group_s"] = round(time.perf_counter() - started, 1)
            started = time.perf_counter()
            timings["stories"] = update_claims(store)
            timings["compare_s"] = round(time.perf_counter() - started, 1)
    return timings


def prepared(n: int, db: Path | None) -> tuple[Path, dict[str, Any]]:
    """The store of `n` generated articles (built at `db` unless it is there already,
    fast profile) and the result record that names it."""
    os.environ["STORYLINE_PROFILE"] = "fast"
    db = db or Path(tempfile.gettempdir()) / f"storyline-web-{n}.db"
    result: dict[str, Any] = {"articles": n, "db": str(db)}
    if not db.exists():
        result["build"] = build(db, n)
    return db, result


def _targets(db: Path) -> dict[str, list[str]]:
    """Pages to time: the largest, 90th-percentile and median story, pages of their parts,
    searches, and the API's reads of the same things."""
    import sqlite3

    conn = sqlite3.connect(db)
    sizes = conn.execute(
        "SELECT e.story_id, count(*) n FROM articles a JOIN events e ON e.id = a.event_id "
        "GROUP BY e.story_id ORDER BY n DESC, e.story_id"
    ).fetchall()
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    biggest, p90, median = (sizes[0][0], sizes[len(sizes) // 10][0], sizes[len(sizes) // 2][0])
    event = one(f"SELECT id FROM events WHERE story_id='{biggest}' LIMIT 1")
    quoted = one("SELECT article_id FROM quotes GROUP BY article_id ORDER BY count(*) DESC LIMIT 1")
    entity = one(
        "SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL GROUP BY entity_id "
        "ORDER BY count(*) DESC LIMIT 1"
    )
    conn.close()
    queries = ["Streik", "Hafen Hamburg", "Millionen Euro", "storm damage", "sagte", "a*"]
    return {
        "stories list": ["/"],
        f"story, largest ({sizes[0][1]} articles)": [f"/stories/{biggest}"],
        f"story, 90th pct ({sizes[len(sizes) // 10][1]} articles)": [f"/stories/{p90}"],
        f"story, median ({sizes[len(sizes) // 2][1]} articles)": [f"/stories/{median}"],
        "event": [f"/events/{event}"],
        "article, most quoted": [f"/articles/{quoted}"],
        "entity, most named": [f"/entities/{entity}"],
        "search": [f"/search?q={q}" for q in queries],
        "search by meaning": [f"/search?q={q}&semantic=1" for q in queries[:3]],
        "api stories": ["/api/v1/stories"],
        "api story, largest": [f"/api/v1/stories/{biggest}"],
        "api claims, largest": [f"/api/v1/stories/{biggest}/claims"],
        "api search": [f"/api/v1/search?q={q}" for q in queries],
    }


def measure(
    db: Path | str, repeat: int, targets: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """First request (cold: caches empty) and `repeat` more per page, over loopback HTTP;
    `targets` (default: those of the SQLite file `db`) name the pages."""
    import httpx

    from bench.live import serving
    from storyline.web.app import create_app

    out: dict[str, Any] = {}
    with serving(create_app(db)) as base, httpx.Client(base_url=base, timeout=120) as client:
        for name, paths in (targets or _targets(Path(db))).items():
            cold: list[float] = []
            times: list[float] = []
            for path in paths:
                for i in range(repeat + 1):
                    started = time.perf_counter()
                    response = client.get(path)
                    took = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{path}: HTTP {response.status_code}")
                    (cold if i == 0 else times).append(took)
            times.sort()
            out[name] = {
                "first_ms": round(max(cold), 1),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
                "requests": len(times) + len(cold),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    db, result = prepared(args.n, args.db)
    result["latency"] = measure(db, args.repeat)
    for name, aim in AIMS_MS.items():
        worst = max(v["p95_ms"] for k, v in result["latency"].items() if k.startswith(name))
        result[f"{name}_p95_under_aim"] = worst < aim
    save(f"web_latency_{args.n}", result)
    for name, row in result["latency"].items():
        print(
            f"{name:36} first {row['first_ms']:7.1f} ms   median {row['median_ms']:7.1f} ms"
            f"   p95 {row['p95_ms']:7.1f} ms"
        )


if __name__ == "__main__":
    main()
