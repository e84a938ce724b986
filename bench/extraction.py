"""HTML main-text extraction on ../shared/bench/trafilatura-de, scored as trafilatura does.

Per snippet: a 'with' snippet found in the extracted text is a true positive,
missing a false negative; a 'without' snippet found is a false positive.
We score trafilatura alone (its defaults, as in its published evaluation) and
storyline (trafilatura plus our line cleaning) on the same pages.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

import trafilatura

from bench.common import prf, save, shared
from storyline import extract_html
from storyline.errors import StorylineError

PUBLISHED = {
    "trafilatura 2.2.0 (published, 990 pages)": 0.924,
    "justext (published)": 0.862,
    "readability-lxml (published)": 0.826,
    "newspaper4k (published)": 0.801,
}


#: One page in this many is held out: never read while tuning the cleaning or training
#: the junk model (train/junk/train.py), only scored.
HELD_OUT_EVERY = 3


def part_of(url: str) -> str:
    """'heldout' or 'tune', fixed by a hash of the page's URL (about a third held out)."""
    digest = int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16)
    return "heldout" if digest % HELD_OUT_EVERY == 0 else "tune"


def _trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def _storyline(html: str, url: str) -> str:
    try:
        result = extract_html(html, url)
    except StorylineError:
        return ""
    return result.text


def score(
    extract: Callable[[str, str], str], pages: list[tuple[str, str, dict[str, Any]]]
) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    started = time.perf_counter()
    for url, html, truth in pages:
        text = " ".join(extract(html, url).split())
        for snippet in truth.get("with", []):
            if " ".join(snippet.split()) in text:
                tp += 1
            else:
                fn += 1
        for snippet in truth.get("without", []):
            if " ".join(snippet.split()) in text:
                fp += 1
            else:
                tn += 1
    seconds = time.perf_counter() - started
    return {
        **prf(tp, fp, fn),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "pages": len(pages),
        "ms_per_page": round(1000 * seconds / max(len(pages), 1), 1),
    }


def load_pages() -> list[tuple[str, str, dict[str, Any]]] | None:
    root = shared("bench", "trafilatura-de")
    if root is None:
        return None
    truth = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in sorted(truth.items()):
        path = root / "html" / item["file"]
        if path.exists():
            raw = path.read_bytes()
            pages.append((url, raw.decode("utf-8", errors="replace"), item))
    return pages


def run() -> dict[str, Any] | None:
    pages = load_pages()
    if pages is None:
        return None
    result: dict[str, Any] = {
        "dataset": "trafilatura-de (../shared/bench/trafilatura-de, German pages)",
        "trafilatura": score(_trafilatura, pages),
        "storyline": score(_storyline, pages),
        "published_f1": PUBLISHED,
    }
    for part in ("tune", "heldout"):
        subset = [p for p in pages if part_of(p[0]) == part]
        result[part] = {
            "trafilatura": score(_trafilatura, subset),
            "storyline": score(_storyline, subset),
        }
    save("extraction", result)
    return result


if __name__ == "__main__":
    found = run()
    if found is not None:
        for name in ("tune", "heldout"):
            for system in ("trafilatura", "storyline"):
                s = found[name][system]
                print(f"{name:8} {system:12} F1 {s['f1']:.3f}  boilerplate left in {s['fp']}")
