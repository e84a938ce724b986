"""Gold sentences from ../shared/bench, encoded once and cached as token features.

Each gold sentence is rebuilt as text (tokens joined by spaces, spans as
character offsets, via train/ner/corpora.py) and run through the shipped
encoder in one batched call per corpus. Every encoder token with a non-empty
character span gets a BIO label from the gold spans: B- on the token where an
entity starts, I- on every later token inside it (every subword is labelled,
so the tagger never has to guess which subword speaks for a word). Zero-width
tokens (SentencePiece's lone word-start piece) are dropped: they have no
characters to label and the tagger skips them at run time too.

The cache (build/ner_encoder/, git-ignored) holds float16 states of a few
layers so that the layer choice can be tuned without encoding again; it is
training material and is never shipped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.analyse.ner.encoder_tagger import LABELS, token_labels
from storyline.encoder import get_encoder
from train.ner import corpora
from train.ner.corpora import BENCH, Doc

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "build" / "ner_encoder"
#: intermediate layers cached for tuning (the last layer, 12, is always kept)
CACHED_LAYERS = (4, 6, 8, 10)
ALL_LAYERS = (*CACHED_LAYERS, 12)


def conll(split: str) -> list[Doc]:
    """CoNLL-2003 English (IOB2, 'token tag' per line, -DOCSTART- between documents)."""
    docs: list[Doc] = []
    cur: list[tuple[str, str]] = []
    path = BENCH / "conll2003-en" / f"{split}.txt"
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        cols = line.split()
        if len(cols) < 2 or cols[0] == "-DOCSTART-":
            if cur:
                docs.append(corpora._join(cur, f"conll-{split}"))
            cur = []
            continue
        cur.append((cols[0], cols[-1]))
    return docs


def sentences(docs: list[Doc]) -> list[Doc]:
    """Multi-sentence documents cut into sentences as storyline splits them (spans that
    cross a sentence boundary are dropped), so training sees what the tagger sees."""
    from storyline.analyse.sentences import split_sentences

    out: list[Doc] = []
    for doc in docs:
        for sent in split_sentences(doc.text):
            spans = [
                (s - sent.start, e - sent.start, lab)
                for s, e, lab in doc.spans
                if s >= sent.start and e <= sent.end
            ]
            out.append(Doc(sent.text, spans, doc.source))
    return out


SOURCES: dict[str, Callable[[], list[Doc]]] = {
    "conll-train": lambda: conll("train"),
    "conll-valid": lambda: conll("valid"),
    "germeval-train": lambda: corpora.germeval("train"),  # sentences 1..1760 only
    "europarl-train": lambda: corpora.europarl("train"),
    "europarl-dev": lambda: corpora.europarl("dev"),
    "smartdata-news": lambda: sentences(
        [d for d in corpora.smartdata() if d.source != "smartdata-tweet"]
    ),
    "hipe": lambda: sentences(corpora.hipe()),
    "europeana": lambda: sentences(corpora.europeana()),
}


@dataclass
class Encoded:
    """One corpus as token features: rows of all sentences, cut by `bounds`."""

    x: npt.NDArray[np.float16]  # [tokens, len(ALL_LAYERS) * 384]
    y: npt.NDArray[np.int8]  # label index per token
    bounds: npt.NDArray[np.int64]  # sentence i has rows bounds[i]:bounds[i+1]
    offsets: npt.NDArray[np.int32]  # [tokens, 2] char spans in the sentence text
    docs: list[Doc]

    def layers(self, chosen: tuple[int, ...]) -> npt.NDArray[np.float32]:
        """The columns of the chosen layers, as float32."""
        width = self.x.shape[1] // len(ALL_LAYERS)
        cols = [
            self.x[:, ALL_LAYERS.index(n) * width : (ALL_LAYERS.index(n) + 1) * width]
            for n in chosen
        ]
        return np.concatenate(cols, axis=1).astype(np.float32)


def encode_docs(docs: list[Doc]) -> Encoded:
    """Encode the docs' texts in one call and label their tokens."""
    enc = get_encoder()
    outs = enc.encode([d.text for d in docs], layers=CACHED_LAYERS)
    xs, ys, offs, bounds = [], [], [], [0]
    for doc, out in zip(docs, outs, strict=True):
        keep = out.offsets[:, 1] > out.offsets[:, 0]
        feats = [out.layers[n] for n in CACHED_LAYERS] + [
            out.states if out.states is not None else out.layers[12]
        ]
        xs.append(np.concatenate(feats, axis=1)[keep].astype(np.float16))
        o = out.offsets[keep]
        ys.append(np.array([LABELS.index(t) for t in token_labels(o, doc.spans)], dtype=np.int8))
        offs.append(o.astype(np.int32))
        bounds.append(bounds[-1] + int(keep.sum()))
    return Encoded(
        np.concatenate(xs), np.concatenate(ys), np.array(bounds), np.concatenate(offs), docs
    )


def load(name: str) -> Encoded:
    """A corpus from the cache, encoding it first if it is not there."""
    docs = SOURCES[name]()
    path = CACHE / f"{name}.npz"
    if path.exists():
        z = np.load(path)
        return Encoded(z["x"], z["y"], z["bounds"], z["offsets"], docs)
    started = time.perf_counter()
    data = encode_docs(docs)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=data.x, y=data.y, bounds=data.bounds, offsets=data.offsets)
    print(
        f"{name}: {len(docs)} sentences, {len(data.y)} tokens encoded in "
        f"{time.perf_counter() - started:.0f}s",
        flush=True,
    )
    return data


if __name__ == "__main__":
    import sys

    for n in sys.argv[1:] or list(SOURCES):
        load(n)
