"""End to end: `storyline ingest` of seed-length German articles into a fresh store.

The articles are fictional (bench/gen_corpus.py): German articles of one story are joined
until they reach the seeds' mean length (about 6,000 characters), so each input is one
article of seed length with a coherent story. One process, models loaded before the clock
starts (a warm-up ingest into another store), fresh store, grouping and claims included.

    .venv/bin/python -m bench.ingest_speed --n 400 --profile accurate
    .venv/bin/python -m bench.ingest_speed --n 400 --profile fast
    .venv/bin/python -m bench.ingest_speed --n 400 --profile accurate --engine ray

With `--engine ray` a local Ray is started before the clock (as a running cluster would
be); the run's actors start and load their models inside it, as every `storyline ingest
--engine ray` does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import save
from bench.gen_corpus import generate

SEED_CHARS = 6000  #: the five seeds' mean length, in characters
#: generated articles per input: about 70 % are German and about three make one input
GENERATED_PER_INPUT = 6


def seed_length_articles(n: int, out: Path) -> list[Path]:
    """n German inputs of about SEED_CHARS characters each, written under `out`."""
    truth = generate(n * GENERATED_PER_INPUT, out / "gen", seed=11)
    by_story: dict[str, list[str]] = {}
    for row in truth:
        if row["lang"] == "de" and not row["duplicate_of_file"]:
            by_story.setdefault(str(row["story"]), []).append(str(row["file"]))
    paths: list[Path] = []
    target = out / "pile"
    target.mkdir()
    for files in by_story.values():
        parts: list[str] = []
        for name in files:
            text = (out / "gen" / "articles" / name).read_text(encoding="utf-8")
            if parts:  # later parts lose their title line
                text = text.split("\n", 1)[1]
            parts.append(text.strip())
            if sum(map(len, parts)) >= SEED_CHARS:
                path = target / f"{len(paths):05d}.txt"
                path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
                paths.append(path)
                parts = []
                if len(paths) == n:
                    return paths
    return paths


def run(n: int, profile: str, engine: str = "local") -> dict[str, Any]:
    os.environ["STORYLINE_PROFILE"] = profile
    os.environ["STORYLINE_ENGINE"] = engine
    from storyline.jobs.ingest import ingest
    from storyline.store import Store

    if engine == "ray":
        import ray

        ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = seed_length_articles(n, root)
        chars = round(sum(len(p.read_text(encoding="utf-8")) for p in paths) / len(paths))
        with Store(root / "warm.db") as store:  # load every model outside the clock
            ingest([str(p) for p in paths[:3]], store)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with Store(root / "bench.db") as store:
            started = time.perf_counter()
            report = ingest([str(root / "pile")], store)
            seconds = time.perf_counter() - started
    stored = len(report.stored)  # near-duplicates included
    return {
        "profile": profile,
        "engine": engine,
        "articles": stored,
        "failed": len(report.errors),
        "of_which_duplicates": len(report.duplicates),
        "known": len(report.known),
        "mean_chars": chars,
        "seconds": round(seconds, 1),
        "articles_per_s": round(stored / seconds, 2),
        "peak_rss_mb": round(
            max(rss_before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--profile", choices=["accurate", "fast"], default="accurate")
    ap.add_argument("--engine", choices=["local", "ray"], default="local")
    args = ap.parse_args()
    result = run(args.n, args.profile, args.engine)
    save(f"ingest_speed_{args.profile}_{args.engine}", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
