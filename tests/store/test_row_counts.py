"""The counts the triggers keep (row_counts, migration 14) equal the rows they count, after
ingests, replaced and moved vectors, a full regrouping and cleared clusters, in both
engines: grouping and the nearest-neighbour index read them instead of counting."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from storyline.config import defaults
from storyline.jobs.ingest import ingest
from storyline.store import Store, grouping, search
from storyline.store import stories as clusters
from storyline.stories.job import recluster

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
FAST = defaults().replace(profile="fast")


def _real(store: Store) -> dict[str, int]:
    out = {
        "events": store.conn.execute("SELECT count(*) FROM events").fetchone()[0],
        "stories": store.conn.execute("SELECT count(*) FROM stories").fetchone()[0],
    }
    for backend, n in store.conn.execute(
        "SELECT backend, count(*) FROM article_vectors GROUP BY backend"
    ).fetchall():
        out[f"vectors:{backend}"] = n
    return {k: int(v) for k, v in out.items() if v}


def _kept(store: Store) -> dict[str, int]:
    rows = store.conn.execute("SELECT name, n FROM row_counts WHERE n <> 0").fetchall()
    return {str(name): int(n) for name, n in rows}


def test_row_counts_follow_every_write(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db", config=FAST) as store:
        assert _kept(store) == {}
        assert ingest([str(p) for p in sorted(EXAMPLES.iterdir())[:6]], store).ok
        real = _real(store)
        assert real["events"] and real["stories"] and real["vectors:static"]
        assert _kept(store) == real
        assert search.vector_state(store, "static").count == real["vectors:static"]
        assert clusters.cluster_counts(store) == (real["events"], real["stories"])
        article, blob = store.conn.execute(
            "SELECT article_id, vector FROM article_vectors ORDER BY article_id LIMIT 1"
        ).fetchone()
        vector = np.frombuffer(blob, dtype=np.float32)
        with store.transaction():  # replaced: still one vector
            grouping.save_vectors(store, "static", [(article, vector)])
        assert _kept(store) == _real(store) == real
        with store.transaction():  # moved to another backend (one vector per article)
            grouping.save_vectors(store, "other", [(article, vector)])
        assert _kept(store) == _real(store)
        assert _real(store)["vectors:other"] == 1
        recluster(store)
        assert _kept(store) == _real(store)
        with store.transaction():
            clusters.clear_clusters(store)
        assert _kept(store) == _real(store)
        assert "events" not in _kept(store)
