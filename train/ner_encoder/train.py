"""Train the encoder entity tagger's head (``python -m train.ner_encoder.train``).

Data (see data.py): CoNLL-2003 English train, GermEval 2014 dev sentences
1..1,760 (never 1,761..2,200: bench/ner.py's held-out part), Europarl NER
German train. Dev for choosing settings: CoNLL-2003 valid, GermEval
1,501..1,760 and Europarl dev (``--tune`` trains without those 260 GermEval
sentences and scores all three); the shipped model is then trained on the
training parts plus GermEval 1,501..1,760 with the chosen settings.

The head is a one-hidden-layer ReLU network over standardised states of two
encoder layers, trained in numpy with Adam on token-level cross-entropy; the
tagger decodes with BIO-constrained Viterbi. Numpy, not torch: the net is
small enough, and the shipped model must run in numpy anyway.

    .venv/bin/python -m train.ner_encoder.train --tune       # the settings grid on dev
    .venv/bin/python -m train.ner_encoder.train              # writes encoder_head.npz
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.analyse.ner.encoder_tagger import LABELS, MODEL, Head, path_spans, viterbi
from train.ner_encoder.data import Encoded, load

F32 = npt.NDArray[np.float32]
GERMEVAL_DEV_FROM = 1500  # GermEval train sentences 1,501..1,760 are the German dev slice
CORE = frozenset({"PER", "ORG", "LOC"})
SEED = 14


@dataclass(frozen=True)
class Settings:
    layers: tuple[int, ...] = (4, 6, 8, 12)  # lower layers carry more of what NER needs
    hidden: int = 256
    epochs: int = 6
    lr: float = 1e-3
    batch: int = 256
    l2: float = 1e-5
    dropout: float = 0.2
    germeval_repeat: int = 5  # GermEval is the target domain and the smallest corpus
    extra: tuple[str, ...] = ()  # more corpora from data.SOURCES (e.g. smartdata-news)


def settings(overrides: dict[str, Any]) -> Settings:
    """Settings from JSON overrides (lists become tuples)."""
    fixed: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()
    }
    return Settings(**fixed)


def subset(data: Encoded, start: int, stop: int) -> Encoded:
    """Sentences start..stop-1 of a corpus."""
    a, b = int(data.bounds[start]), int(data.bounds[stop])
    return Encoded(
        data.x[a:b],
        data.y[a:b],
        data.bounds[start : stop + 1] - a,
        data.offsets[a:b],
        data.docs[start:stop],
    )


def fit(parts: list[tuple[Encoded, int]], s: Settings, log: bool = True) -> Head:
    """Adam on cross-entropy over all tokens of the (corpus, repeat) parts."""
    rng = np.random.default_rng(SEED)
    xs = [p.layers(s.layers) for p, _ in parts]
    ys = [p.y.astype(np.int64) for p, _ in parts]
    idx = np.concatenate(
        [
            np.tile(np.arange(len(y)) + sum(len(v) for v in ys[:k]), r)
            for k, ((_, r), y) in enumerate(zip(parts, ys, strict=True))
        ]
    )
    x_all = np.concatenate(xs)
    y_all = np.concatenate(ys)
    del xs
    mean = x_all.mean(axis=0)
    scale = x_all.std(axis=0) + 1e-4
    x_all = (x_all - mean) / scale
    d, h, k = x_all.shape[1], s.hidden, len(LABELS)
    params = {
        "w1": (rng.standard_normal((d, h)) * np.sqrt(2.0 / d)).astype(np.float32),
        "b1": np.zeros(h, np.float32),
        "w2": (rng.standard_normal((h, k)) * np.sqrt(1.0 / h)).astype(np.float32),
        "b2": np.zeros(k, np.float32),
    }
    m = {n: np.zeros_like(v) for n, v in params.items()}
    v = {n: np.zeros_like(p) for n, p in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    step = 0
    total = s.epochs * (len(idx) // s.batch)
    for epoch in range(s.epochs):
        started = time.perf_counter()
        order = rng.permutation(idx)
        loss_sum = 0.0
        for b in range(len(order) // s.batch):
            step += 1
            lr = s.lr * min(1.0, 2.0 * (1 - step / total) + 0.05)  # flat, then linear decay
            sel = order[b * s.batch : (b + 1) * s.batch]
            xb, yb = x_all[sel], y_all[sel]
            if s.dropout:
                xb = xb * (rng.random(xb.shape, dtype=np.float32) >= s.dropout) / (1 - s.dropout)
            pre = xb @ params["w1"] + params["b1"]
            hid = np.maximum(pre, 0)
            z = hid @ params["w2"] + params["b2"]
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            loss_sum += float(-np.log(p[np.arange(len(yb)), yb] + 1e-9).mean())
            g = p
            g[np.arange(len(yb)), yb] -= 1
            g /= len(yb)
            grads = {"w2": hid.T @ g, "b2": g.sum(0)}
            gh = (g @ params["w2"].T) * (pre > 0)
            grads["w1"] = xb.T @ gh
            grads["b1"] = gh.sum(0)
            for n in params:
                gr = grads[n] + (s.l2 * params[n] if n.startswith("w") else 0)
                m[n] = beta1 * m[n] + (1 - beta1) * gr
                v[n] = beta2 * v[n] + (1 - beta2) * gr * gr
                mh = m[n] / (1 - beta1**step)
                vh = v[n] / (1 - beta2**step)
                params[n] -= (lr * mh / (np.sqrt(vh) + eps)).astype(np.float32)
        if log:
            print(
                f"  epoch {epoch + 1}: loss {loss_sum / max(1, len(order) // s.batch):.4f} "
                f"({time.perf_counter() - started:.0f}s)",
                flush=True,
            )
    return Head(s.layers, mean.astype(np.float32), scale.astype(np.float32), **params)


def evaluate(model: Head, data: Encoded) -> dict[str, float]:
    """Strict span F1 (PER/ORG/LOC 'core', all four 'all', ORG) against the gold spans."""
    x = data.layers(model.layers)
    logp = model.log_probs(x)
    counts = {k: [0, 0, 0] for k in ("core", "all", "ORG")}
    for i, doc in enumerate(data.docs):
        a, b = int(data.bounds[i]), int(data.bounds[i + 1])
        pred = set(path_spans(viterbi(logp[a:b]), data.offsets[a:b]))
        gold = set(doc.spans)
        for key, keep in (("core", CORE), ("all", CORE | {"MISC"}), ("ORG", {"ORG"})):
            g = {sp for sp in gold if sp[2] in keep}
            p = {sp for sp in pred if sp[2] in keep}
            counts[key][0] += len(g & p)
            counts[key][1] += len(p - g)
            counts[key][2] += len(g - p)
    out = {}
    for key, (tp, fp, fn) in counts.items():
        out[key] = round(2 * tp / max(1, 2 * tp + fp + fn), 4)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tune", action="store_true", help="score a settings grid on the dev sets")
    ap.add_argument("--grid", default="", help="JSON list of Settings overrides for --tune")
    args = ap.parse_args()
    conll, germeval, parl = load("conll-train"), load("germeval-train"), load("europarl-train")
    if args.tune:
        dev = {
            "conll-valid": load("conll-valid"),
            "germeval-1501-1760": subset(germeval, GERMEVAL_DEV_FROM, len(germeval.docs)),
            "europarl-dev": load("europarl-dev"),
        }
        ge_train = subset(germeval, 0, GERMEVAL_DEV_FROM)
        grid = [settings(g) for g in json.loads(args.grid or "[{}]")]
        for s in grid:
            started = time.perf_counter()
            extra = [(load(name), 1) for name in s.extra]
            model = fit([(conll, 1), (ge_train, s.germeval_repeat), (parl, 1), *extra], s)
            scores = {name: evaluate(model, d) for name, d in dev.items()}
            print(
                json.dumps(
                    {
                        "settings": s.__dict__,
                        "dev": scores,
                        "seconds": round(time.perf_counter() - started),
                    }
                ),
                flush=True,
            )
        return
    s = Settings()
    extra = [(load(name), 1) for name in s.extra]
    model = fit([(conll, 1), (germeval, s.germeval_repeat), (parl, 1), *extra], s)
    model.save(MODEL, settings=json.dumps(s.__dict__))
    print(f"wrote {MODEL} ({MODEL.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
