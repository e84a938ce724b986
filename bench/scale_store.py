"""Adding one article to stores of 10k, 100k and 1M articles, and page latency there.

    python -m bench.scale_store [--sizes 10000,100000,1000000] [--base 2000]

What it does, stated because the large stores are not real ingests (at a few dozen
articles a second a million would take days on two cores):

1. `--base` articles from bench/gen_corpus.py are ingested for real under the fast profile
   (static vectors, CRF): texts, entities, mentions, dates, signatures, events and stories.
2. The store is grown to each size by copying those articles with new ids (`id~k`), each
   copy with its own events and stories, the same mentions (so popular entities get
   popular), the same signatures and search rows, and **vectors that are the original's
   plus Gaussian noise** (sigma `NOISE`), renormalised: random where embedding would take
   too long, but clustered like real ones.
3. At each size `ADDS` held-out generated articles are added one at a time, for real,
   each timed in three parts: ingest (read, clean, analyse, near-duplicate check, write),
   embedding (title + lead), grouping (find the stories near it, place it, write); p50
   and p95 of ingest + grouping ("without embedding") and of each part. Then the latency
   of the first one's story page, article page and a search through the web app
   (Starlette's test client, no network).
4. Then `WRITER_BATCH` more held-out articles are written without analysis and grouped:
   what the one writer takes per second at that size, analysis being the workers' part.

Peak memory (RSS) is reported per step. Results go to bench/results/scale_store.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import save
from bench.gen_corpus import generate
from storyline.jobs.ingest import ingest
from storyline.store import Store, grouping, vector_index

#: spread of the noise added to a copied article's vector (unit vectors of dimension a few
#: hundred: copies stay nearer their original than to other stories)
NOISE = 0.02
#: what grouping reads of placed articles (counted as "articles read by grouping")
_MEMBER_READERS = ("article_member_rows", "event_member_rows")
#: where `--workdir` keeps the grown store for later runs
#: base articles analysed (not stored) to warm a reused store's process up
WARM_TEXTS = 20
PRISTINE = "pristine"
#: articles copied per transaction while growing the store
COPY_CHUNK = 50_000
#: requests timed per page
REQUESTS = 5
#: held-out articles written per size to measure the writer's throughput
WRITER_BATCH = 200
#: single articles added per size, one at a time, for the add's p50 and p95
ADDS = 20


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _remember_originals(store: Store, base: int) -> None:
    """Temporary tables of the originals, so that each copy reads `base` rows, not the store."""
    conn = store.conn
    conn.execute(
        "CREATE TEMP TABLE base_articles AS SELECT * FROM articles WHERE rowid <= ?", (base,)
    )
    conn.execute(
        "CREATE TEMP TABLE base_events AS SELECT * FROM events WHERE id IN "
        "(SELECT event_id FROM base_articles)"
    )
    conn.execute(
        "CREATE TEMP TABLE base_stories AS SELECT * FROM stories WHERE id IN "
        "(SELECT story_id FROM base_events)"
    )
    conn.execute(
        "CREATE TEMP TABLE base_search AS SELECT article_id, title, text FROM articles_search "
        "WHERE article_id IN (SELECT id FROM base_articles)"
    )
    for table in ("mentions", "dates", "article_signatures", "article_vectors"):
        conn.execute(
            f"CREATE TEMP TABLE base_{table} AS SELECT * FROM {table} "
            "WHERE article_id IN (SELECT id FROM base_articles)"
        )


def _grow(store: Store, copy: int, rng: np.random.Generator) -> None:
    """Add copy number `copy` of the original articles (see the module's docstring)."""
    conn = store.conn
    suffix = f"~{copy}"
    with store.transaction():
        conn.execute(
            "INSERT INTO stories(id, title, created_at, updated_at) SELECT id || ?, title, "
            "created_at, updated_at FROM base_stories",
            (suffix,),
        )
        conn.execute(
            "INSERT INTO events(id, story_id, title, date_start, date_end, created_at, "
            "updated_at) SELECT id || ?, story_id || ?, title, date_start, date_end, "
            "created_at, updated_at FROM base_events",
            (suffix, suffix),
        )
        conn.execute(
            "INSERT INTO articles(id, title, text, raw_text, url, outlet, lang, published, "
            "published_source, repairs, text_hash, created_at, analysed_at, event_id, "
            "published_confidence, profile) SELECT id || ?, title, text, '', url, outlet, "
            "lang, published, published_source, repairs, text_hash || ?, created_at, "
            "analysed_at, event_id || ?, published_confidence, profile FROM base_articles",
            (suffix, suffix, suffix),
        )
        conn.execute(
            "INSERT INTO articles_search(rowid, article_id, title, text) SELECT a.rowid, a.id, "
            "s.title, s.text FROM base_search s JOIN articles a ON a.id = s.article_id || ?",
            (suffix,),
        )
        for table, cols in (
            ("mentions", "start, end, text, label, entity_id"),
            ("dates", "start, end, text, value, precision"),
            ("article_signatures", "minhash"),
        ):
            conn.execute(
                f"INSERT INTO {table}(article_id, {cols}) SELECT article_id || ?, {cols} "
                f"FROM base_{table}",
                (suffix,),
            )
        rows = conn.execute(
            "SELECT article_id, backend, dim, vector FROM base_article_vectors"
        ).fetchall()
        vectors = np.vstack([np.frombuffer(r[3], dtype=np.float32) for r in rows])
        vectors = vectors + rng.normal(0, NOISE, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        conn.executemany(
            "INSERT INTO article_vectors(article_id, backend, dim, vector) VALUES (?,?,?,?)",
            [(r[0] + suffix, r[1], r[2], v.tobytes()) for r, v in zip(rows, vectors, strict=True)],
        )


def _timed_get(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started


def _pages(db: Path, article: str, query: str) -> dict[str, float]:
    from starlette.testclient import TestClient

    from storyline.web.app import create_app

    with Store(db) as store:
        story = store.conn.execute(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id WHERE a.id=?",
            (article,),
        ).fetchone()[0]
    out: dict[str, float] = {}
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        for name, url in (
            ("story_page", f"/stories/{story}"),
            ("article_page", f"/articles/{article}"),
            ("search_api", f"/api/v1/search?q={query}"),
        ):
            times = [_timed_get(client, url) for _ in range(REQUESTS)]
            out[f"{name}_first_s"] = round(times[0], 3)
            out[f"{name}_median_s"] = round(float(np.median(times[1:])), 3)
    return out


def _writer(store: Store, batch: Path) -> dict[str, float]:
    """What the one writer takes at this size: a batch read, cleaned, checked for near
    duplicates and written without analysis (that runs on the engine's workers), then
    grouped (static vectors, no entities: analysis was skipped)."""
    from storyline.stories import job

    started = time.perf_counter()
    report = ingest([str(batch)], store, analyse=False, stories=False)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    placed = job.update_stories(store)
    group_s = time.perf_counter() - started
    return {
        "writer_articles_per_s": round(len(report.stored) / write_s, 1),
        "grouping_articles_per_s": round(placed.placed / group_s, 1),
    }


def _query(article: Path) -> str:
    """A word of the article's title (the longest): a search a reader of it might run."""
    title = article.read_text(encoding="utf-8").splitlines()[0]
    return max((w.strip(".,:;!?\"'()") for w in title.split()), key=len)


def _percentiles(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(float(np.percentile(values, 50)) * 1000),
        "p95_ms": round(float(np.percentile(values, 95)) * 1000),
    }


def _add_one(store: Store, article: Path) -> dict[str, Any]:
    """One article added for real: ingest (clean, analyse, near-duplicate check, write),
    embedding, then grouping, each timed on its own."""
    from storyline.stories import job

    started = time.perf_counter()
    added = ingest([str(article)], store, stories=False)
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    job.embed_missing(store)
    embed_s = time.perf_counter() - started
    loaded: list[int] = []
    readers = {name: getattr(grouping, name) for name in _MEMBER_READERS}

    def spy(real: Any) -> Any:
        def counted(s: Store, ids: Any) -> Any:
            rows = real(s, ids)
            loaded.append(len(rows))
            return rows

        return counted

    for name, real in readers.items():
        setattr(grouping, name, spy(real))
    try:
        started = time.perf_counter()
        if os.environ.get("SCALE_PROFILE"):  # where the add's time goes
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            placed = profiler.runcall(job.update_stories, store)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        else:
            placed = job.update_stories(store)
        group_s = time.perf_counter() - started
    finally:
        for name, real in readers.items():
            setattr(grouping, name, real)
    assert placed.placed == 1
    return {
        "id": added.stored[0],
        "ingest_s": ingest_s,
        "embed_s": embed_s,
        "group_s": group_s,
        "loaded": sum(loaded),
    }


def _snapshot(root: Path, *, restore: bool) -> None:
    """Keep the grown store (and its index files) in `root/pristine`, or put it back: a
    million-article store takes a quarter of an hour to grow, its copy seconds."""
    keep = root / PRISTINE
    source, target = (keep, root) if restore else (root, keep)
    target.mkdir(exist_ok=True)
    for stale in ("scale.db-wal", "scale.db-shm"):
        (target / stale).unlink(missing_ok=True)
    for f in sorted(source.glob("scale.db*")):
        if not f.name.endswith(("-wal", "-shm")):
            shutil.copyfile(f, target / f.name)


def _held(root: Path, k: int) -> tuple[list[Path], Path]:
    return sorted((root / f"one{k}").iterdir()), root / f"batch{k}"


def _warm(store: Store, db: Path, corpus: Path) -> None:
    """What a writer that grew the store has at hand: the file's pages in memory (read
    once after the copy), the models and their lazily read tables loaded (`WARM_TEXTS`
    articles of the base corpus analysed and embedded, not stored; none of the held-out
    ones) and the nearest-neighbour index open."""
    from storyline.analyse.run import analyze
    from storyline.stories.embed import backend_for

    with db.open("rb") as f:
        while f.read(1 << 24):
            pass
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.iterdir())[:WARM_TEXTS]]
    for text in texts:
        analyze(text, config=store.config)
    backend_for(store.config).encode([t[:500] for t in texts])
    backend = store.config.embed_backend
    if vector_index.wanted(store, backend):
        vector_index.sync(store, backend)


def _measure(
    db: Path, held: list[tuple[list[Path], Path]], adds: int, grow: Store | None
) -> dict[str, Any]:
    """The adds, the pages and the writer at one size (`grow`: the open store, else `db`)."""
    singles, batch = held[0]
    with contextlib.ExitStack() as stack:
        store = grow if grow is not None else stack.enter_context(Store(db))
        if grow is None:
            _warm(store, db, db.parent / "corpus" / "articles")
        row: dict[str, Any] = {"articles": store.count()}
        done = [_add_one(store, a) for a in singles[:adds]]
        without_embedding = [d["ingest_s"] + d["group_s"] for d in done]
        row["add_one_ms"] = _percentiles(without_embedding)
        row["add_one_ingest_ms"] = _percentiles([d["ingest_s"] for d in done])
        row["add_one_group_ms"] = _percentiles([d["group_s"] for d in done])
        row["add_one_embed_ms"] = _percentiles([d["embed_s"] for d in done])
        row["articles_loaded_for_grouping_median"] = int(np.median([d["loaded"] for d in done]))
        row["rss_mb"] = round(_rss_mb())
        row.update(_pages(db, done[0]["id"], _query(singles[0])))
        row.update(_writer(store, batch))
        row["db_mb"] = round(db.stat().st_size / 2**20)
    return row


def run(
    sizes: list[int], base: int, adds: int = ADDS, seed: int = 7, workdir: Path | None = None
) -> dict[str, Any]:
    os.environ["STORYLINE_PROFILE"] = "fast"
    rng = np.random.default_rng(seed)
    result: dict[str, Any] = {"base": base, "noise": NOISE, "adds": adds, "sizes": {}}
    if workdir is not None and len(sizes) != 1:
        raise SystemExit("--workdir keeps one grown store: give one size")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) if workdir is None else workdir
        root.mkdir(parents=True, exist_ok=True)
        if (root / PRISTINE).is_dir():
            _snapshot(root, restore=True)
            result["sizes"][str(sizes[0])] = _measure(
                root / "scale.db", [_held(root, 0)], adds, grow=None
            )
            save("scale_store", result)
            return result
        per_size = adds + WRITER_BATCH
        generate(base + len(sizes) * per_size, root / "corpus", seed)
        files = sorted((root / "corpus" / "articles").iterdir())
        held: list[tuple[list[Path], Path]] = []
        for k in range(len(sizes)):
            one, batch = root / f"one{k}", root / f"batch{k}"
            one.mkdir()
            batch.mkdir()
            mine = files[base + k * per_size : base + (k + 1) * per_size]
            for f in mine[:adds]:
                shutil.move(str(f), one / f.name)
            for f in mine[adds:]:
                shutil.move(str(f), batch / f.name)
            held.append(_held(root, k))
        db = root / "scale.db"
        with Store(db) as store:
            started = time.perf_counter()
            report = ingest([str(root / "corpus" / "articles")], store)
            result["base_ingest_s"] = round(time.perf_counter() - started, 1)
            stored = len(report.stored)
            _remember_originals(store, stored)
            copy = 0
            for size, (singles, batch) in zip(sizes, held, strict=True):
                started = time.perf_counter()
                while store.count() + stored <= size:
                    copy += 1
                    _grow(store, copy, rng)
                grow_s = time.perf_counter() - started
                row: dict[str, Any] = {"articles": store.count(), "grow_s": round(grow_s, 1)}
                # a store grown by ingests keeps its index current as it grows; this one
                # was copied together, so the index is built here, outside the adds' clock
                started = time.perf_counter()
                if vector_index.wanted(store, "static"):
                    vector_index.sync(store, "static")
                row["index_build_s"] = round(time.perf_counter() - started, 1)
                if workdir is not None:
                    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    _snapshot(root, restore=False)
                row.update(_measure(db, [(singles, batch)], adds, grow=store))
                result["sizes"][str(size)] = row
                print(json.dumps({size: row}), flush=True)
    sizes_done = sorted(int(k) for k in result["sizes"])
    if len(sizes_done) > 1:  # how the add's cost grows with the store
        first, last = result["sizes"][str(sizes_done[0])], result["sizes"][str(sizes_done[-1])]
        result["growth"] = {
            "store_ratio": round(sizes_done[-1] / sizes_done[0]),
            "add_one_p95_ratio": round(
                last["add_one_ms"]["p95_ms"] / max(1, first["add_one_ms"]["p95_ms"]), 1
            ),
        }
    save("scale_store", result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--adds", type=int, default=ADDS)
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the grown store here and reuse it on the next run (one size only)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(json.dumps(run(sizes, args.base, args.adds, workdir=args.workdir), indent=2))


if __name__ == "__main__":
    main()
