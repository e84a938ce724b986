"""The encoder in plain numpy, float32: the oracle the runtime is tested against, and the
forward pass that calibration reads activation ranges from. Slow (one text at a time);
never used for real work."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from storyline.encoder.graph import SMOOTH_INPUTS
from storyline.encoder.weights import F32, Weights


def layer_norm(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: F32 = ((x - mean) / np.sqrt(var + eps) * gamma + beta).astype(np.float32)
    return out


def embed(weights: Weights, ids: npt.NDArray[np.int64]) -> F32:
    """Word + position + token-type embeddings, layer-normalised; ids [..., T]."""
    t = ids.shape[-1]
    x = weights.word.rows(ids) + weights.position[:t] + weights.token_type
    return layer_norm(x, *weights.embed_norm, weights.config.eps)


def _erf(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """erf to 1.5e-7 (Abramowitz and Stegun 7.1.26), below float32's resolution here."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    out: npt.NDArray[np.float64] = sign * (1.0 - poly * np.exp(-a * a))
    return out


def _gelu(x: F32) -> F32:
    out: F32 = (0.5 * x * (1.0 + _erf(x.astype(np.float64) / np.sqrt(2.0)))).astype(np.float32)
    return out


def forward(
    weights: Weights, ids: npt.NDArray[np.int64], ranges: list[dict[str, F32]] | None = None
) -> F32:
    """Hidden states [T, H] of the last layer for one window of ids (with <s>, </s>).

    With `ranges` (one dict per layer), the per-channel maximum |activation| at each
    matmul input (SMOOTH_INPUTS) is accumulated into it.
    """
    c = weights.config
    heads, hd, t = c.heads, c.hidden // c.heads, len(ids)
    x = embed(weights, ids)
    for n, layer in enumerate(weights.layer):
        m = {k: v.dense() for k, v in layer.matrices.items()}
        v_ = layer.vectors

        def seen(key: str, value: F32, n: int = n) -> None:
            if ranges is not None:
                prev = ranges[n].get(key)
                now = np.abs(value).max(axis=0)
                ranges[n][key] = now if prev is None else np.maximum(prev, now)

        seen(SMOOTH_INPUTS[0], x)
        q = (x @ m["q.w"].T + v_["q.b"]).reshape(t, heads, hd).transpose(1, 0, 2)
        k = (x @ m["k.w"].T + v_["k.b"]).reshape(t, heads, hd).transpose(1, 0, 2)
        v = (x @ m["v.w"].T + v_["v.b"]).reshape(t, heads, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(t, c.hidden)
        seen(SMOOTH_INPUTS[1], ctx)
        x = layer_norm(x + ctx @ m["ao.w"].T + v_["ao.b"], v_["aln.w"], v_["aln.b"], c.eps)
        seen(SMOOTH_INPUTS[2], x)
        h = _gelu(x @ m["fi.w"].T + v_["fi.b"])
        seen(SMOOTH_INPUTS[3], h)
        x = layer_norm(x + h @ m["fo.w"].T + v_["fo.b"], v_["oln.w"], v_["oln.b"], c.eps)
    return x
