"""Search by meaning: the query's e5 vector against every stored e5 article vector.

Brute force below `vector_index_min` (50k) articles: one matrix product over all vectors
(384 floats each) takes a few milliseconds and is exact. Past that, loading the matrix
(~75 MB at 50k) into every process and scanning it per query start to dominate, and the
HNSW index of store/vector_index.py answers instead.

The matrix is cached per store file and rebuilt when `article_vectors` changes (its row
count or largest rowid; INSERT OR REPLACE gives a replaced vector a new rowid).

Queries are embedded with the same `encode` as articles (e5's "passage:" side), so the
thresholds below were read off that setting: on the example corpus a query about a
story scores 0.78-0.87 against its articles and <= 0.75 against the rest, and queries
about nothing in the store peak at ~0.75.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.config import Config
from storyline.store import Store, vector_index
from storyline.store import search as tables

Matrix = npt.NDArray[np.float32]

BACKEND = "e5"

#: Below this cosine an article does not count as matching by meaning at all.
MIN_SIMILARITY = 0.77

#: ...nor if it is this far below the best match: e5-small's cosines are compressed into
#: a narrow band, so a fixed cut alone lets through loosely related articles once the
#: query is well covered.
MAX_GAP = 0.08


@dataclass(frozen=True)
class _Vectors:
    stamp: tuple[int, int]
    ids: list[str]
    matrix: Matrix


_CACHED_STORES = 4
_cache: dict[str, _Vectors] = {}
_lock = threading.Lock()


def article_matrix(store: Store, dim: int) -> tuple[list[str], Matrix]:
    """Ids and stacked e5 vectors of every article that has one (rows of width `dim`)."""
    name = str(store.path)
    key = f"conn:{id(store.conn)}" if name in ("", ":memory:") else str(store.path.resolve())
    stamp = tables.vectors_stamp(store)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.stamp == stamp and cached.matrix.shape[1] == dim:
            return cached.ids, cached.matrix
    ids, blob = tables.all_vectors(store, BACKEND, dim)
    matrix: Matrix = (
        np.frombuffer(blob, dtype=np.float32).reshape(len(ids), dim)
        if ids
        else np.zeros((0, dim), dtype=np.float32)
    )
    with _lock:
        _cache[key] = _Vectors(stamp, ids, matrix)
        while len(_cache) > _CACHED_STORES:
            _cache.pop(next(iter(_cache)))
    return ids, matrix


def embed_query(text: str, config: Config | None = None) -> Matrix:
    """The query's unit vector, embedded like an article (loads e5 on first use), with
    `config`'s encoder settings (default: their defaults)."""
    from storyline.encoder.runtime import EncoderOptions, encoder_options
    from storyline.stories.embed import get_backend

    options = encoder_options(config) if config is not None else EncoderOptions()
    vector: Matrix = get_backend(BACKEND, options).encode([text])[0]
    return vector


def semantic_ranking(
    store: Store, text: str, *, allowed: set[str] | None, depth: int
) -> list[tuple[str, float]]:
    """Articles close in meaning to `text`, best first, as (id, cosine), at most `depth`.

    `allowed` restricts the candidates (the search filters); None means all.
    """
    query = embed_query(text, store.config)
    if vector_index.wanted(store):
        # large store: nearest neighbours from the index; filters are applied to a
        # deeper list so that a narrow filter still finds its matches
        found = vector_index.nearest(store, query, depth if allowed is None else depth * 20)
        found = [(a, s) for a, s in found if allowed is None or a in allowed][:depth]
        if not found:
            return []
        floor = max(MIN_SIMILARITY, found[0][1] - MAX_GAP)
        return [(a, s) for a, s in found if s >= floor]
    ids, matrix = article_matrix(store, int(query.shape[0]))
    if not ids:
        return []
    sims = matrix @ query
    if allowed is not None:
        mask = np.fromiter((i in allowed for i in ids), dtype=bool, count=len(ids))
        sims = np.where(mask, sims, -1.0)
    top = min(depth, len(ids))
    best = np.argpartition(-sims, top - 1)[:top]
    best = best[np.argsort(-sims[best], kind="stable")]
    if not len(best):
        return []
    floor = max(MIN_SIMILARITY, float(sims[best[0]]) - MAX_GAP)
    return [(ids[i], float(sims[i])) for i in best if sims[i] >= floor]
