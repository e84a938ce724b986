"""The small numpy heads that read encoder token states (entity tagger, quote tagger).

Both are the same network: standardise the features, one ReLU layer, a linear output;
they differ only in how the output is split into softmaxes. One place for the arithmetic,
the float16 file format and the once-per-process loading.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import ClassVar, TypeVar

import numpy as np
import numpy.typing as npt

from storyline.encoder.linear import Int8Linear

F32 = npt.NDArray[np.float32]
#: the arrays of a head, in file order
WEIGHTS = ("mean", "scale", "w1", "b1", "w2", "b2")
H = TypeVar("H", bound="MlpHead")


@dataclass(frozen=True)
class MlpHead:
    """Standardise, one ReLU layer, a linear output (`logits`); subclasses turn the output
    into log-probabilities. `LABELS`, where a subclass sets it, is written with the weights
    and checked on loading, so a head never meets a decoder with other labels."""

    LABELS: ClassVar[tuple[str, ...] | None] = None

    layers: tuple[int, ...]  # encoder layers whose states are concatenated (12 = last)
    mean: F32
    scale: F32
    w1: F32
    b1: F32
    w2: F32
    b2: F32

    @cached_property
    def folded(self) -> tuple[F32, F32]:
        """The first layer with the standardisation folded in: (x - mean) / scale @ w1 + b1
        is x @ w1' + b1', which spares a standardised copy of every input (measured: 40 %
        of the head's time on 4,608 columns)."""
        w = (self.w1 / self.scale[:, None]).astype(np.float32)
        b = (self.b1 - (self.mean / self.scale) @ self.w1).astype(np.float32)
        return w, b

    @cached_property
    def quantised(self) -> Int8Linear:
        """The first layer on int8 kernels (encoder/linear.py), standardised as trained."""
        w, b = self.folded
        return Int8Linear(w, b, self.mean, self.scale)

    def logits(self, x: F32, int8_threads: int | None = None) -> F32:
        """Output scores for features x [n, d]; the first layer in float32, or on int8
        kernels with `int8_threads` (what the encoder's `int8_threads()` says)."""
        if int8_threads is None:
            w, b = self.folded
            h: F32 = x @ w
            h += b
        else:
            h = self.quantised(x, int8_threads)
        np.maximum(h, 0.0, out=h)
        out: F32 = h @ self.w2 + self.b2
        return out

    def save(self, path: Path, settings: str = "") -> None:
        """Write the head as float16 arrays (half the size; no measurable loss)."""
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "layers": np.array(self.layers, dtype=np.int32),
            **{k: getattr(self, k).astype(np.float16) for k in WEIGHTS},
            "settings": np.array(settings),
        }
        if self.LABELS is not None:
            arrays["labels"] = np.array(self.LABELS)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls: type[H], path: Path) -> H:
        with np.load(path) as z:
            found = tuple(str(x) for x in z["labels"]) if "labels" in z.files else None
            if cls.LABELS is not None and found != cls.LABELS:
                raise ValueError(f"{path}: labels differ from {cls.LABELS}")
            arr = {k: z[k].astype(np.float32) for k in WEIGHTS}
            return cls(layers=tuple(int(n) for n in z["layers"]), **arr)


def log_softmax(z: F32) -> F32:
    """Log-softmax over the last axis (a head's labels, or each group's tags)."""
    z = z - z.max(axis=-1, keepdims=True)
    out: F32 = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return out


_lock = threading.Lock()
_loaded: dict[tuple[type[MlpHead], Path], MlpHead] = {}


def shipped(cls: type[H], path: Path) -> H:
    """The head at `path`, loaded once per process."""
    with _lock:
        if (cls, path) not in _loaded:
            _loaded[(cls, path)] = cls.load(path)
        found = _loaded[(cls, path)]
    assert isinstance(found, cls)
    return found
