"""PostgreSQL as the store: several writers at once, and moving a store there and back.

These run on a PostgreSQL server (`pg_url`; .ci/run installs and starts one). Without a
server they are skipped with the reason, and `make test` says that the PostgreSQL half
was skipped. The rest of the suite runs against PostgreSQL in that half as well.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.store.dialect import statement
from storyline.store.postgres import redact

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


def _ingest(paths: list[Path], db: str) -> subprocess.Popen[str]:
    env = {**os.environ, "STORYLINE_PROFILE": "fast", "STORYLINE_ANALYSE_WORKERS": "1"}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "storyline"), "ingest", *map(str, paths), "--db", db],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _export(db: str | Path) -> dict[str, object]:
    from storyline.export import write_export

    out = io.StringIO()
    with Store(db) as store:
        write_export(store, out)
    data: dict[str, object] = json.loads(out.getvalue())
    data.pop("generated_at", None)
    return data


def test_three_writers_store_every_article_exactly_once(pg_url: str, tmp_path: Path) -> None:
    files = sorted(EXAMPLES.iterdir())
    assert len(files) >= 12
    Store(pg_url).close()  # migrated once, so the three start on the same schema
    # overlapping batches, one in reverse order: each article is offered two or three times
    batches = [files[:10], files[5:], list(reversed(files))]
    writers = [_ingest(batch, pg_url) for batch in batches]
    results = [w.communicate(timeout=600) for w in writers]
    for w, (out, err) in zip(writers, results, strict=True):
        assert w.returncode == 0, f"{out}\n{err}"
    alone = tmp_path / "alone.db"  # the reference: one writer, SQLite, in a child too
    single = _ingest(files, str(alone))
    assert single.wait(timeout=600) == 0
    exported = subprocess.run(
        [str(Path(sys.executable).parent / "storyline"), "export", "--db", str(alone)],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(exported.stdout)["articles"]
    with Store(pg_url) as shared:
        ids = shared.article_ids()
        assert len(ids) == len(set(ids))
        assert sorted(ids) == sorted(a["id"] for a in reference)
        provenance = "SELECT article_id, source FROM sources ORDER BY article_id, source"
        shared_sources = [(str(r[0]), Path(r[1]).name) for r in shared.conn.execute(provenance)]
        assert shared_sources == sorted(
            (a["id"], Path(s["source"]).name) for a in reference for s in a["sources"]
        )
        unplaced = shared.conn.execute(
            "SELECT count(*) FROM articles WHERE event_id IS NULL AND quality IS NULL "
            "AND duplicate_of IS NULL"
        ).fetchone()[0]
        assert unplaced == 0


def test_migrate_round_trip_is_lossless(pg_url: str, examples_db: Path, tmp_path: Path) -> None:
    from storyline.jobs.migrate import migrate_store

    back = tmp_path / "back.db"
    to_pg = migrate_store(examples_db, pg_url)
    to_sqlite = migrate_store(pg_url, back)
    assert to_pg.rows == to_sqlite.rows
    assert to_pg.rows["articles"] > 10 and to_pg.rows["claims"] > 0
    original = _export(examples_db)
    assert _export(pg_url) == original
    assert _export(back) == original
    with Store(back) as store:  # the search index was rebuilt on the way
        assert store.conn.execute("SELECT count(*) FROM articles_search").fetchone()[0] > 10


def test_migrate_refuses_a_target_that_holds_articles(pg_url: str, examples_db: Path) -> None:
    from storyline.errors import StoreError
    from storyline.jobs.migrate import migrate_store

    migrate_store(examples_db, pg_url)
    with pytest.raises(StoreError, match="already holds"):
        migrate_store(examples_db, pg_url)


def test_a_wrong_url_fails_at_once_with_the_reason() -> None:
    from storyline.errors import StoreError

    with pytest.raises(StoreError, match="cannot connect"):
        Store("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_passwords_stay_out_of_messages() -> None:
    assert redact("postgresql://ann:secret@db.example:5433/news") == (
        "postgresql://ann:***@db.example:5433/news"
    )
    assert redact("postgresql:///news") == "postgresql:///news"


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = %s"),
        (
            "SELECT a FROM t WHERE b LIKE '%x' AND c = ?",
            "SELECT a FROM t WHERE b ILIKE '%%x' AND c = %s",
        ),
        ("SELECT start, end FROM quotes", 'SELECT start, "end" FROM quotes'),
        (
            "SELECT a FROM t ORDER BY a, b DESC",
            "SELECT a FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST",
        ),
        ("SELECT a FROM t WHERE a IS NOT b", "SELECT a FROM t WHERE a IS DISTINCT FROM b"),
        ("SELECT a FROM t WHERE a IS NOT NULL", "SELECT a FROM t WHERE a IS NOT NULL"),
        ("SELECT a FROM t WHERE a IN ()", "SELECT a FROM t WHERE a = ANY('{}')"),
        (
            "SELECT n FROM (SELECT 1 AS n) GROUP BY n",
            "SELECT n FROM (SELECT 1 AS n) AS _sub1 GROUP BY n",
        ),
        (
            "SELECT group_concat(DISTINCT x) FROM t",
            "SELECT string_agg(DISTINCT (x)::text, ',') FROM t",
        ),
        (
            "INSERT OR IGNORE INTO t(a) VALUES (?)",
            "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING",
        ),
        ("SELECT 'it''s ? here' FROM t", "SELECT 'it''s ? here' FROM t"),
    ],
)
def test_statements_translate_to_postgres(sqlite: str, postgres: str) -> None:
    assert statement(sqlite, {}) == postgres


def test_insert_or_replace_is_an_upsert_on_the_primary_key() -> None:
    out = statement(
        "INSERT OR REPLACE INTO v(article_id, vector) VALUES (?, ?)",
        {"v": ("article_id",)},
        {"v"},
    )
    assert out.endswith(
        "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector, rowid = DEFAULT"
    )


def test_an_older_postgres_store_is_migrated_and_searchable(pg_url: str) -> None:
    """The PostgreSQL twin of the SQLite old-store tests: a store left at schema version 4
    by an older storyline is brought to the current schema on open, keeps its article, and
    search finds it once the index is filled."""
    import psycopg

    from storyline.search import search
    from storyline.search.index import reindex
    from storyline.store import schema_pg
    from storyline.store.schema import MIGRATIONS

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
        for m in MIGRATIONS:
            if m.version <= 4:
                conn.execute(schema_pg.script(m).encode())
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (%s, %s, 'then')", (m.version, m.name)
                )
        conn.execute(
            "INSERT INTO articles(id, title, text, raw_text, lang, text_hash, created_at) "
            "VALUES ('old1', 'Alter Artikel', 'Die Streiks dauerten an.', 'x', 'de', 'h', "
            "'then')"
        )
    with Store(pg_url) as store:
        assert store.schema_version == MIGRATIONS[-1].version
        assert store.article_ids() == ["old1"]
        assert reindex(store) == 1 and reindex(store) == 0
        assert [r["id"] for r in search(store, "Streik")] == ["old1"]
        assert store.integrity_problems() == []


@pytest.mark.parametrize(
    ("query", "multi"),
    [
        ("INSERT INTO t(a, b) VALUES (%s, %s)", True),
        ("INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING", True),
        ("INSERT INTO t (a) VALUES (%s) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a", False),
        ("INSERT INTO t(a) VALUES (%s) RETURNING id", False),
        ("INSERT INTO t(a, b) VALUES (%s, 1)", False),
        ("INSERT INTO t(a) SELECT %s", False),
        ("UPDATE t SET a = %s", False),
    ],
)
def test_only_plain_inserts_travel_as_multi_row_statements(query: str, multi: bool) -> None:
    from storyline.store.postgres import _multi_row

    assert (_multi_row(query) is not None) == multi


def test_multi_row_inserts_keep_rows_order_and_duplicates_rule(pg_url: str) -> None:
    """executemany's rows sent as multi-row statements (more rows than one holds): the
    same rows in the same order with ids counted in that order, duplicates of an
    `INSERT OR IGNORE` skipped within one statement as across two."""
    from storyline.store import postgres

    n = postgres.MULTI_ROW_MAX * 2 + 7
    with Store(pg_url) as store:
        conn = store.conn
        conn.execute("CREATE TABLE t_rows (id INTEGER GENERATED ALWAYS AS IDENTITY, a TEXT)")
        conn.execute("CREATE TABLE t_keys (k TEXT PRIMARY KEY)")
        done = conn.executemany("INSERT INTO t_rows(a) VALUES (?)", [(f"r{i}",) for i in range(n)])
        assert done.rowcount == n
        rows = conn.execute("SELECT id, a FROM t_rows ORDER BY id").fetchall()
        assert [r[1] for r in rows] == [f"r{i}" for i in range(n)]
        assert [r[0] for r in rows] == list(range(1, n + 1))
        keys = [("x",), ("y",), ("x",)]
        added = conn.executemany("INSERT OR IGNORE INTO t_keys(k) VALUES (?)", keys)
        assert added.rowcount == 2
        assert [r[0] for r in conn.execute("SELECT k FROM t_keys ORDER BY k")] == ["x", "y"]
