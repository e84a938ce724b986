"""The SQLite store: migrations, refusal of foreign files, round trips, queries."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.clean import line_key
from storyline.errors import NotFoundError, SchemaError, StoreError
from storyline.jobs.pipeline import build_pipeline
from storyline.model import Document, Hints
from storyline.store import SCHEMA_VERSION, Store


def make_doc(text: str, source: str = "t.txt", **hints: str | None) -> Document:
    data = text.encode("utf-8")
    return Document(source, hashlib.sha256(data).hexdigest(), Hints(**hints), raw_text=text)


def insert(store: Store, text: str, source: str = "t.txt", **hints: str | None) -> Document:
    doc = build_pipeline(stats=store)(make_doc(text, source, **hints))
    with store.transaction():
        store.insert_article(doc, [line_key(v.line) for v in doc.verdicts if not v.title], None)
    return doc


ART_A = (
    "Stadtrat beschließt Haushalt\nTeilen\n"
    "Der Stadtrat hat am Dienstag den Haushalt für das nächste Jahr beschlossen.\n"
    "Die Opposition kritisierte die Ausgaben für den Straßenbau.\n"
)
ART_B = (
    "Library extends opening hours\n"
    "The central library will stay open until ten in the evening from next month.\n"
    "Students had collected signatures for longer opening hours.\n"
)


# -- schema ------------------------------------------------------------------------------


def test_db_new_store_records_migration_one(db_path: Path) -> None:
    with Store(db_path) as store:
        migrations = store.migrations()
        assert migrations[0]["version"] == 1
        assert migrations[0]["name"]
        assert migrations[0]["applied_at"]
        assert store.schema_version == SCHEMA_VERSION >= 1
        assert [m["version"] for m in migrations] == list(range(1, SCHEMA_VERSION + 1))


def test_db_migration_11_adds_the_watch_and_alert_tables(db_path: Path) -> None:
    with Store(db_path) as store:
        names = {m["version"]: m["name"] for m in store.migrations()}
        tables = store.table_names()
    assert "watch" in names[11]
    assert {
        "watch_sources",
        "watch_fetches",
        "watch_items",
        "article_versions",
        "alerts",
        "alert_queue",
        "alert_matches",
    } <= tables


def test_db_reopening_applies_nothing_again(db_path: Path) -> None:
    Store(db_path).close()
    with Store(db_path) as store:
        assert store.migrate() == []
        assert len(store.migrations()) == SCHEMA_VERSION


def test_db_newer_schema_is_refused(db_path: Path) -> None:
    with Store(db_path) as store:
        store.conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')",
            (SCHEMA_VERSION + 7,),
        )
        name = store.name
    with pytest.raises(SchemaError) as info:
        Store(db_path)
    assert name in str(info.value)
    assert str(SCHEMA_VERSION + 7) in str(info.value)
    assert isinstance(info.value, StoreError)


@pytest.mark.sqlite_only("a file that is not SQLite")
def test_db_non_sqlite_file_is_a_store_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notizen.db"
    bogus.write_text("Das ist keine Datenbank, sondern eine Einkaufsliste.\n" * 50)
    with pytest.raises(StoreError) as info:
        Store(bogus)
    assert str(bogus) in str(info.value)
    assert info.value.hint


def test_db_missing_store_without_create_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        Store(tmp_path / "fehlt.db", create=False)
    assert not (tmp_path / "fehlt.db").exists()


@pytest.mark.sqlite_only("locks the SQLite file from a second sqlite3 connection")
def test_db_locked_store_is_a_store_error(db_path: Path, store: Store) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        store.conn.execute("PRAGMA busy_timeout=50")
        with pytest.raises(StoreError) as info, store.transaction():
            pass
        assert "locked" in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


# -- writing and reading -------------------------------------------------------------------


def test_db_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        insert_doc = build_pipeline()(make_doc(ART_A))
        store.insert_article(insert_doc, [], None)
        raise RuntimeError("abort")
    assert store.count() == 0
    assert store.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0


def test_db_insert_and_get_article(store: Store) -> None:
    doc = insert(store, ART_A, "pile/a.txt", url="https://taz.de/a", published="2024-06-17")
    art = store.get_article(doc.id)
    assert art["id"] == doc.id
    assert art["title"] == "Stadtrat beschließt Haushalt"
    assert art["text"].startswith("Der Stadtrat hat am Dienstag")
    assert art["outlet"] == "taz"
    assert art["outlet_evidence"]["method"] == "url"
    assert art["published"] == "2024-06-17" and art["published_source"] == "metadata"
    assert art["removed"] == [{"line": "Teilen", "reason": "share-bar", "position": 1}]
    assert art["source"] == "https://taz.de/a"
    assert [s["source"] for s in art["sources"]] == ["pile/a.txt"]
    assert art["duplicate_of"] is None
    assert art["lang"] == "de"


def test_db_insert_unprocessed_document_is_refused(store: Store) -> None:
    with pytest.raises(StoreError):
        store.insert_article(make_doc(ART_A), [], None)


def test_db_known_source_and_has_article(store: Store) -> None:
    doc = insert(store, ART_A, "pile/a.txt")
    assert store.known_source("pile/a.txt", doc.byte_hash) == doc.id
    assert store.known_source("pile/a.txt", "0" * 64) is None
    assert store.known_source("pile/b.txt", doc.byte_hash) is None
    assert store.has_article(doc.id)
    assert not store.has_article("ffffffffffffffff")


def test_db_resolve_id_by_prefix(store: Store) -> None:
    doc = insert(store, ART_A)
    assert doc.id is not None
    assert store.resolve_id(doc.id[:4]) == doc.id
    assert store.get_article(doc.id[:6])["id"] == doc.id
    with pytest.raises(NotFoundError, match="too short"):
        store.resolve_id(doc.id[:3])
    with pytest.raises(NotFoundError, match="no article"):
        store.resolve_id("zzzz")
    with pytest.raises(NotFoundError):
        store.resolve_id("%%%%")  # LIKE wildcards are escaped, not matched


@pytest.mark.sqlite_only("switches SQLite's foreign keys off")
def test_db_ambiguous_prefix(store: Store) -> None:
    store.conn.execute("PRAGMA foreign_keys=OFF")  # only to give two ids a common prefix
    a = insert(store, ART_A)
    store.conn.execute("UPDATE articles SET id=? WHERE id=?", ("abcd0001" + "0" * 8, a.id))
    b = insert(store, ART_B)
    store.conn.execute("UPDATE articles SET id=? WHERE id=?", ("abcd0002" + "0" * 8, b.id))
    with pytest.raises(NotFoundError, match="ambiguous"):
        store.resolve_id("abcd")
    assert store.resolve_id("abcd0002") == "abcd0002" + "0" * 8


def test_db_list_filters_and_full_text(store: Store) -> None:
    insert(store, ART_A, "a.txt", outlet="taz")
    insert(store, ART_B, "b.txt", outlet="BBC", published="2024-01-05")
    assert store.count() == 2
    rows = store.list_articles()
    assert [r["title"] for r in rows] == [
        "Library extends opening hours",
        "Stadtrat beschließt Haushalt",
    ]  # dated first
    assert [r["title"] for r in store.list_articles(outlet="TAZ")] == [
        "Stadtrat beschließt Haushalt"
    ]
    assert [r["lang"] for r in store.list_articles(lang="en")] == ["en"]
    hits = store.list_articles(query="strassenbau OR Straßenbau")
    assert [r["outlet"] for r in hits] == ["taz"]
    assert len(store.list_articles(limit=1)) == 1
    assert dict(store.outlet_counts()) == {"taz": 1, "BBC": 1}


def test_db_full_text_ignores_diacritics(store: Store) -> None:
    insert(store, "Wahl\nDie Bürgermeisterin von Düsseldorf trat zurück.\nMehr folgt bald.\n")
    assert len(store.list_articles(query="Dusseldorf")) == 1


@pytest.mark.sqlite_only("FTS5's query syntax; PostgreSQL's web-search syntax takes any text")
def test_db_invalid_full_text_query_is_a_store_error(store: Store) -> None:
    insert(store, ART_A)
    with pytest.raises(StoreError, match="not valid"):
        store.list_articles(query='"unbalanced')


def test_db_line_counts_per_outlet(store: Store) -> None:
    insert(store, ART_A, "a.txt", outlet="taz")
    insert(store, ART_B, "b.txt", outlet="BBC")
    key = line_key("Teilen")
    assert store.line_counts("taz", [key, line_key("nie gesehen")]) == {key: 1}
    assert store.line_counts("BBC", [key]) == {}
    # case, digits and spacing do not change the key
    assert line_key("  TEILEN ") == key
    assert line_key("Seite 3 von 12") == line_key("Seite 7 von 99")


# -- round trip property -------------------------------------------------------------------

WORDS = st.sampled_from(
    "der die Stadt Rat Haushalt beschloss am Montag neue Regeln für Schulen Bürger sagte "
    "the council approved new rules for schools on Monday mayor said Straße Bürgermeisterin "
    "Hafen Wahl Ergebnis".split()
)
SENTENCE = st.lists(WORDS, min_size=4, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
JUNK_LINE = st.sampled_from(
    [
        "Teilen",
        "Drucken",
        "Kommentar schreiben",
        "Foto: Anna Berg",
        "Jetzt den Newsletter abonnieren",
        "Stand: 04.03.2025, 14:10 Uhr",
        "Quelle: Stadtkurier",
        "Accept all cookies",
    ]
)


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, dict[str, str | None]]:
    # The title starts with a word no body sentence starts with (see repeated-title).
    title = "Meldung: " + " ".join(draw(st.lists(WORDS, min_size=1, max_size=8)))
    lines = draw(st.lists(SENTENCE | JUNK_LINE, min_size=1, max_size=8))
    lines.insert(draw(st.integers(0, len(lines))), draw(SENTENCE))  # at least one paragraph
    hints = {
        "outlet": draw(st.none() | st.sampled_from(["taz", "BBC", "Stadtkurier"])),
        "published": draw(st.none() | st.sampled_from(["2024-06-17", "17.06.2024"])),
        "lang": draw(st.none() | st.sampled_from(["de", "en"])),
        "title": draw(st.none() | st.just(title)),
    }
    return "\n".join([title, *lines]) + "\n", hints


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(articles())
def test_db_round_trip_through_pipeline(tmp_path: Path, article: tuple) -> None:
    text, hints = article
    with Store(tmp_path / f"{uuid.uuid4().hex}.db") as store:
        doc = build_pipeline(stats=store)(make_doc(text, "rund.txt", **hints))
        with store.transaction():
            store.insert_article(doc, [line_key(v.line) for v in doc.verdicts if not v.title], None)
        art = store.get_article(doc.id)
    assert art["title"] == doc.title
    assert art["text"] == doc.text
    assert art["outlet"] == doc.outlet
    assert art["lang"] == doc.lang
    assert art["published"] == doc.published
    assert art["published_source"] == doc.published_source
    assert art["removed"] == [r.to_dict() for r in doc.removed]
    assert art["repairs"] == doc.repairs
    assert art["sources"][0]["byte_hash"] == doc.byte_hash
    assert art["author"] == doc.author and art["agency"] == doc.agency


def test_db_author_and_agency_are_stored(tmp_path: Path) -> None:
    # migration 12: what bylines and datelines say (issue 16)
    text = (
        "Neue Regeln für den Hafen\nVon Anna Muster\n"
        "BERLIN (dpa) – Die Hafenbehörde hat am Morgen neue Regeln vorgestellt.\n"
        "Die Reedereien reagierten zurückhaltend auf die Ankündigung.\n"
    )
    with Store(tmp_path / "a.db") as store:
        doc = build_pipeline(stats=store)(make_doc(text, "byline.txt"))
        with store.transaction():
            store.insert_article(doc, [], None)
        art = store.get_article(doc.id)
        columns = set(store.column_names("articles"))
    assert {"author", "agency"} <= columns
    assert art["author"] == "Anna Muster" and art["agency"] == "dpa"


def test_db_migration_names_with_quotes_are_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.store import db as store_db
    from storyline.store.schema import MIGRATIONS, Migration

    extra = Migration(MIGRATIONS[-1].version + 1, "the store's 'test' table", "SELECT 1;")
    monkeypatch.setattr(store_db, "MIGRATIONS", (*MIGRATIONS, extra))
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", extra.version)
    with Store(tmp_path / "q.db") as store:
        names = [m["name"] for m in store.migrations()]
    assert names[-1] == "the store's 'test' table"


def test_db_migration_13_adds_the_quality_flag(db_path: Path) -> None:
    with Store(db_path) as store:
        names = {m["version"]: m["name"] for m in store.migrations()}
        columns = set(store.column_names("articles"))
        assert store.flagged_articles() == []
    assert "quality" in names[13] and "quality" in columns


def test_a_snapshot_reads_one_version_while_another_process_writes(child_db: str) -> None:
    """Reads of several queries (a story's claims, then their sources) must not meet rows
    of two versions: a claims answer read while an ingest rewrote them was a 500."""
    from storyline.config import defaults

    with Store(child_db, config=defaults()) as reader, Store(child_db, config=defaults()) as w:
        w.conn.execute("CREATE TABLE snap_t (x INTEGER)")
        w.conn.execute("INSERT INTO snap_t (x) VALUES (1)")
        count = lambda: reader.conn.execute("SELECT count(*) FROM snap_t").fetchone()[0]  # noqa: E731
        with reader.snapshot():
            assert count() == 1
            w.conn.execute("INSERT INTO snap_t (x) VALUES (2)")  # another writer commits
            assert count() == 1
            with reader.snapshot():  # nested: the same one
                assert count() == 1
        assert not reader.conn.in_transaction
        assert count() == 2
