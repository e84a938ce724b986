"""The shared head trainer (train/heads.py) learns what it is shown."""

from __future__ import annotations

import numpy as np
from train.heads import FitSettings, fit

from storyline.analyse.heads import MlpHead

SETTINGS = FitSettings(hidden=16, epochs=8, lr=1e-2, batch=32, l2=1e-5, dropout=0.0, seed=1)


def predict(head: MlpHead, x: np.ndarray, groups: int, classes: int) -> np.ndarray:
    return head.logits(x).reshape(len(x), groups, classes).argmax(axis=2)


def test_one_softmax_learns_a_separable_rule() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2000, 6)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64) + 2 * (x[:, 1] > 1).astype(np.int64)
    f = fit(MlpHead, (12,), x, y, 4, SETTINGS, log=False)
    assert (predict(f, x, 1, 4)[:, 0] == y).mean() > 0.95


def test_groups_are_learned_apart_and_repeated_rows_weigh_more() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2000, 6)).astype(np.float32)
    y = np.stack([(x[:, 0] > 0), (x[:, 2] > 0)], axis=1).astype(np.int64)
    f = fit(MlpHead, (12,), x, y, 2, SETTINGS, log=False)
    assert (predict(f, x, 2, 2) == y).mean(axis=0).min() > 0.95
    rows = np.arange(len(x))
    heavy = fit(
        MlpHead, (12,), x, y, 2, SETTINGS, rows=np.concatenate([rows, rows[:500]]), log=False
    )
    assert not np.allclose(heavy.w1, f.w1)
