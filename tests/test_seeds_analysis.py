"""The seed articles through ingest with analysis: the acceptance checks of issues 3 and 4.

Reads ../shared/seeds (skips with a message if absent) and never copies their
text. The names below are the issues' acceptance examples; the rules behind
them are tested with hand-made text in tests/analyse/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.store.analysis import all_rows, list_entities, quotes_by_speaker

pytestmark = pytest.mark.seeds


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    from tests.conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (they live in ../shared/seeds)")
    path = Path(tmp_path_factory.mktemp("seeds")) / "seeds.db"
    with Store(path) as store:
        report = ingest([str(SEEDS)], store)
        assert not report.errors
        yield store


def _entity(entities: list[dict[str, Any]], name: str) -> dict[str, Any]:
    found = [e for e in entities if e["name"] == name or name in e["aliases"]]
    assert len(found) == 1, (name, found)
    return found[0]


def test_seeds_analysis_name_variants_are_one_entity(seed_store: Store) -> None:
    entities = list_entities(seed_store)
    putin = _entity(entities, "Wladimir Putin")
    assert "Putin" in putin["aliases"] and putin["type"] == "PER"
    kim = _entity(entities, "Kim Jong Un")
    assert "Kim Jong-un" in kim["aliases"]
    kim_il = [e for e in entities if e["name"] in ("Kim Jong Il", "Kim Jong-il")]
    assert len(kim_il) == 1 and kim_il[0]["id"] != kim["id"]
    shoigu = _entity(entities, "Sergej Schoigu")
    assert "Shoigu" in shoigu["aliases"]


def test_seeds_analysis_people_and_places_have_the_right_types(seed_store: Store) -> None:
    entities = list_entities(seed_store)
    for name in ("Kurt Campbell", "Andrei Lankov", "Leif-Eric Easley", "John Kirby", "Avril Haines"):
        assert _entity(entities, name)["type"] == "PER", name
    for name in ("Wladiwostok", "Pjöngjang"):
        assert _entity(entities, name)["type"] == "LOC", name


def test_seeds_analysis_junk_and_headline_words_are_not_entities(seed_store: Store) -> None:
    for e in list_entities(seed_store):
        assert e["name"] != "Related Posts"
        words = e["name"].split()
        assert not (len(words) > 1 and all(w.isupper() and len(w) > 3 for w in words)), e["name"]


def test_seeds_analysis_quotes_go_to_their_speakers(seed_store: Store) -> None:
    expected = {
        "Im Krieg gibt es nie genug Munition": "Andrei Lankov",
        "Es ist unser Nachbar": "Dmitri Peskow",
        "Genau deshalb sind wir hierher gekommen": "Wladimir Putin",
    }
    quotes = quotes_by_speaker(seed_store)
    for start, speaker in expected.items():
        hits = [q for q in quotes if q["text"].startswith(start)]
        assert hits, start
        assert all(q["speaker_entity"] == speaker for q in hits), hits


def test_seeds_analysis_figures(seed_store: Store) -> None:
    figures = all_rows(seed_store, "quantities")
    assert any(q["value"] == 7000 and q["counted"] == "Container" for q in figures)
    assert any(q["value"] == 4_800_000 and q["counted"] == "Artilleriegranaten" for q in figures)


def test_seeds_analysis_publication_date_inferred_where_the_text_allows(seed_store: Store) -> None:
    rows = seed_store.conn.execute(
        "SELECT a.published, a.published_source FROM articles a JOIN sources s "
        "ON s.article_id = a.id WHERE s.source LIKE '%001_%'"
    ).fetchall()
    assert rows and rows[0]["published_source"] == "inferred"
    assert rows[0]["published"] == "2024-06-17"
