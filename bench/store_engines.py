"""SQLite and PostgreSQL side by side: ingest rate, story page and search latency.

    python -m bench.store_engines --pg postgresql:///storyline_bench [--n 10000] [--ingest 500]

One run, one machine, both engines:

* **Ingest rate**: `--ingest` generated articles (bench/gen_corpus.py, fast profile)
  ingested into a new SQLite file and into an empty PostgreSQL database, the whole job
  (clean, analyse, write, group, claims), in that order and then again in the other
  order (the faster engine must not be the one that ran second by chance).
* **Reads at `--n` articles**: the store of bench/web_latency.py (generated, static
  vectors; built once and kept) is copied into PostgreSQL with `storyline migrate`
  (row for row, so both hold the same articles, stories and claims), and the same story
  pages, searches and API reads are fetched over loopback HTTP from `storyline serve`'s
  app on each: first request, then median and 95th percentile of `--repeat` more.

The PostgreSQL database named by `--pg` is emptied first (its `public` schema is dropped).
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


def _empty(url: str) -> None:
    import psycopg

    from storyline.store.postgres import POOLS

    POOLS.close_all()  # a pool remembers the schema it saw

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def ingest_rate(n: int, pg: str, seed: int = 11, *, once: bool = False) -> dict[str, Any]:
    """Articles per second of the whole ingest job on each engine, both orders (`once`:
    one run each, SQLite first, for large `n`)."""
    from bench.gen_corpus import generate
    from storyline.jobs.ingest import ingest
    from storyline.store import Store

    out: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    with tempfile.TemporaryDirectory() as tmp:
        generate(n, Path(tmp) / "corpus", seed)
        articles = str(Path(tmp) / "corpus" / "articles")
        order = ["sqlite", "postgresql"]
        if not once:
            order += ["postgresql", "sqlite"]
        for i, engine in enumerate(order):
            if engine == "sqlite":
                db: str = str(Path(tmp) / f"ingest-{i}.db")
            else:
                _empty(pg)
                db = pg
            started = time.perf_counter()
            with Store(db) as store:
                report = ingest([articles], store)
                stored = store.count()
            seconds = time.perf_counter() - started
            out[engine].append(round(stored / seconds, 2))
            print(f"ingest {engine}: {stored} articles in {seconds:.1f} s", flush=True)
            del report
    return {
        engine: {"articles_per_s": statistics.mean(rates), "runs": rates}
        for engine, rates in out.items()
    }


def reads(n: int, pg: str, repeat: int) -> dict[str, Any]:
    """Page latency on the same store in each engine."""
    from bench import web_latency
    from storyline.jobs.migrate import migrate_store

    db, built = web_latency.prepared(n, None)
    _empty(pg)
    started = time.perf_counter()
    copied = migrate_store(db, pg)
    migrate_s = round(time.perf_counter() - started, 1)
    targets = web_latency._targets(db)  # the same ids in both stores
    out: dict[str, Any] = {"build": built.get("build"), "migrate_s": migrate_s}
    out["rows"] = copied.total
    for engine, where in (("sqlite", str(db)), ("postgresql", pg)):
        out[engine] = web_latency.measure(where, repeat, targets)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("STORYLINE_BENCH_PG"), required=False)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--ingest", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", choices=("ingest", "reads"), help="run one half")
    parser.add_argument("--once", action="store_true", help="one ingest run per engine")
    args = parser.parse_args()
    if not args.pg:
        parser.error("--pg URL (or STORYLINE_BENCH_PG) names the PostgreSQL database to use")
    os.environ["STORYLINE_PROFILE"] = "fast"
    result: dict[str, Any] = {"articles": args.n, "ingest_articles": args.ingest}
    if args.only != "reads":
        result["ingest"] = ingest_rate(args.ingest, args.pg, once=args.once)
    if args.only != "ingest":
        result["reads"] = reads(args.n, args.pg, args.repeat)
    save(f"store_engines_{args.n}" + (f"_{args.only}" if args.only else ""), result)
    if "ingest" in result:
        print(f"ingest ({args.ingest} articles, whole job, articles/s):")
        for engine in ("sqlite", "postgresql"):
            print(f"  {engine:11} {result['ingest'][engine]['articles_per_s']:.2f}")
    if "reads" not in result:
        return
    print(f"reads at {args.n} articles (first / median / p95 ms):")
    for name in result["reads"]["sqlite"]:
        row = [result["reads"][e][name] for e in ("sqlite", "postgresql")]
        cells = "   ".join(
            f"{r['first_ms']:7.1f} {r['median_ms']:7.1f} {r['p95_ms']:7.1f}" for r in row
        )
        print(f"  {name:36} {cells}")


if __name__ == "__main__":
    main()
