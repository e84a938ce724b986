"""The similarity trainer's pieces (train/similarity/train.py) on synthetic data: ridge
recovers a linear signal, the chooser prefers the simpler set unless the larger one
clearly wins, and the bootstrap interval brackets the Pearson it resamples."""

from __future__ import annotations

import numpy as np
from train.similarity.train import (
    CANDIDATES,
    MIN_GAIN,
    bootstrap_ci,
    choose,
    cross_validate,
    fit_ridge,
    pearson,
)

from storyline.stories.pair_features import FEATURES


def _data(n: int = 90) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((n, len(FEATURES)))
    y = 0.5 + 0.2 * x[:, 0] + 0.02 * rng.standard_normal(n)
    groups = np.array(["de", "de-en"] * (n // 2))
    return x, y, groups


def test_ridge_recovers_the_signal_and_zeroes_masked_features() -> None:
    x, y, _ = _data()
    mask = np.array([f in CANDIDATES["lead"] for f in FEATURES])
    model = fit_ridge(x, y, 1.0, mask)
    assert pearson(model.raw(x), y) > 0.99
    assert np.all(model.coef[~mask] == 0.0)


def test_cross_validation_scores_both_language_pairs() -> None:
    x, y, groups = _data()
    cv = cross_validate(x, y, groups, 1.0, np.ones(len(FEATURES), dtype=bool))
    assert set(cv) == {"de", "de-en", "mean"}
    assert cv["de"] > 0.9 and cv["de-en"] > 0.9


def test_choose_prefers_the_simpler_set_within_min_gain() -> None:
    names = list(CANDIDATES)
    close = [(0.70, names[0], 1.0, {}), (0.70 + MIN_GAIN / 2, names[-1], 1.0, {})]
    assert choose(close)[1] == names[0]  # type: ignore[arg-type]
    clear = [(0.70, names[0], 1.0, {}), (0.70 + 2 * MIN_GAIN, names[-1], 3.0, {})]
    assert choose(clear)[1] == names[-1]  # type: ignore[arg-type]


def test_bootstrap_interval_brackets_the_pearson() -> None:
    rng = np.random.default_rng(5)
    gold = rng.standard_normal(40)
    pred = gold + 0.8 * rng.standard_normal(40)
    lo, hi = bootstrap_ci(pred, gold)
    assert lo < pearson(pred, gold) < hi
    assert 0.0 < hi - lo < 1.0
