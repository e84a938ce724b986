"""Ingest throughput: articles per second into a fresh store, plain text and HTML.

Plain text: the seed articles, each copied 40 times with a numbered line so
every copy is a new article. HTML: the trafilatura-de pages.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import save, shared
from storyline.jobs.ingest import ingest
from storyline.store import Store


def _measure(folder: Path, analyse: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        report = ingest([str(folder)], store, analyse=analyse)
        seconds = time.perf_counter() - started
    n = len(report.stored) + len(report.known)
    return {
        "articles": n,
        "failed": len(report.errors),
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 1) if seconds else None,
    }


def run() -> dict[str, Any] | None:
    seeds = shared("seeds")
    pages = shared("bench", "trafilatura-de", "html")
    if seeds is None or pages is None:
        return None
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in sorted(seeds.glob("*.txt")):
            body = seed.read_text(encoding="utf-8")
            for copy in range(40):
                (folder / f"{seed.stem}-{copy}.txt").write_text(
                    body + f"\n\nKopie Nummer {copy} für die Messung.\n", encoding="utf-8"
                )
        result["plain_text, clean only"] = _measure(folder, analyse=False)
        result["plain_text, with analysis"] = _measure(folder, analyse=True)
    result["html, clean only"] = _measure(pages, analyse=False)
    result["html, with analysis"] = _measure(pages, analyse=True)
    save("throughput", result)
    return result
