"""Train the shipped CRF entity tagger from ../shared/bench (`make train-ner`).

Reads every training corpus through train/ner/corpora.py (same tokenizer as at
run time), builds features with storyline.analyse.ner.features and trains a
linear-chain CRF (CRFsuite, L-BFGS with L1+L2, single thread). The GermEval
held-out part (last 440 dev sentences) is never read here except for the
score printed at the end, which uses the raw CRF without the document pass.

    .venv/bin/python -m train.ner.train            # writes src/storyline/analyse/ner/model.crfsuite
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import pycrfsuite

from storyline.analyse.ner.features import HERE, sentence_features
from storyline.analyse.ner.tagger import bio_spans
from train.ner import corpora
from train.ner.corpora import Doc, Tagged

SOURCES: dict[str, Callable[[], list[Doc]]] = {
    "germeval": lambda: corpora.germeval("train"),
    "europarl": lambda: corpora.europarl("train") + corpora.europarl("dev"),
    "smartdata": corpora.smartdata,
    "smartdata-news": lambda: [d for d in corpora.smartdata() if d.source != "smartdata-tweet"],
    "hipe": corpora.hipe,
    "europeana": corpora.europeana,
    "conll": lambda: _conll("train"),  # CoNLL-2003 English (Reuters), issue 14
}
# Settings of the shipped model (see MODEL_CARD.md for the runs that chose them).
DEFAULTS = {"c1": 0.05, "c2": 0.01, "iters": 120, "minfreq": 1}


def _conll(split: str) -> list[corpora.Doc]:
    from train.ner_encoder.data import conll

    return conll(split)


def load(names: list[str], repeat_germeval: int = 1) -> list[Tagged]:
    """Tagged training sentences from the named sources (GermEval optionally repeated)."""
    out: list[Tagged] = []
    for name in names:
        started = time.perf_counter()
        sents: list[Tagged] = []
        dropped = 0
        for doc in SOURCES[name]():
            tagged, bad = corpora.to_sentences(doc)
            sents.extend(tagged)
            dropped += bad
        if name == "germeval":
            sents = sents * repeat_germeval
        toks = sum(len(s.words) for s in sents)
        print(
            f"{name}: {len(sents)} sentences, {toks} tokens, {dropped} spans off token "
            f"boundaries dropped ({time.perf_counter() - started:.1f}s)",
            flush=True,
        )
        out.extend(sents)
    return out


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Strict spans from BIO tags, read exactly as the shipped tagger reads them."""
    return set(bio_spans(tags))


def evaluate(model: Path, sents: list[Tagged]) -> dict[str, float]:
    """Strict span F1 of the raw CRF, for PER/ORG/LOC and with MISC."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    counts = {k: [0, 0, 0] for k in ("core", "all")}
    for s in sents:
        gold = spans(s.tags)
        pred = spans(tagger.tag(sentence_features(s.words)))
        for key, keep in (("core", {"PER", "ORG", "LOC"}), ("all", {"PER", "ORG", "LOC", "MISC"})):
            g = {x for x in gold if x[2] in keep}
            p = {x for x in pred if x[2] in keep}
            counts[key][0] += len(g & p)
            counts[key][1] += len(p - g)
            counts[key][2] += len(g - p)
    result = {}
    for key, (tp, fp, fn) in counts.items():
        result[f"f1_{key}"] = round(2 * tp / max(2 * tp + fp + fn, 1), 4)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sources", default="germeval,europarl,smartdata-news,hipe,conll")
    ap.add_argument("--repeat-germeval", type=int, default=2)
    ap.add_argument("--c1", type=float, default=DEFAULTS["c1"])
    ap.add_argument("--c2", type=float, default=DEFAULTS["c2"])
    ap.add_argument("--iters", type=int, default=DEFAULTS["iters"])
    ap.add_argument("--minfreq", type=float, default=DEFAULTS["minfreq"])
    ap.add_argument("--out", type=Path, default=HERE / "model.crfsuite")
    args = ap.parse_args()

    started = time.perf_counter()
    sents = load(args.sources.split(","), args.repeat_germeval)
    trainer = pycrfsuite.Trainer(verbose=False)
    for s in sents:
        trainer.append(sentence_features(s.words), s.tags)
    print(f"features built ({time.perf_counter() - started:.0f}s)", flush=True)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iters,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(args.out))
    seconds = time.perf_counter() - started
    held = [t for d in corpora.germeval("heldout") for t in corpora.to_sentences(d)[0]]
    parl = [t for d in corpora.europarl("test") for t in corpora.to_sentences(d)[0]]
    report = {
        "sources": args.sources,
        "repeat_germeval": args.repeat_germeval,
        "c1": args.c1,
        "c2": args.c2,
        "iters": args.iters,
        "minfreq": args.minfreq,
        "train_sentences": len(sents),
        "train_tokens": sum(len(s.words) for s in sents),
        "train_seconds": round(seconds),
        "model_bytes": args.out.stat().st_size,
        "germeval_heldout_raw_crf": evaluate(args.out, held),
        "europarl_test_raw_crf": evaluate(args.out, parl),
        "conll_valid_raw_crf": evaluate(
            args.out, [t for d in _conll("valid") for t in corpora.to_sentences(d)[0]]
        ),
    }
    print(json.dumps(report, indent=2), flush=True)


if __name__ == "__main__":
    main()
