"""A dense layer ``x @ w + b`` on onnxruntime's int8 kernels, for the heads that read the
encoder's token states.

Why: the entity tagger's first layer multiplies every token's states (four layers, with
its neighbours': 4,608 columns) by a 4,608 x 512 matrix. In numpy float32 that was about
40 ms per seed-length article on two cores, more than a tenth of the accurate profile's
time; the same product with int8 weights (per output column) and int8 activations (per
call, as the encoder's own matmuls) takes about a third of it.

Why the inputs are standardised first: encoder states have a few channels far larger than
the rest, and one scale per call for all channels would leave the others a handful of
levels. The heads already know each column's mean and spread (their standardisation), so
the graph quantises ``(x - center) / spread`` and the weights absorb ``spread`` (the
product is the same in exact arithmetic).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
_MS_DOMAIN = "com.microsoft"
_OPSET = 17
#: int8 weights: symmetric, per output column
_INT8_MAX = 127.0


@dataclass(eq=False)
class Int8Linear:
    """``x @ w + b`` for rows x [n, d], computed as ``((x - center) / spread) @ (spread * w)
    + (b + center @ w)`` with int8 weights and activations (onnxruntime's
    ``DynamicQuantizeMatMul``). One session per thread count, built on first use."""

    w: F32  #: [d, k], acting on raw x
    b: F32  #: [k]
    center: F32  #: [d]
    spread: F32  #: [d], all > 0
    _sessions: dict[int, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        _made.add(self)

    def __call__(self, x: F32, threads: int) -> F32:
        """The product for x [n, d] on `threads` CPU threads (float32 [n, k])."""
        if len(x) == 0:
            return np.zeros((0, self.w.shape[1]), dtype=np.float32)
        session = self._session(max(threads, 1))
        out: F32 = session.run(["y"], {"x": np.ascontiguousarray(x, dtype=np.float32)})[0]
        return out

    def _session(self, threads: int) -> Any:
        with self._lock:
            found = self._sessions.get(threads)
            if found is None:
                import onnxruntime as ort

                so = ort.SessionOptions()
                so.intra_op_num_threads = threads
                # idle pool threads would spin after each call, taking the cores from the
                # encoder's passes and the analysis that run between the heads' calls
                so.add_session_config_entry("session.intra_op.allow_spinning", "0")
                so.log_severity_level = 3
                found = ort.InferenceSession(self._graph(), so, providers=["CPUExecutionProvider"])
                self._sessions[threads] = found
            return found

    def _graph(self) -> bytes:
        from onnx import TensorProto, helper, numpy_helper

        d, k = self.w.shape
        wt = self.w.astype(np.float64) * self.spread.astype(np.float64)[:, None]
        bias = self.b.astype(np.float64) + self.center.astype(np.float64) @ self.w
        scale = np.abs(wt).max(axis=0) / _INT8_MAX
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(wt / scale), -_INT8_MAX, _INT8_MAX).astype(np.int8)
        consts = {
            "center": self.center.astype(np.float32),
            "inv": (1.0 / self.spread).astype(np.float32),
            "wq": q,
            "ws": scale.astype(np.float32),
            "wz": np.zeros(k, dtype=np.int8),
            "bias": bias.astype(np.float32),
        }
        nodes = [
            helper.make_node("Sub", ["x", "center"], ["xc"]),
            helper.make_node("Mul", ["xc", "inv"], ["xs"]),
            helper.make_node(
                "DynamicQuantizeMatMul",
                ["xs", "wq", "ws", "wz", "bias"],
                ["y"],
                domain=_MS_DOMAIN,
            ),
        ]
        graph = helper.make_graph(
            nodes,
            "int8-linear",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", d])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", k])],
            [numpy_helper.from_array(v, name) for name, v in consts.items()],
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid(_MS_DOMAIN, 1)],
            producer_name="storyline",
        )
        model.ir_version = 8
        data: bytes = model.SerializeToString()
        return data

    def forget_sessions(self) -> None:
        """After a fork: the sessions' thread pools did not survive it; build new ones.
        The old ones are kept referenced so that their destructors never run here."""
        _orphaned.extend(self._sessions.values())
        self._sessions = {}
        self._lock = threading.Lock()


_orphaned: list[Any] = []
_made: weakref.WeakSet[Int8Linear] = weakref.WeakSet()


def forget_after_fork() -> None:
    """In a forked child process: every layer builds fresh sessions on its next call."""
    for layer in list(_made):
        layer.forget_sessions()
