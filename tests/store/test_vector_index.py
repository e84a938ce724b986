"""The HNSW index for large stores: same answers as the exact scan, kept up to date."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.conftest import copy_store

from storyline.config import defaults
from storyline.search import semantic
from storyline.store import Store, vector_index


@pytest.fixture
def big_enough(examples_db: Path, tmp_path: Path) -> Path:
    """A copy of the example store, with the index threshold lowered to its size."""
    db = tmp_path / "copy.db"
    copy_store(examples_db, db)
    return db


#: the index threshold lowered to the example store's size
SMALL_INDEX = defaults().replace(vector_index_min=2)


def test_vector_index_agrees_with_the_exact_scan(big_enough: Path) -> None:
    with Store(big_enough, config=SMALL_INDEX) as store:
        assert vector_index.wanted(store)
        query = semantic.embed_query("Streik im Hamburger Hafen, Containerterminals stehen still")
        ids, matrix = semantic.article_matrix(store, int(query.shape[0]))
        exact = [ids[i] for i in np.argsort(-(matrix @ query))[:3]]
        found = vector_index.nearest(store, query, 3)
    assert [a for a, _ in found] == exact
    assert all(-1.0 <= s <= 1.0 for _, s in found)
    index_file, meta_file = vector_index.paths(Store(big_enough, config=SMALL_INDEX))
    assert index_file.exists() and meta_file.exists()


def test_vector_index_semantic_ranking_uses_it_with_filters(big_enough: Path) -> None:
    with Store(big_enough, config=SMALL_INDEX) as store:
        outlet = store.conn.execute("SELECT outlet FROM articles LIMIT 1").fetchone()[0]
        allowed = {
            r[0] for r in store.conn.execute("SELECT id FROM articles WHERE outlet=?", (outlet,))
        }
        ranked = semantic.semantic_ranking(store, "Hafenstreik", allowed=allowed, depth=5)
    assert ranked and all(a in allowed for a, _ in ranked)


def test_vector_index_follows_added_and_replaced_vectors(big_enough: Path) -> None:
    with Store(big_enough, config=SMALL_INDEX) as store:
        index = vector_index.sync(store)
        before = len(index)
        row = store.conn.execute(
            "SELECT article_id, backend, dim, vector FROM article_vectors LIMIT 1"
        ).fetchone()
        with store.transaction():  # a replaced vector gets a new rowid: the index rebuilds
            store.conn.execute(
                "INSERT OR REPLACE INTO article_vectors(article_id, backend, dim, vector) "
                "VALUES (?, ?, ?, ?)",
                tuple(row),
            )
        index = vector_index.sync(store)
        assert len(index) == before
        query = np.frombuffer(row["vector"], dtype=np.float32)
        assert vector_index.nearest(store, query, 1)[0][0] == row["article_id"]


def test_vector_index_not_used_below_the_threshold(examples_db: Path) -> None:
    with Store(examples_db) as store:
        assert not vector_index.wanted(store)
