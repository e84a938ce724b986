"""The int8 dense layer the heads use: the float product to int8 precision, on any input
scale, and usable again after a fork."""

from __future__ import annotations

import os

import numpy as np
import pytest

from storyline.encoder import linear
from storyline.encoder.linear import Int8Linear


def _layer(rng: np.random.Generator, d: int = 64, k: int = 24) -> Int8Linear:
    w = (rng.standard_normal((d, k)) * 0.1).astype(np.float32)
    b = rng.standard_normal(k).astype(np.float32)
    center = (rng.standard_normal(d) * 5).astype(np.float32)
    spread = (np.abs(rng.standard_normal(d)) * 3 + 0.1).astype(np.float32)
    return Int8Linear(w, b, center, spread)


@pytest.mark.parametrize("threads", [1, 2])
def test_int8_product_matches_float_on_inputs_with_outlier_channels(threads: int) -> None:
    rng = np.random.default_rng(1)
    layer = _layer(rng)
    # each channel around its own center and spread: one channel 100x another's size, as
    # encoder states have; a single scale for the raw input would flatten the small ones
    x = (layer.center + layer.spread * rng.standard_normal((300, 64))).astype(np.float32)
    exact = x @ layer.w + layer.b
    got = layer(x, threads)
    assert got.shape == exact.shape and got.dtype == np.float32
    assert np.abs(got - exact).std() < 0.02 * exact.std()
    assert layer(x[:0], threads).shape == (0, 24)


def test_int8_layer_builds_new_sessions_after_a_fork() -> None:
    rng = np.random.default_rng(2)
    layer = _layer(rng, 16, 4)
    x = rng.standard_normal((8, 16)).astype(np.float32)
    before = layer(x, 2)
    linear.forget_after_fork()  # what a forked worker does first
    assert layer._sessions == {}
    assert np.allclose(layer(x, 2), before)
    if hasattr(os, "fork"):
        pid = os.fork()
        if pid == 0:  # the child: the parent's pool threads are gone
            code = 1
            try:
                linear.forget_after_fork()
                code = 0 if np.allclose(layer(x, 2), before) else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
