"""An approximate nearest-neighbour index of the article vectors, for large stores.

Below `vector_index_min` articles, meaning search multiplies the query with every stored
vector (search/semantic.py): exact, and a few milliseconds. Past it, holding and scanning
the whole matrix in every server process costs memory and start-up time, so the vectors
also go into a usearch HNSW index kept in a file beside the store (``STORE.usearch``).
Why usearch: Python's sqlite3 is often built without extension loading (so sqlite-vec
cannot be loaded into the store's connection), and usearch ships wheels with no other
system dependency.

The index is derived data: its keys are ``article_vectors`` rowids, a small JSON file
beside it records what it holds, and it is brought up to date (new rows added; rebuilt
when rows were replaced or deleted) after grouping and before a search; the file itself
is rewritten only every `SAVE_AFTER` added rows. Deleting the
files only costs a rebuild.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.settings import VECTOR_INDEX_MIN
from storyline.store import search as tables
from storyline.store.db import Store

Matrix = npt.NDArray[np.float32]

BACKEND = "e5"
ADD_CHUNK = 5000  # vectors read and added to the index at a time
_lock = threading.Lock()
_open: dict[str, tuple[Any, dict[str, int]]] = {}
#: rows each index file holds, by file: the file is rewritten only when this many rows
#: were added since (a million-row file is a gigabyte; rewriting it for every added article
#: would make adding one article cost as much as the store). A process that opens the file
#: adds the rows it lacks from the store, at most `SAVE_AFTER`.
_saved: dict[str, int] = {}
SAVE_AFTER = 10_000


def paths(store: Store, backend: str = BACKEND) -> tuple[Path, Path]:
    """The index file and its state file; e5's (meaning search) keep their first names."""
    stem = store.path.name + ("" if backend == BACKEND else f".{backend}")
    return (
        store.path.with_name(stem + ".usearch"),
        store.path.with_name(stem + ".usearch.json"),
    )


def wanted(store: Store, backend: str = BACKEND) -> bool:
    """True when the store is big enough for the index (and has a file to keep it by)."""
    if str(store.path) in ("", ":memory:"):
        return False
    return tables.has_vectors(store, backend, store.config[VECTOR_INDEX_MIN])


def _state(store: Store, backend: str) -> dict[str, int]:
    """The stored vectors' state as the index's JSON file records it."""
    state = tables.vector_state(store, backend)
    return {"count": state.count, "max_rowid": state.max_rowid, "dim": state.dim}


def _new(dim: int) -> Any:
    from usearch.index import Index  # lazy: only large stores need it

    return Index(ndim=dim, metric="cos", dtype="f32")


def _add(index: Any, store: Store, backend: str, after: int) -> None:
    for batch in tables.vectors_after(store, backend, after, ADD_CHUNK):
        keys = np.fromiter((r[0] for r in batch), dtype=np.uint64, count=len(batch))
        vectors = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in batch])
        index.add(keys, vectors)


def sync(store: Store, backend: str = BACKEND) -> Any:
    """The store's index of `backend` vectors, up to date with ``article_vectors`` (built
    or extended as needed)."""
    index_file, meta_file = paths(store, backend)
    key = str(index_file.resolve())
    state = _state(store, backend)
    with _lock:
        cached = _open.get(key)
        if cached is None and index_file.exists() and meta_file.exists():
            from usearch.index import Index

            meta = json.loads(meta_file.read_text())
            cached = (Index.restore(str(index_file)), meta)
            _saved[key] = meta["count"]
        if cached is not None:
            index, meta = cached
            if meta == state:
                _open[key] = cached
                return index
            # rows only added since: extend; anything else (replaced, deleted): rebuild
            grown = meta["dim"] == state["dim"] and state["count"] - meta[
                "count"
            ] == tables.count_vectors_after(store, backend, meta["max_rowid"])
            if not grown:
                index = _new(state["dim"])
                meta = {"count": 0, "max_rowid": 0, "dim": state["dim"]}
                _saved.pop(key, None)
        else:
            index, meta = _new(state["dim"]), {"count": 0, "max_rowid": 0, "dim": state["dim"]}
        _add(index, store, backend, meta["max_rowid"])
        _open[key] = (index, state)
        if key not in _saved or state["count"] - _saved[key] >= SAVE_AFTER:
            _save(index, state, index_file, meta_file)
            _saved[key] = state["count"]
        return index


def _save(index: Any, state: dict[str, int], index_file: Path, meta_file: Path) -> None:
    # written aside and renamed: a reader in another process never sees half a file
    tmp = index_file.with_name(f"{index_file.name}.{os.getpid()}.tmp")
    index.save(str(tmp))
    tmp.replace(index_file)
    tmp_meta = meta_file.with_name(f"{meta_file.name}.{os.getpid()}.tmp")
    tmp_meta.write_text(json.dumps(state))
    tmp_meta.replace(meta_file)


def nearest(store: Store, query: Matrix, k: int, backend: str = BACKEND) -> list[tuple[str, float]]:
    """Up to `k` (article id, cosine) nearest to `query`, best first, from the index."""
    index = sync(store, backend)
    if len(index) == 0:
        return []
    found = index.search(query.astype(np.float32), min(k, len(index)))
    keys = [int(x) for x in found.keys]
    sims = {int(x): 1.0 - float(d) for x, d in zip(found.keys, found.distances, strict=True)}
    ids = tables.vector_articles(store, keys)
    return [(ids[x], sims[x]) for x in keys if x in ids]


def nearest_scored(
    store: Store, queries: Matrix, k: int, backend: str = BACKEND, index: Any = None
) -> list[list[tuple[str, float]]]:
    """For each row of `queries`, up to `k` (article id, cosine) nearest, best first (one
    batched search of `index`, by default the store's, synced)."""
    if index is None:
        index = sync(store, backend)
    if len(index) == 0 or not len(queries):
        return [[] for _ in range(len(queries))]
    found = index.search(np.atleast_2d(queries).astype(np.float32), min(k, len(index)))
    keys = np.atleast_2d(found.keys)
    distances = np.atleast_2d(found.distances)
    wanted_keys = sorted({int(x) for x in keys.ravel()})
    ids: dict[int, str] = {}
    for i in range(0, len(wanted_keys), ADD_CHUNK // 10):
        ids.update(tables.vector_articles(store, wanted_keys[i : i + ADD_CHUNK // 10]))
    return [
        [(ids[int(x)], 1.0 - float(d)) for x, d in zip(row, dist, strict=True) if int(x) in ids]
        for row, dist in zip(keys, distances, strict=True)
    ]
