"""One trainer for the encoder heads (entity tagger, quote tagger).

Both heads are `storyline.analyse.heads.MlpHead`: standardised features, one ReLU layer,
a linear output split into `groups` softmaxes of `classes` labels each (the entity head
is one softmax over its BIO labels, the quote head three of O/B/I). The training loop
was written twice; it lives here once.

Adam with a flat-then-linear learning-rate decay, input dropout, L2 on the weights, and
the summed cross-entropy of the groups. Numpy, not torch: the net is small, and the
shipped head must run in numpy anyway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from storyline.analyse.heads import MlpHead

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]
H = TypeVar("H", bound=MlpHead)
ADAM_BETA1 = 0.9
ADAM_BETA2 = 0.999
ADAM_EPS = 1e-8
SCALE_FLOOR = 1e-4  # a feature that never varies is divided by this, not by zero
WARM_SHARE = 0.5  # the learning rate stays flat for this share of the steps, then decays
LR_FLOOR = 0.05  # ... to this share of the base rate at the end


@dataclass(frozen=True)
class FitSettings:
    hidden: int
    epochs: int
    lr: float
    batch: int
    l2: float
    dropout: float
    seed: int


Params = dict[str, npt.NDArray[np.float32]]


def init_mlp(rng: np.random.Generator, d: int, h: int, k: int) -> tuple[Params, Params, Params]:
    """The weights of a d -> h (ReLU) -> k network (He-scaled) and Adam's two zeroed
    moment estimates for them."""
    params = {
        "w1": (rng.standard_normal((d, h)) * np.sqrt(2.0 / d)).astype(np.float32),
        "b1": np.zeros(h, np.float32),
        "w2": (rng.standard_normal((h, k)) * np.sqrt(1.0 / h)).astype(np.float32),
        "b2": np.zeros(k, np.float32),
    }
    m = {n: np.zeros_like(p) for n, p in params.items()}
    v = {n: np.zeros_like(p) for n, p in params.items()}
    return params, m, v


def adam_step(
    params: dict[str, npt.NDArray[np.float32]],
    m: dict[str, npt.NDArray[np.float32]],
    v: dict[str, npt.NDArray[np.float32]],
    batch: tuple[npt.NDArray[np.float32], ...],
    *,
    l2: float,
    lr: float,
    step: int,
) -> None:
    """One Adam step of the one-hidden-layer MLP (w1, b1, w2, b2), in place: `batch` is
    (inputs, hidden pre-activation, hidden activation, gradient at the output logits)."""
    xb, pre, hid, gz = batch
    grads = {"w2": hid.T @ gz, "b2": gz.sum(0)}
    gh = (gz @ params["w2"].T) * (pre > 0)
    grads["w1"] = xb.T @ gh
    grads["b1"] = gh.sum(0)
    for n in params:
        gr = grads[n] + (l2 * params[n] if n.startswith("w") else 0)
        m[n] = ADAM_BETA1 * m[n] + (1 - ADAM_BETA1) * gr
        v[n] = ADAM_BETA2 * v[n] + (1 - ADAM_BETA2) * gr * gr
        mh = m[n] / (1 - ADAM_BETA1**step)
        vh = v[n] / (1 - ADAM_BETA2**step)
        params[n] -= (lr * mh / (np.sqrt(vh) + ADAM_EPS)).astype(np.float32)


def fit(
    head: type[H],
    layers: tuple[int, ...],
    x: F32,
    y: I64,
    classes: int,
    s: FitSettings,
    rows: I64 | None = None,
    log: bool = True,
) -> H:
    """A `head` reading encoder `layers`, trained on features `x` [n, d] and labels `y`
    [n, groups] (or [n] for one group).

    `rows` lists the rows one epoch visits (a row may repeat, to weight a corpus up);
    by default every row once. The features are standardised over all rows of `x`.
    """
    rng = np.random.default_rng(s.seed)
    labels = y.reshape(len(y), -1)
    groups = labels.shape[1]
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + SCALE_FLOOR
    x = (x - mean) / scale
    d, h, k = x.shape[1], s.hidden, groups * classes
    params, m, v = init_mlp(rng, d, h, k)
    visit = np.arange(len(x)) if rows is None else rows
    steps = len(visit) // s.batch
    total = s.epochs * steps
    step = 0
    for epoch in range(s.epochs):
        started = time.perf_counter()
        order = rng.permutation(visit)
        loss_sum = 0.0
        for b in range(steps):
            step += 1
            lr = s.lr * min(1.0, (1 - step / total) / WARM_SHARE + LR_FLOOR)
            sel = order[b * s.batch : (b + 1) * s.batch]
            xb, yb = x[sel], labels[sel]
            if s.dropout:
                xb = xb * (rng.random(xb.shape, dtype=np.float32) >= s.dropout) / (1 - s.dropout)
            pre = xb @ params["w1"] + params["b1"]
            hid = np.maximum(pre, 0)
            z = (hid @ params["w2"] + params["b2"]).reshape(len(xb), groups, classes)
            z -= z.max(axis=2, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=2, keepdims=True)
            at = np.arange(len(yb))
            for g in range(groups):
                loss_sum += float(-np.log(p[at, g, yb[:, g]] + 1e-9).mean())
                p[at, g, yb[:, g]] -= 1
            gz = (p / len(yb)).reshape(len(xb), k).astype(np.float32)
            adam_step(params, m, v, (xb, pre, hid, gz), l2=s.l2, lr=lr, step=step)
        if log:
            print(
                f"  epoch {epoch + 1}: loss {loss_sum / max(1, steps):.4f} "
                f"({time.perf_counter() - started:.0f}s)",
                flush=True,
            )
    return head(layers, mean.astype(np.float32), scale.astype(np.float32), **params)
