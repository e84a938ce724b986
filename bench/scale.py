"""Events and stories at scale: a generated corpus of N fictional articles.

What it measures, each step timed on its own:

1. ingest with analysis (no grouping) of N generated articles (bench/gen_corpus.py);
2. embedding the articles (the `profile` setting: the e5 encoder by default, `--backend static`
   for the fast profile's cheap model);
3. grouping all of them (`recluster`), and pairwise precision/recall of events and
   stories against the generator's labels;
4. adding one more article to the full store: its ingest (clean + analyse) and the
   grouping step (embed + place), separately.

e5 embeds about five articles a second on two cores, so at 10,000 articles a full run
with e5 takes over half an hour of embedding; `--backend static` measures the grouping
at that size in minutes (with weaker vectors, so its precision/recall are not e5's).

Run: `python -m bench.scale --n 10000 --backend static` and `python -m bench.scale --n 1000`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import prf, save
from bench.gen_corpus import generate
from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.stories import job


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_counts(predicted: dict[str, str | None], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise P/R/F1 from cluster sizes (linear in the number of articles)."""
    items = [a for a in gold if predicted.get(a) is not None]
    cells = Counter((predicted[a], gold[a]) for a in items)
    tp = sum(_pairs(n) for n in cells.values())
    pred = sum(_pairs(n) for n in Counter(predicted[a] for a in items).values())
    true = sum(_pairs(n) for n in Counter(gold.values()).values())
    return prf(tp, pred - tp, true - tp)


def _truth_by_id(store: Store, truth: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_file = {t["file"]: t for t in truth}
    out = {}
    for article, source in store.conn.execute("SELECT article_id, source FROM sources"):
        name = Path(source).name
        if name in by_file:
            out[article] = by_file[name]
    return out


def run(n: int = 1000, backend: str = "e5", seed: int = 7) -> dict[str, Any]:
    os.environ["STORYLINE_PROFILE"] = "fast" if backend == "static" else "accurate"
    result: dict[str, Any] = {"articles": n, "backend": backend}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        truth = generate(n + 1, root / "corpus", seed)
        result["generate_s"] = round(time.perf_counter() - started, 1)
        files = sorted((root / "corpus" / "articles").iterdir())
        last = root / "last"
        last.mkdir()
        shutil.move(str(files[-1]), last / files[-1].name)
        with Store(root / "scale.db") as store:
            started = time.perf_counter()
            report = ingest([str(root / "corpus" / "articles")], store, stories=False)
            seconds = time.perf_counter() - started
            result["ingest_articles_per_s"] = round(len(report.stored) / seconds, 1)
            started = time.perf_counter()
            job.embed_missing(store)
            store.conn.commit()
            seconds = time.perf_counter() - started
            result["embed_articles_per_s"] = round(n / seconds, 1)
            started = time.perf_counter()
            grouped = job.recluster(store)
            result["group_all_s"] = round(time.perf_counter() - started, 1)
            result["events"], result["stories"] = grouped.events, grouped.stories
            result.update(_quality(store, truth))
            started = time.perf_counter()
            ingest([str(last)], store, stories=False)
            result["add_one_ingest_s"] = round(time.perf_counter() - started, 2)
            started = time.perf_counter()
            added = job.update_stories(store)
            result["add_one_group_s"] = round(time.perf_counter() - started, 2)
            assert added.placed == 1
    save(f"scale_{n}_{backend}", result)
    return result


def _quality(store: Store, truth: list[dict[str, Any]]) -> dict[str, Any]:
    gold = _truth_by_id(store, truth)
    events = dict(store.conn.execute("SELECT id, event_id FROM articles").fetchall())
    story_of = dict(store.conn.execute("SELECT id, story_id FROM events").fetchall())
    stories = {a: story_of.get(e) for a, e in events.items()}
    return {
        "gold_events": len({g["event"] for g in gold.values()}),
        "gold_stories": len({g["story"] for g in gold.values()}),
        "event_pairs": pairwise_counts(events, {a: g["event"] for a, g in gold.items()}),
        "story_pairs": pairwise_counts(stories, {a: g["story"] for a, g in gold.items()}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--backend", choices=("e5", "static"), default="e5")
    args = parser.parse_args()
    print(json.dumps(run(args.n, args.backend), indent=2))


if __name__ == "__main__":
    main()
