"""Train the learned quote tagger's head (``python -m train.quotes_encoder.train``).

Data: SpkAtt-2023 train, tune part only (sorted index % 5 != 0; bench/quotes.py's
held-out fifth is never read here). For choosing settings (``--tune``) the tune part is
split again: index % 5 == 1 is the dev slice, scored end to end with bench/quotes.py's
scorer through the same assembly the tagger uses at run time; the shipped head is then
trained on the whole tune part.

Labels, per corpus token and per span kind (cue, source, message): B where the
annotation's span starts (the token before it is not in it), I inside, O elsewhere; a
message that runs on from the previous sentence starts the sentence with I. Outer
annotations are labelled before nested ones, and a token keeps its first label, so a
nested direct quote inside a reported message stays part of that message. Every
subword takes its word's label (later subwords of a B word take I).

The network: standardised states of the chosen layers plus the tagger's extra features,
one ReLU layer, three softmaxes, Adam on the summed cross-entropy. Numpy, not torch:
the net is small and must run in numpy anyway.

    .venv/bin/python -m train.quotes_encoder.train --tune --grid '[{}, {"hidden": 512}]'
    .venv/bin/python -m train.quotes_encoder.train        # writes quotes_head.npz
"""

from __future__ import annotations

import argparse
import bisect
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from bench.quotes import gold_of, rebuild, score, token_sets

from storyline.analyse.model import Quote, Sentence
from storyline.analyse.quotes import find_quotes
from storyline.analyse.quotes_learned import assemble
from storyline.analyse.quotes_tagger import (
    GROUPS,
    MODEL,
    N_EXTRA,
    Head,
    Span,
    decode,
    extra_features,
)
from train import heads
from train.quotes_encoder.data import Cache, files, load

F32 = npt.NDArray[np.float32]
SEED = 15
TUNED = Path("build/quotes_encoder/tuned_head.npz")
GROUP_KEYS = {"cue": "Cue", "source": "Source", "message": "Message"}


@dataclass(frozen=True)
class Settings:
    layers: tuple[int, ...] = (4, 8, 12)  # dev joint F1: (8, 12) 0.640, (4, 8, 12) 0.648
    hidden: int = 512
    epochs: int = 3  # the loss falls fast; more epochs overfit the 450 training documents
    lr: float = 1e-3
    batch: int = 256
    l2: float = 1e-5
    dropout: float = 0.3


@dataclass
class Doc:
    """One SpkAtt document: its rebuilt text and sentences, gold, and rows in the cache."""

    index: int
    text: str
    sentences: list[Sentence]
    gold: Any
    spans: list[tuple[int, int, tuple[int, int]]]
    sentence_rows: list[int]  # indices into the cache's sentences
    raw: dict[str, Any]
    rules: list[Quote]  # the rules' quotes, features for the head


def token_tags(doc: dict[str, Any]) -> dict[tuple[int, int], list[int]]:
    """Per corpus token, the tag index (0 O, 1 B, 2 I) of each group."""
    order = [(int(s["SentenceId"]), i) for s in doc["Sentences"] for i in range(len(s["Tokens"]))]
    prev = {t: order[i - 1] if i else None for i, t in enumerate(order)}
    tags = {t: [0, 0, 0] for t in order}
    anns = sorted(doc["Annotations"], key=lambda a: bool(a["IsNested"]))
    for g, kind in enumerate(GROUPS):
        for ann in anns:
            toks = {(int(x.split(":")[0]), int(x.split(":")[1])) for x in ann[GROUP_KEYS[kind]]}
            for t in sorted(toks):
                if t not in tags or tags[t][g]:
                    continue
                tags[t][g] = 2 if prev[t] in toks else 1
    return tags


def labels(d: Doc, cache: Cache) -> tuple[list[npt.NDArray[np.int64]], list[F32]]:
    """Subword labels [n, 3] and extra features per sentence of one document."""
    tags = token_tags(d.raw)
    offs = [cache.offsets[cache.bounds[r] : cache.bounds[r + 1]] for r in d.sentence_rows]
    extras = extra_features(d.text, d.sentences, offs, "de", d.rules)
    ys = []
    starts = [sp[0] for sp in d.spans]
    for sent, off in zip(d.sentences, offs, strict=True):
        y = np.zeros((len(off), 3), dtype=np.int64)
        last_tok = None
        for i, (a, b) in enumerate(off):
            pa, pb = int(a) + sent.start, int(b) + sent.start
            j = max(bisect.bisect_right(starts, pa) - 1, 0)
            if d.spans[j][1] <= pa and j + 1 < len(d.spans):
                j += 1  # a subword in the space before a token
            tok = d.spans[j][2] if d.spans[j][0] < pb and pa < d.spans[j][1] else None
            if tok is not None:
                t = tags[tok]
                y[i] = [2 if (v == 1 and tok == last_tok) else v for v in t]
            last_tok = tok
        ys.append(y)
    return ys, extras


