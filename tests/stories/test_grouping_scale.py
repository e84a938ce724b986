"""Grouping reads only the stories near new articles (stories/load.py `_load_around`), and
decides as a load of the whole store would.

The example corpus is ingested one file at a time (each ingest groups its articles into
a store that already holds the earlier ones), under three ways of finding the stories
near a new article: every placed article loaded (as before, the reference), the exact
scan over placed vectors, and the approximate index (usearch) of large stores.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.config import Config, defaults
from storyline.jobs.ingest import ingest
from storyline.store import Store, stories, vector_index
from storyline.store import grouping as tables
from storyline.stories import load

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _partition(store: Store) -> set[frozenset[str]]:
    rows = store.conn.execute(
        "SELECT e.story_id, a.id FROM articles a JOIN events e ON e.id = a.event_id"
    ).fetchall()
    stories: dict[str, set[str]] = {}
    for story, article in rows:
        stories.setdefault(story, set()).add(article)
    return {frozenset(s) for s in stories.values()}


#: the static vectors and the CRF: grouping decides the same way, in a quicker test
FAST = defaults().replace(profile="fast")


def _grow(db: Path, config: Config = FAST) -> set[frozenset[str]]:
    with Store(db, config=config) as store:
        for path in sorted(EXAMPLES.iterdir()):
            assert ingest([str(path)], store).ok
        return _partition(store)


def test_nearby_stories_decide_as_the_whole_store_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "CANDIDATES", 10**6)  # every placed article: the reference
    everything = _grow(tmp_path / "all.db")
    monkeypatch.setattr(load, "CANDIDATES", 4)  # a few neighbours, exact scan
    exact = _grow(tmp_path / "exact.db")
    approximate = _grow(tmp_path / "ann.db", FAST.replace(vector_index_min=1))  # the index
    assert len(everything) >= 3  # the corpus has several stories
    assert exact == everything
    assert approximate == everything
    # the index is kept beside the file, or in the engine's folder
    with Store(tmp_path / "ann.db", config=FAST) as store:
        assert vector_index.paths(store, "static")[0].exists()


def test_adding_one_article_loads_only_nearby_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(EXAMPLES.iterdir())
    monkeypatch.setattr(load, "CANDIDATES", 2)
    with Store(tmp_path / "s.db", config=FAST) as store:
        for path in files[:-1]:
            ingest([str(path)], store)
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        loaded: list[set[str]] = []
        real = tables.event_member_rows

        def spy(s: Store, event_ids: set[str]) -> list[dict[str, object]]:
            loaded.append(set(event_ids))
            return real(s, event_ids)

        monkeypatch.setattr(tables, "event_member_rows", spy)
        whole = stories.story_event_ids
        monkeypatch.setattr(stories, "story_event_ids", lambda *a: pytest.fail("read a story"))
        ingest([str(files[-1])], store)
        monkeypatch.setattr(stories, "story_event_ids", whole)
    assert loaded and events >= 3
    assert all(0 < len(s) < events for s in loaded)
