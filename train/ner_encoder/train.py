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
from train import heads
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
    """The shared trainer over all tokens of the (corpus, repeat) parts."""
    ys = [p.y.astype(np.int64) for p, _ in parts]
    starts = np.cumsum([0, *(len(y) for y in ys[:-1])])
    rows = np.concatenate(
        [
            np.tile(np.arange(len(y)) + start, r)
            for (_, r), y, start in zip(parts, ys, starts, strict=True)
        ]
    )
    x_all = np.concatenate([p.layers(s.layers) for p, _ in parts])
    return heads.fit(
        Head,
        s.layers,
        x_all,
        np.concatenate(ys),
        len(LABELS),
        heads.FitSettings(s.hidden, s.epochs, s.lr, s.batch, s.l2, s.dropout, SEED),
        rows=rows,
        log=log,
    )


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
