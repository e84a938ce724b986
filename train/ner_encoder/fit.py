"""The entity tagger's trainer: `train.heads`' network and Adam loop, with what the tagger
adds on top: the neighbours' states beside each subword's (window 1), a loss weight per
label (ORG weighed up), and count-based transition scores for the Viterbi decoder.

Memory: the features are standardised once into a float16 matrix (about 1.2 GB for
600,000 subwords of four layers); each batch gathers its rows and, with a window, the
rows before and after them, so the three-times-wider input never exists in full.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.analyse.ner.encoder_tagger import LABELS, Head, transitions
from train.heads import LR_FLOOR, SCALE_FLOOR, WARM_SHARE, adam_step, init_mlp

F16 = npt.NDArray[np.float16]
F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
CHUNK = 65_536  # rows standardised at a time


@dataclass(frozen=True)
class FitSettings:
    hidden: int
    epochs: int
    lr: float
    batch: int
    l2: float
    dropout: float
    seed: int
    window: int = 0
    org_weight: float = 1.0  # loss weight of tokens whose gold label is B-ORG or I-ORG


@dataclass
class Table:
    """Standardised features of all training rows (a zero row at the end: the pad) with
    each row's neighbour index within its sentence (the pad row at a sentence edge)."""

    xs: F16  # [n + 1, d]
    mean: F32
    scale: F32
    prev: I64
    next: I64

    @classmethod
    def build(cls, x: F16, bounds: I64) -> Table:
        n = len(x)
        acc = np.zeros(x.shape[1], np.float64)
        acc2 = np.zeros(x.shape[1], np.float64)
        for a in range(0, n, CHUNK):
            c = x[a : a + CHUNK].astype(np.float64)
            acc += c.sum(0)
            acc2 += (c * c).sum(0)
        mean = acc / n
        scale = np.sqrt(np.maximum(acc2 / n - mean * mean, 0)) + SCALE_FLOOR
        xs = np.zeros((n + 1, x.shape[1]), np.float16)
        for a in range(0, n, CHUNK):
            xs[a : min(a + CHUNK, n)] = (x[a : a + CHUNK].astype(np.float32) - mean) / scale
        idx = np.arange(n)
        prev, nxt = idx - 1, idx + 1
        starts, ends = bounds[:-1], bounds[1:]
        full = starts < ends
        prev[starts[full]] = n
        nxt[ends[full] - 1] = n
        return cls(xs, mean.astype(np.float32), scale.astype(np.float32), prev, nxt)

    def rows(self, sel: I64, window: int) -> F32:
        parts = [self.xs[sel]]
        if window:
            parts += [self.xs[self.prev[sel]], self.xs[self.next[sel]]]
        return np.concatenate(parts, axis=1).astype(np.float32)


def fit(
    table: Table,
    y: I64,
    rows: I64,
    layers: tuple[int, ...],
    s: FitSettings,
    log: bool = True,
) -> Head:
    """One head trained on the table's rows listed in `rows` (repeats weigh a corpus up)."""
    rng = np.random.default_rng(s.seed)
    k = len(LABELS)
    d = table.xs.shape[1] * (3 if s.window else 1)
    h = s.hidden
    weight = np.ones(k, np.float32)
    weight[[LABELS.index("B-ORG"), LABELS.index("I-ORG")]] = s.org_weight
    params, m, v = init_mlp(rng, d, h, k)
    steps = len(rows) // s.batch
    total = s.epochs * steps
    step = 0
    for epoch in range(s.epochs):
        started = time.perf_counter()
        order = rng.permutation(rows)
        loss_sum = 0.0
        for b in range(steps):
            step += 1
            lr = s.lr * min(1.0, (1 - step / total) / WARM_SHARE + LR_FLOOR)
            sel = order[b * s.batch : (b + 1) * s.batch]
            xb, yb = table.rows(sel, s.window), y[sel]
            if s.dropout:
                xb *= (rng.random(xb.shape, dtype=np.float32) >= s.dropout) / (1 - s.dropout)
            pre = xb @ params["w1"] + params["b1"]
            hid = np.maximum(pre, 0)
            z = hid @ params["w2"] + params["b2"]
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            at = np.arange(len(yb))
            wb = weight[yb]
            loss_sum += float((-np.log(p[at, yb] + 1e-9) * wb).mean())
            p[at, yb] -= 1
            gz = (p * (wb / len(yb))[:, None]).astype(np.float32)
            adam_step(params, m, v, (xb, pre, hid, gz), l2=s.l2, lr=lr, step=step)
        if log:
            print(
                f"  epoch {epoch + 1}: loss {loss_sum / max(1, steps):.4f} "
                f"({time.perf_counter() - started:.0f}s)",
                flush=True,
            )
    reps = 3 if s.window else 1
    return Head(layers, np.tile(table.mean, reps), np.tile(table.scale, reps), **params)


def count_transitions(y: I64, bounds: I64, weight: float) -> tuple[F32, F32]:
    """Viterbi scores: the BIO constraints plus `weight` x the log of how often each
    label follows each other label (and starts a sentence) in the gold data, add-one
    smoothed and centred per row (0: the plain BIO decoder)."""
    k = len(LABELS)
    pair = np.ones((k, k))
    first = np.ones(k)
    for a, b in itertools.pairwise(bounds):
        if b > a:
            seq = y[a:b]
            first[seq[0]] += 1
            np.add.at(pair, (seq[:-1], seq[1:]), 1)
    logp = np.log(pair / pair.sum(axis=1, keepdims=True))
    logp -= logp.mean(axis=1, keepdims=True)
    start = np.log(first / first.sum())
    start -= start.mean()
    base = transitions()
    trans = np.where(base < 0, base, weight * logp).astype(np.float32)
    start_scores = np.array(
        [-1e4 if t.startswith("I-") else weight * start[i] for i, t in enumerate(LABELS)],
        dtype=np.float32,
    )
    return trans, start_scores