def documents(cache: Cache) -> list[Doc]:
    rows_of: dict[int, list[int]] = {}
    for r, di in enumerate(cache.doc_of):
        rows_of.setdefault(int(di), []).append(r)
    out = []
    for i, path in enumerate(files()):
        raw = json.loads(path.read_text(encoding="utf-8"))
        text, sentences, spans = rebuild(raw)
        rules = find_quotes(text, sentences, [], "de", tagger="rules")
        out.append(Doc(i, text, sentences, gold_of(raw), spans, rows_of[i], raw, rules))
    return out


def inputs(d: Doc, cache: Cache, layers: tuple[int, ...], extra: list[F32]) -> list[F32]:
    """The head's input rows per sentence of a document, as the tagger builds them."""
    rows = [np.arange(cache.bounds[r], cache.bounds[r + 1]) for r in d.sentence_rows]
    return [
        np.concatenate([cache.layers(layers, r), e], axis=1).astype(np.float32)
        for r, e in zip(rows, extra, strict=True)
    ]


def matrix(docs: list[Doc], cache: Cache, s: Settings) -> tuple[F32, npt.NDArray[np.int64]]:
    xs, ys = [], []
    for d in docs:
        y, extra = labels(d, cache)
        for x, yy in zip(inputs(d, cache, s.layers, extra), y, strict=True):
            xs.append(x)
            ys.append(yy)
    return np.concatenate(xs).astype(np.float32), np.concatenate(ys)


def fit(x: F32, y: npt.NDArray[np.int64], s: Settings, log: bool = True) -> Head:
    """The shared trainer, one softmax of O/B/I per group."""
    settings = heads.FitSettings(s.hidden, s.epochs, s.lr, s.batch, s.l2, s.dropout, SEED)
    return heads.fit(Head, s.layers, x, y, 3, settings, log=log)


def evaluate(model: Head, docs: list[Doc], cache: Cache) -> dict[str, Any]:
    """bench/quotes.py's scores on documents, from cached states (no encoder pass)."""
    pairs = []
    for d in docs:
        _, extra = labels(d, cache)
        per_sentence: list[list[Span]] = []
        xs = inputs(d, cache, model.layers, extra)
        for sent, r, x in zip(d.sentences, d.sentence_rows, xs, strict=True):
            rows = np.arange(cache.bounds[r], cache.bounds[r + 1])
            if not len(rows):
                per_sentence.append([])
                continue
            per_sentence.append(decode(model.log_probs(x), cache.offsets[rows], sent.start))
        quotes = assemble(d.text, d.sentences, per_sentence, [], "de")
        pairs.append((token_sets(quotes, d.text, d.spans), d.gold))
    return score(pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tune", action="store_true", help="score a settings grid on the dev slice")
    ap.add_argument("--grid", default="", help="JSON list of Settings overrides for --tune")
    args = ap.parse_args()
    cache = load()
    docs = documents(cache)
    tune = [d for d in docs if d.index % 5 != 0]  # the held-out fifth is never read
    if args.tune:
        dev = [d for d in tune if d.index % 5 == 1]
        train = [d for d in tune if d.index % 5 != 1]
        for g in json.loads(args.grid or "[{}]"):
            fixed: dict[str, Any] = {
                k: tuple(v) if isinstance(v, list) else v for k, v in g.items()
            }
            s = Settings(**fixed)
            started = time.perf_counter()
            x, y = matrix(train, cache, s)
            model = fit(x, y, s)
            del x, y
            model.save(TUNED)  # for looking at the dev errors
            result = evaluate(model, dev, cache)
            print(
                json.dumps(
                    {
                        "settings": s.__dict__,
                        "dev": result,
                        "seconds": round(time.perf_counter() - started),
                    }
                ),
                flush=True,
            )
        return
    s = Settings()
    x, y = matrix(tune, cache, s)
    model = fit(x, y, s)
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    model.save(MODEL, settings=json.dumps({**s.__dict__, "extra_features": N_EXTRA}))
    print(f"wrote {MODEL} ({MODEL.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
