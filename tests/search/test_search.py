"""Search: German-aware full text, hostile queries, filters, by meaning, backfill, CLI.

Every article here was written for these tests. The store is ingested once per module
(analysis and stories included: e5 costs ~0.2 s per article).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.cli.search import search_cmd
from storyline.errors import NotFoundError, StorylineError
from storyline.jobs.ingest import ingest
from storyline.search import QueryError, index_article, parse_query, reindex, search
from storyline.search.index import index_is_complete
from storyline.search.normalise import index_text, query_keys
from storyline.store import Store
from storyline.store.schema import MIGRATIONS

ARTICLES: dict[str, dict[str, str]] = {
    "hafen": {
        "title": "Hafenarbeiter legen die Arbeit nieder",
        "outlet": "Nordkurier",
        "lang": "de",
        "published": "2024-03-05",
        "text": (
            "Hamburg. Mit einem Streik haben die Hafenarbeiter am Dienstag den Umschlag an "
            "den Containerterminals gestoppt. Die Gewerkschaft fordert sieben Prozent mehr "
            "Lohn für die Beschäftigten.\n\nDer Streik soll nach Angaben der Gewerkschaft bis "
            "Freitag dauern. Die Betreiber der Terminals nannten die Forderung überzogen und "
            "kündigten ein neues Angebot für die kommende Woche an."
        ),
    },
    "radweg": {
        "title": "Neue Radwege für München",
        "outlet": "Südblick",
        "lang": "de",
        "published": "2024-05-10",
        "text": (
            "München. Die Stadt baut im Norden einen breiten Radweg. An der Straße fallen "
            "dafür zwei Parkspuren weg, teilte das Baureferat am Freitag mit.\n\nAnwohner "
            "begrüßten die Pläne bei einer Versammlung im Rathaus. Geschäftsleute fürchten "
            "dagegen, dass ihre Kundschaft künftig keinen Parkplatz mehr findet."
        ),
    },
    "brand": {
        "title": "Wohnhaus in der Altstadt brennt aus",
        "outlet": "Nordkurier",
        "lang": "de",
        "published": "2024-06-01",
        "text": (
            "Lübeck. In der Nacht zum Samstag ist in der Altstadt ein Feuer in einem "
            "mehrstöckigen Wohnhaus ausgebrochen. Die Flammen griffen schnell auf den "
            "Dachstuhl über.\n\nAlle zwölf Bewohner konnten sich ins Freie retten, zwei "
            "von ihnen kamen mit einer Rauchvergiftung ins Krankenhaus. Die Feuerwehr war "
            "bis zum Morgen mit den Löscharbeiten beschäftigt. Die Ursache ist noch unklar."
        ),
    },
    "docks": {
        "title": "Port workers walk out over pay",
        "outlet": "Harbour Post",
        "lang": "en",
        "published": "2024-03-06",
        "text": (
            "Dock workers in Rotterdam went on strike on Wednesday, demanding higher wages "
            "after two years of rising rents. The striking workers blocked the gates of the "
            "largest container terminal.\n\nShipping companies said several vessels had been "
            "delayed and warned of knock-on effects for ports across northern Europe. The "
            "union said the walkout would continue until employers improved their offer."
        ),
    },
    "library": {
        "title": "Library extends its opening hours",
        "outlet": "City Times",
        "lang": "en",
        "published": "2024-07-15",
        "text": (
            "The central library will stay open until ten in the evening from next month, "
            "the council said on Monday. Students had collected more than two thousand "
            "signatures for longer hours.\n\nThe council agreed to fund two additional "
            "members of staff and to keep the reading rooms heated during the winter."
        ),
    },
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    feed = folder / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text(
        "\n".join(
            json.dumps({**a, "url": f"https://example.org/{name}"}, ensure_ascii=False)
            for name, a in ARTICLES.items()
        )
        + "\n",
        encoding="utf-8",
    )
    path = folder / "search.db"
    with Store(path) as store:
        report = ingest([str(feed)], store)
        assert report.ok and len(report.stored) == len(ARTICLES)
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with Store(db) as s:
        yield s


@pytest.fixture(scope="module")
def ids(store: Store) -> dict[str, str]:
    by_url = dict(store.conn.execute("SELECT url, id FROM articles").fetchall())
    return {name: by_url[f"https://example.org/{name}"] for name in ARTICLES}


def found(rows: list[dict[str, Any]], ids: dict[str, str]) -> set[str]:
    names = {v: k for k, v in ids.items()}
    return {names[r["id"]] for r in rows}


# -- normalisation ----------------------------------------------------------------


def test_search_keys_fold_umlauts_sharp_s_and_ue_spellings() -> None:
    assert index_text("Straße", "de") == index_text("Strasse", "de")
    assert index_text("München", "de") == index_text("Muenchen", "de") == "munch"
    assert index_text("Häuser", "de") == index_text("Haeuser", "de")
    # English keeps its "ue" ("blue" is not "blü"), but still folds ß and umlauts
    assert index_text("blue", "en") == "blue"
    assert index_text("Straße", "en") == index_text("Strasse", "en")


def test_search_query_keys_bridge_german_past_tense_and_participle() -> None:
    assert "streik" in query_keys("streikten")
    assert "streik" in query_keys("gestreikt")
    assert "setz" not in query_keys("Gesetz")  # a capitalised noun is no participle


# -- full text --------------------------------------------------------------------


def test_search_stemming_finds_inflected_german(store: Store, ids: dict[str, str]) -> None:
    assert found(search(store, "Streiks"), ids) == {"hafen"}
    assert found(search(store, "streikten"), ids) == {"hafen"}
    assert found(search(store, "Gewerkschaften"), ids) == {"hafen"}


def test_search_folds_sharp_s_and_umlaut_spellings(store: Store, ids: dict[str, str]) -> None:
    assert found(search(store, "Strasse"), ids) == {"radweg"}
    assert found(search(store, "Straße"), ids) == {"radweg"}
    assert found(search(store, "Muenchen"), ids) == {"radweg"}
    assert found(search(store, "MÜNCHEN"), ids) == {"radweg"}


def test_search_english_stemming(store: Store, ids: dict[str, str]) -> None:
    assert found(search(store, "strikes"), ids) == {"docks"}
    assert found(search(store, "wage"), ids) == {"docks"}
    assert found(search(store, "extended hour"), ids) == {"library"}


def test_search_words_are_and_ed_and_phrases_keep_order(store: Store, ids: dict[str, str]) -> None:
    assert found(search(store, "Streik Gewerkschaft"), ids) == {"hafen"}
    assert search(store, "Streik Bibliothek") == []
    assert found(search(store, '"container terminal"'), ids) == {"docks"}
    assert search(store, '"terminal container"') == []


def test_search_prefix(store: Store, ids: dict[str, str]) -> None:
    assert found(search(store, "Gewerksch*"), ids) == {"hafen"}
    assert found(search(store, "contain*"), ids) == {"hafen", "docks"}


def test_search_result_shape_and_snippet(store: Store, ids: dict[str, str]) -> None:
    [hit] = search(store, "Rauchvergiftungen")
    assert hit["id"] == ids["brand"] and hit["matched_by"] == ["text"]
    assert {"id", "title", "outlet", "lang", "published", "score", "snippet"} <= set(hit)
    assert hit["outlet"] == "Nordkurier" and hit["lang"] == "de"
    assert hit["published"] == "2024-06-01" and hit["score"] > 0
    assert "Rauchvergiftung" in hit["snippet"] and "<" not in hit["snippet"]
    assert hit["snippet"].startswith("…") and len(hit["snippet"]) < 260


def test_search_title_words_rank_first(store: Store, ids: dict[str, str]) -> None:
    rows = search(store, "Hafenarbeiter")
    assert rows[0]["id"] == ids["hafen"]


# -- hostile input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ['"', "", "   ", "*", "()", "AND OR (", '"foo', "NEAR(a b)", "\ud800Streik", "x" * 5000],
)
def test_search_hostile_queries_give_results_or_a_clear_error(store: Store, query: str) -> None:
    try:
        rows = search(store, query)
    except QueryError as err:
        assert err.hint and err.code == "query_error"
    else:
        assert isinstance(rows, list)


def test_search_hostile_queries_by_meaning(store: Store) -> None:
    for query in ["AND OR (", '"foo', "\ud800Streik*"]:
        assert isinstance(search(store, query, semantic=True), list)
    with pytest.raises(QueryError):
        search(store, "(:^)", semantic=True)


def test_search_empty_query_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError, match="empty"):
        search(store, "")
    with pytest.raises(QueryError, match="no words"):
        search(store, '"')


def test_search_fts_syntax_is_inert(store: Store) -> None:
    for query in ["title:Streik", "Streik NOT Hafen", "^Streik", "Streik + -Hafen", "a:b:c"]:
        expression = parse_query(query).expression
        assert ":" not in expression.replace('"', "") and "NOT" not in expression
        search(store, query)


HOSTILE = st.sampled_from(
    ['"', "*", "(", ")", "AND", "OR", "NOT", "NEAR", ":", "^", "-", "+", "Streik", "ß", "\x00", "_"]
)
QUERIES = st.text(max_size=60) | st.lists(HOSTILE, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(QUERIES)
def test_search_any_query_raises_only_storyline_errors(store: Store, query: str) -> None:
    try:
        rows = search(store, query)
    except StorylineError:
        return
    assert isinstance(rows, list)


# -- filters ----------------------------------------------------------------------


def test_search_filters_outlet_lang_and_dates(store: Store, ids: dict[str, str]) -> None:
    both = found(search(store, "contain*"), ids)
    assert both == {"hafen", "docks"}
    assert found(search(store, "contain*", outlet="nordkurier"), ids) == {"hafen"}
    assert found(search(store, "contain*", lang="EN"), ids) == {"docks"}
    assert found(search(store, "contain*", since="2024-03-06"), ids) == {"docks"}
    assert found(search(store, "contain*", until="2024-03-05"), ids) == {"hafen"}
    assert found(search(store, "contain*", since="2024-03-05", until="2024-03-06"), ids) == both
    with pytest.raises(QueryError, match="not a date"):
        search(store, "Streik", since="5.3.2024")
    with pytest.raises(QueryError, match="after"):
        search(store, "Streik", since="2024-04-01", until="2024-03-01")


def test_search_filters_entity_and_story(store: Store, ids: dict[str, str]) -> None:
    entity = store.conn.execute(
        "SELECT entity_id FROM mentions WHERE article_id = ? AND entity_id IS NOT NULL "
        "AND text = 'Rotterdam'",
        (ids["docks"],),
    ).fetchone()[0]
    assert found(search(store, "contain*", entity=entity), ids) == {"docks"}
    story = store.conn.execute(
        "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id WHERE a.id = ?",
        (ids["hafen"],),
    ).fetchone()[0]
    rows = search(store, "contain*", story=story)
    assert ids["hafen"] in {r["id"] for r in rows}
    assert all(
        store.conn.execute(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id WHERE a.id=?",
            (r["id"],),
        ).fetchone()[0]
        == story
        for r in rows
    )
    with pytest.raises(NotFoundError):
        search(store, "Streik", entity="e000000000000")
    with pytest.raises(NotFoundError):
        search(store, "Streik", story="s-nope")


def test_search_bad_limit_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        search(store, "Streik", limit=0)
    assert len(search(store, "contain*", limit=1)) == 1


# -- by meaning -------------------------------------------------------------------


def test_search_semantic_finds_german_article_for_english_query(
    store: Store, ids: dict[str, str]
) -> None:
    query = "fire destroys a residential building in the old town"
    assert search(store, query) == []  # no shared words
    rows = search(store, query, semantic=True, limit=3)
    assert rows and rows[0]["id"] == ids["brand"]
    assert rows[0]["matched_by"] == ["meaning"] and rows[0]["similarity"] > 0.77
    assert rows[0]["snippet"].startswith("Lübeck.")  # the lead: no word matched


def test_search_hybrid_marks_both_and_ranks_agreement_first(
    store: Store, ids: dict[str, str]
) -> None:
    rows = search(store, "strike", semantic=True)
    assert rows[0]["id"] == ids["docks"] and rows[0]["matched_by"] == ["text", "meaning"]
    assert found(search(store, "strike", semantic=True, lang="de"), ids) <= {"hafen"}


def test_search_semantic_nonsense_finds_little(store: Store) -> None:
    assert len(search(store, "banana bread recipe with walnuts", semantic=True)) <= 1


# -- index upkeep -----------------------------------------------------------------


def _v4_store(path: Path) -> None:
    """A store as storyline left it before the search table existed, with one article."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    for m in MIGRATIONS:
        if m.version <= 4:
            conn.executescript(m.sql)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (m.version, m.name))
    conn.execute(
        "INSERT INTO articles(id, title, text, raw_text, lang, text_hash, created_at) "
        "VALUES ('old1', 'Alter Artikel', 'Die Streiks dauerten an.', 'x', 'de', 'h', 'then')"
    )
    conn.close()


