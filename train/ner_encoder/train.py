"""Train the encoder entity tagger (``python -m train.ner_encoder.train``).

Data (see data.py): CoNLL-2003 English train, GermEval 2014 dev sentences
1..1,760 (×5; never 1,761..2,200: bench/ner.py's held-out part), Europarl NER
German train. Dev for choosing settings: GermEval 1,321..1,760 (440 sentences),
CoNLL-2003 valid and Europarl dev (``--tune`` trains without those 440 GermEval
sentences and scores all three, for several transition weights); the shipped
tagger is then trained on the training parts plus GermEval 1,321..1,760 with the
chosen settings. SmartData news, HIPE-2020 and Europeana (data.SOURCES) were
measured as extra data and lowered German dev F1; they are not used.

The tagger (encoder_tagger.Tagger): two one-hidden-layer ReLU heads (seeds 15 and
16, log-probabilities averaged) over the standardised states of encoder layers
4, 6, 8 and 12 of each subword and of the subwords before and after it, trained
in numpy with Adam on token-level cross-entropy (fit.py); Viterbi decoding under
the BIO constraints plus 0.3 × the log transition frequencies counted on the
training labels. Numpy, not torch: the nets are small, and the shipped model
must run in numpy anyway.

    .venv/bin/python -m train.ner_encoder.train --tune --grid '[{"window": 0}]'
    .venv/bin/python -m train.ner_encoder.train              # writes encoder_head.npz
    # or one member per core, then merged:
    .venv/bin/python -m train.ner_encoder.train --members 1 --seed 15 --out /tmp/a.npz
    .venv/bin/python -m train.ner_encoder.train --members 1 --seed 16 --out /tmp/b.npz
    .venv/bin/python -m train.ner_encoder.train --merge /tmp/a.npz /tmp/b.npz
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.analyse.ner.encoder_tagger import MODEL, Tagger, path_spans
from train.ner_encoder.data import ALL_LAYERS, Encoded, load
from train.ner_encoder.fit import FitSettings, Table, count_transitions, fit

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
#: GermEval train sentences 1,321..1,760 are the German dev slice (440, as many as held out)
GERMEVAL_DEV_FROM = 1320
CORE = frozenset({"PER", "ORG", "LOC"})
SEED = 15  # the members measured on dev were seeds 15 and 16


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
    window: int = 1  # 1: the states of the subwords before and after beside each one
    org_weight: float = 1.0  # loss weight of ORG tokens
    members: int = 2  # heads averaged (seeds SEED, SEED + 1, ...)
    trans_weight: float = 0.3  # weight of the counted transition scores in Viterbi


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


def stack(parts: list[Encoded], layers: tuple[int, ...]) -> tuple[Table, I64, I64]:
    """All parts' rows as one standardised table, their labels and sentence bounds."""
    width = parts[0].x.shape[1] // len(ALL_LAYERS)
    cols = np.concatenate(
        [np.arange(ALL_LAYERS.index(n) * width, (ALL_LAYERS.index(n) + 1) * width) for n in layers]
    )
    x = np.concatenate([p.x[:, cols] for p in parts])
    y = np.concatenate([p.y.astype(np.int64) for p in parts])
    offs = np.cumsum([0, *(len(p.y) for p in parts[:-1])])
    bounds = np.unique(np.concatenate([p.bounds + o for p, o in zip(parts, offs, strict=True)]))
    return Table.build(x, bounds), y, bounds


def train_tagger(
    parts: list[tuple[Encoded, int]], s: Settings, log: bool = True, seed: int = SEED
) -> Tagger:
    """The members trained on all tokens of the (corpus, repeat) parts, with the
    transition scores counted on the same data."""
    table, y, bounds = stack([p for p, _ in parts], s.layers)
    starts = np.cumsum([0, *(len(p.y) for p, _ in parts[:-1])])
    rows = np.concatenate(
        [np.tile(np.arange(len(p.y)) + a, r) for (p, r), a in zip(parts, starts, strict=True)]
    )
    members = []
    for i in range(s.members):
        fs = FitSettings(
            s.hidden, s.epochs, s.lr, s.batch, s.l2, s.dropout, seed + i, s.window, s.org_weight
        )
        members.append(fit(table, y, rows, s.layers, fs, log=log))
    trans, start = count_transitions(y, bounds, s.trans_weight)
    return Tagger(tuple(members), s.window, trans, start)


