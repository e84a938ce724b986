"""Article pairs of the claim labels, analysed once and cached in build/claims/.

Each labelled article pair (bench/data/claims_semeval_labels.json, texts from
../shared/bench/semeval2022-t8) is analysed as the claim benchmark does it
(bench.claims_eval.article_input), cut into claim units (storyline.compare.units) and its
units embedded with both vector backends (e5 and static), so that the model can be fitted
again in seconds.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from bench.claims_eval import _texts, article_input, load_labels
from bench.common import ROOT, shared

from storyline.compare.units import Unit, article_units

CACHE = ROOT / "build" / "claims" / "pairs.pkl"
BACKENDS = ("e5", "static")
#: Bump when what is cached changes (analysis or units), so a stale cache is rebuilt.
CACHE_VERSION = 2


def _build(csv_path: Path) -> list[dict[str, Any]]:
    from storyline.stories.embed import get_backend

    labels = load_labels()
    texts = _texts(csv_path, {int(x["row"]) for x in labels})
    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for x in labels:
        by_row[int(x["row"])].append(x)
    out: list[dict[str, Any]] = []
    for row, items in sorted(by_row.items()):
        t = texts[row]
        a = article_input("a", t["a"], t["lang_a"])
        b = article_input("b", t["b"], t["lang_b"])
        units: list[Unit] = article_units(a) + article_units(b)
        vectors = {
            name: (
                get_backend(name).encode([u.text for u in units]).astype(np.float32)
                if units
                else np.zeros((0, 1), dtype=np.float32)
            )
            for name in BACKENDS
        }
        out.append({"row": row, "texts": t, "items": items, "units": units, "vectors": vectors})
        print(f"row {row}: {len(units)} units", flush=True)
    return out


def load(rebuild: bool = False) -> list[dict[str, Any]] | None:
    """The analysed article pairs, or None when ../shared is absent."""
    if CACHE.exists() and not rebuild:
        version, rows = pickle.loads(CACHE.read_bytes())
        if version == CACHE_VERSION:
            return list(rows)
    path = shared("bench", "semeval2022-t8", "pairs-de-en.csv")
    if path is None:
        return None
    rows = _build(path)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_bytes(pickle.dumps((CACHE_VERSION, rows)))
    return rows


if __name__ == "__main__":
    load(rebuild=True)