@pytest.mark.sqlite_only("a SQLite store made by an older storyline")
def test_search_migration_backfill_by_reindex(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v4_store(path)
    with Store(path) as store:
        assert store.schema_version == MIGRATIONS[-1].version
        assert not index_is_complete(store.conn)
        assert reindex(store) == 1
        assert reindex(store) == 0  # idempotent
        assert [r["id"] for r in search(store, "Streik")] == ["old1"]


@pytest.mark.sqlite_only("a SQLite store made by an older storyline")
def test_search_fills_missing_rows_itself(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v4_store(path)
    with Store(path) as store:
        assert [r["id"] for r in search(store, "streikten")] == ["old1"]
        assert index_is_complete(store.conn)


@pytest.mark.sqlite_only("holds SQLite's file lock from a second sqlite3 connection")
def test_search_does_not_wait_for_a_busy_writer(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v4_store(path)
    with Store(path) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            assert search(store, "Streik") == []  # not indexed yet, and no lock error
            assert time.monotonic() - started < 3
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert len(search(store, "Streik")) == 1


@pytest.mark.sqlite_only("a SQLite store made by an older storyline")
def test_search_index_follows_updates_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v4_store(path)
    with Store(path) as store:
        assert index_article(store.conn, "old1") and not index_article(store.conn, "nope")
        store.conn.execute("UPDATE articles SET text = 'Der Hafen ist wieder offen.'")
        assert search(store, "Streik") == [] and len(search(store, "Häfen")) == 1
        store.conn.execute("DELETE FROM articles")
        assert search(store, "Hafen") == []
        assert store.conn.execute("SELECT count(*) FROM articles_search").fetchone()[0] == 0
        assert reindex(store, full=True) == 0


# -- command line -----------------------------------------------------------------


def test_search_cli_json_and_text(db: Path, ids: dict[str, str]) -> None:
    runner = CliRunner()
    res = runner.invoke(search_cmd, ["Streiks", "--json", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert [r["id"] for r in json.loads(res.output)] == [ids["hafen"]]
    res = runner.invoke(search_cmd, ["Strasse", "--lang", "de", "--db", str(db)])
    assert res.exit_code == 0 and "Neue Radwege für München" in res.output
    res = runner.invoke(search_cmd, ["--help"])
    assert "Example:" in res.output and "storyline search" in res.output


def test_search_cli_errors(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(search_cmd, ['"', "--json", "--db", str(db)])
    assert res.exit_code == 1 and json.loads(res.output)["error"] == "query_error"
    res = runner.invoke(search_cmd, ["Streik", "--since", "March", "--db", str(db)])
    assert res.exit_code == 2
    res = runner.invoke(search_cmd, ["Streik", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "no store" in res.output