def evaluate(model: Tagger, data: Encoded) -> dict[str, float]:
    """Strict span F1 (PER/ORG/LOC 'core', all four 'all', ORG) against the gold spans."""
    logp = model.log_probs(data.layers(model.layers), data.bounds)
    counts = {k: [0, 0, 0] for k in ("core", "all", "ORG")}
    for i, doc in enumerate(data.docs):
        a, b = int(data.bounds[i]), int(data.bounds[i + 1])
        pred = set(path_spans(model.decode(logp[a:b]), data.offsets[a:b]))
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


def with_transitions(model: Tagger, parts: list[Encoded], weight: float) -> Tagger:
    """The same heads decoded with transition scores of another weight."""
    y = np.concatenate([p.y.astype(np.int64) for p in parts])
    offs = np.cumsum([0, *(len(p.y) for p in parts[:-1])])
    bounds = np.unique(np.concatenate([p.bounds + o for p, o in zip(parts, offs, strict=True)]))
    trans, start = count_transitions(y, bounds, weight)
    return Tagger(model.members, model.window, trans, start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tune", action="store_true", help="score a settings grid on the dev sets")
    ap.add_argument("--grid", default="", help="JSON list of Settings overrides for --tune")
    ap.add_argument(
        "--trans", default="0,0.5,1", help="transition weights scored per setting (--tune)"
    )
    ap.add_argument("--seed", type=int, default=SEED, help="seed of the first member")
    ap.add_argument("--save", default="", help="--tune: also write each tagger to this folder")
    ap.add_argument("--members", type=int, default=0, help="train only this many members")
    ap.add_argument("--out", default="", help="write the tagger here, not to the shipped file")
    ap.add_argument("--merge", nargs="+", help="combine the members of these files and ship")
    args = ap.parse_args()
    if args.merge:
        merge(args.merge)
        return
    conll, germeval, parl = load("conll-train"), load("germeval-train"), load("europarl-train")
    if args.tune:
        dev = {
            "conll-valid": load("conll-valid"),
            "germeval-1321-1760": subset(germeval, GERMEVAL_DEV_FROM, len(germeval.docs)),
            "europarl-dev": load("europarl-dev"),
        }
        ge_train = subset(germeval, 0, GERMEVAL_DEV_FROM)
        grid = [settings(g) for g in json.loads(args.grid or "[{}]")]
        for s in grid:
            started = time.perf_counter()
            extra = [(load(name), 1) for name in s.extra]
            parts = [(conll, 1), (ge_train, s.germeval_repeat), (parl, 1), *extra]
            model = train_tagger(parts, s, seed=args.seed)
            if args.save:
                name = hashlib.sha1(json.dumps([s.__dict__, args.seed]).encode()).hexdigest()[:8]
                model.save(Path(args.save) / f"{name}.npz", json.dumps(s.__dict__))
                print(f"saved {name}.npz", flush=True)
            for w in (float(t) for t in args.trans.split(",")):
                tagger = with_transitions(model, [p for p, _ in parts], w)
                scores = {name: evaluate(tagger, d) for name, d in dev.items()}
                print(
                    json.dumps(
                        {
                            "settings": {**s.__dict__, "trans_weight": w},
                            "dev": scores,
                            "seconds": round(time.perf_counter() - started),
                        }
                    ),
                    flush=True,
                )
        return
    s = Settings()
    if args.members:  # some of the members only (one process per core), merged by --merge
        s = replace(s, members=args.members)
    out = Path(args.out) if args.out else MODEL
    extra = [(load(name), 1) for name in s.extra]
    model = train_tagger(
        [(conll, 1), (germeval, s.germeval_repeat), (parl, 1), *extra], s, seed=args.seed
    )
    model.save(out, settings=json.dumps(Settings().__dict__))
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def merge(paths: list[str]) -> None:
    """The members of several trained files (same settings, other seeds) as one tagger."""
    parts = [Tagger.load(Path(p)) for p in paths]
    first = parts[0]
    model = Tagger(
        tuple(m for t in parts for m in t.members), first.window, first.trans, first.start
    )
    model.save(MODEL, settings=json.dumps(Settings().__dict__))
    print(f"wrote {MODEL} ({MODEL.stat().st_size // 1024} KB, {len(model.members)} members)")


if __name__ == "__main__":
    main()
