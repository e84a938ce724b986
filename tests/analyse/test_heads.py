"""The shared head: a save and load keeps it (to float16 precision), labels are checked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyline.analyse.ner.encoder_tagger import LABELS
from storyline.analyse.ner.encoder_tagger import Head as EntityHead
from storyline.analyse.quotes_tagger import Head as QuoteHead


def _weights(rng: np.random.Generator, d: int, out: int) -> dict[str, np.ndarray]:
    f = lambda *shape: rng.standard_normal(shape).astype(np.float32)  # noqa: E731
    return {"mean": f(d), "scale": np.abs(f(d)) + 1, "w1": f(d, 8), "b1": f(8), "w2": f(8, out), "b2": f(out)}  # fmt: skip


@pytest.mark.parametrize(("cls", "out"), [(EntityHead, len(LABELS)), (QuoteHead, 9)])
def test_heads_round_trip(tmp_path: Path, cls: type, out: int) -> None:
    rng = np.random.default_rng(3)
    head = cls(layers=(4, 12), **_weights(rng, 6, out))
    head.save(tmp_path / "h.npz", settings="test")
    again = cls.load(tmp_path / "h.npz")
    assert again.layers == (4, 12)
    x = rng.standard_normal((5, 6)).astype(np.float32)
    assert np.allclose(np.exp(again.log_probs(x)).sum(axis=-1), 1.0, atol=1e-5)
    assert np.allclose(again.log_probs(x), head.log_probs(x), atol=0.05)


def test_entity_head_refuses_other_labels(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    QuoteHead(layers=(12,), **_weights(rng, 6, len(LABELS))).save(tmp_path / "q.npz")
    with pytest.raises(ValueError, match="labels"):
        EntityHead.load(tmp_path / "q.npz")
