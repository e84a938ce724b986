"""SpkAtt-2023 sentences through the shipped encoder, cached as token states.

Each document is rebuilt as bench/quotes.py rebuilds it (tokens joined by single
spaces, sentences by a space), so training sees the text the benchmark feeds the
tagger. Every sentence is encoded alone, as the tagger encodes an article's
sentences at run time; the states of layers 4, 6, 8 and 12 are kept as float16
so the layer choice can be tuned without encoding again. Labels are not cached:
they are cheap to derive from the JSON (train.py), so the cache stays valid when
the labelling changes.

The cache (build/quotes_encoder/, git-ignored) is training material, never shipped.
All 700 documents are cached; train.py keeps the held-out fifth out of training.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from bench.common import shared
from bench.quotes import rebuild

from storyline.encoder import get_encoder

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "quotes_encoder" / "spkatt.npz"
CACHED_LAYERS = (4, 6, 8)  # the last layer (12) is always kept
ALL_LAYERS = (*CACHED_LAYERS, 12)


def files() -> list[Path]:
    """All SpkAtt train files, sorted (bench/quotes.py's order)."""
    root = shared("bench", "spkatt2023", "train")
    if root is None:
        raise SystemExit("../shared/bench/spkatt2023 is missing")
    return sorted(p for p in root.iterdir() if p.suffix == ".json")


@dataclass
class Cache:
    """Token states of every sentence of every document, in file order."""

    x: npt.NDArray[np.float16]  # [tokens, len(ALL_LAYERS) * 384]
    offsets: npt.NDArray[np.int32]  # [tokens, 2] char spans in the sentence text
    bounds: npt.NDArray[np.int64]  # sentence i has rows bounds[i]:bounds[i+1]
    doc_of: npt.NDArray[np.int32]  # document index of each sentence

    def layers(self, chosen: tuple[int, ...], rows: npt.NDArray[np.int64]) -> Any:
        width = self.x.shape[1] // len(ALL_LAYERS)
        cols = [
            self.x[rows, ALL_LAYERS.index(n) * width : (ALL_LAYERS.index(n) + 1) * width]
            for n in chosen
        ]
        return np.concatenate(cols, axis=1).astype(np.float32)


def build() -> Cache:
    enc = get_encoder()
    xs, offs, bounds, doc_of = [], [], [0], []
    started = time.perf_counter()
    paths = files()
    for di, path in enumerate(paths):
        doc = json.loads(path.read_text(encoding="utf-8"))
        _, sentences, _ = rebuild(doc)
        outs = enc.encode([s.text for s in sentences], layers=CACHED_LAYERS)
        for out in outs:
            keep = out.offsets[:, 1] > out.offsets[:, 0]
            assert out.states is not None
            feats = [out.layers[n] for n in CACHED_LAYERS] + [out.states]
            xs.append(np.concatenate(feats, axis=1)[keep].astype(np.float16))
            offs.append(out.offsets[keep].astype(np.int32))
            bounds.append(bounds[-1] + int(keep.sum()))
            doc_of.append(di)
        if di % 50 == 0:
            print(f"{di}/{len(paths)} documents, {time.perf_counter() - started:.0f}s", flush=True)
    return Cache(np.concatenate(xs), np.concatenate(offs), np.array(bounds), np.array(doc_of))


def load() -> Cache:
    """The cache, building it first when absent (about 10 minutes on two cores)."""
    if CACHE.exists():
        z = np.load(CACHE)
        return Cache(z["x"], z["offsets"], z["bounds"], z["doc_of"])
    data = build()
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE, x=data.x, offsets=data.offsets, bounds=data.bounds, doc_of=data.doc_of)
    return data


if __name__ == "__main__":
    c = load()
    print(f"{len(c.doc_of)} sentences, {len(c.x)} tokens")
