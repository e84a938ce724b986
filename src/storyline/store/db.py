"""The store: one writer at a time, one transaction per batch, migrations recorded.

Why SQLite by default: analysts run storyline on a laptop next to their files; a single
file that needs no server, survives a crash mid-write (WAL + transactions)
and can be opened by any SQLite tool is the right default. A team's archive lives in
PostgreSQL instead (``--db postgresql://…``): the same class, the same statements
(translated by :mod:`storyline.store.dialect`), the same migrations in its dialect
(:mod:`storyline.store.schema_pg`), and writers serialised by an advisory lock as SQLite
serialises them by its file lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence, Sized
from contextlib import contextmanager
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any, TypedDict, cast

from storyline.config import Config, resolve
from storyline.errors import InputError, NotFoundError, SchemaError, StoreBusyError, StoreError
from storyline.model import Document
from storyline.records import ArticleRecord, Provenance, PublishedSource, RemovedLine
from storyline.settings import PG_POOL_SIZE, STORE_WAIT
from storyline.store import postgres, schema_pg
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration


class MigrationRow(TypedDict):
    """A schema migration applied to the store."""

    version: int
    name: str
    applied_at: str


class ArticleLine(TypedDict):
    """An article in `Store.list_articles` (``storyline list``)."""

    id: str
    title: str | None
    outlet: str | None
    lang: str | None
    published: str | None
    published_source: PublishedSource | None
    duplicate_of: str | None
    #: length of the clean text
    chars: int


class FlaggedArticle(TypedDict):
    """A stored page flagged as not an article (`Store.flagged_articles`)."""

    id: str
    title: str | None
    outlet: str | None
    url: str | None
    quality: str


_ID_TABLES = frozenset({"articles", "events", "stories", "entities"})

#: Letters whose diacritics `storyline list --query` ignores on PostgreSQL (FTS5's
#: remove_diacritics does the same on SQLite), and what each becomes.
_ACCENTED = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž"
_PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz"

#: The advisory lock every PostgreSQL writer takes for its transaction (SQLite's file
#: lock): grouping and claims assume one writer at a time, as on SQLite.
WRITER_LOCK = 0x5707_1135
#: The advisory lock held while migrations run, so two first starts do not both migrate.
MIGRATION_LOCK = 0x5707_1136


def side_files(url: str) -> Path:
    """Where a PostgreSQL store's local derived files (the HNSW index, the ingest lock)
    live on this machine: under the user's cache folder, one folder per database."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.sha1(postgres.redact(url).encode()).hexdigest()[:16]
    folder = base / "storyline" / "postgres" / digest
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "store"


def _literal(text: str) -> str:
    """A string as an SQL literal, for the one script that cannot take parameters
    (`executescript` runs a migration and its record in one transaction)."""
    return "'" + text.replace("'", "''") + "'"


#: ids per `IN (...)` list: under SQLite's default limit of host parameters
IN_CHUNK = 500


def id_chunks(ids: Sequence[str], size: int = IN_CHUNK) -> list[list[str]]:
    """`ids` in lists short enough for one `IN (...)` each."""
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def marks(chunk: Sized) -> str:
    """The `?, ?, …` placeholders of an `IN (...)` list as long as `chunk`."""
    return ",".join("?" * len(chunk))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


class Store:
    """A storyline store: a SQLite file or a PostgreSQL database. Use as a context manager
    or call :meth:`close`."""

    #: A sqlite3 connection, or for PostgreSQL a PgConnection offering the part of
    #: sqlite3.Connection's interface the store uses (typed as that part's owner)
    conn: sqlite3.Connection

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        create: bool = True,
        wait: float | None = None,
        config: Config | None = None,
    ) -> None:
        """`path`: a SQLite file or a postgresql:// URL. `wait`: seconds to wait for
        another writer's lock (default: store_wait). `config`: the settings every stage
        working on this store uses, as ``store.config`` (default: resolved from the
        environment and the settings file, for a library caller that gave none)."""
        self.config = config if config is not None else resolve()
        self.wait = self.config[STORE_WAIT] if wait is None else wait
        self._outlets: list[str] | None = None
        self.url: str | None = None
        self.dialect = "sqlite"
        if postgres.is_url(path):
            self.url = postgres.normalise_url(path)
            self.dialect = "postgresql"
            self.path = side_files(self.url)
            self.conn = cast(
                sqlite3.Connection,
                postgres.PgConnection(
                    self.url, wait=self.wait, pool_size=self.config[PG_POOL_SIZE]
                ),
            )
            try:
                self.migrate()
            except sqlite3.DatabaseError as exc:
                self.conn.close()
                raise StoreError(
                    f"{self.name} is not a usable storyline store ({exc})",
                    hint="check the URL; an empty database is set up on first use",
                ) from exc
            return
        self.path = Path(path)
        if not create and not self.path.exists():
            raise NotFoundError(
                f"no store at {self.path}", hint="run 'storyline ingest' first or pass --db"
            )
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=self.wait)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # a row that INSERT OR REPLACE replaces fires its delete triggers too (row_counts)
            self.conn.execute("PRAGMA recursive_triggers=ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a usable storyline store ({exc})",
                hint="check the path; a damaged file can be moved away and re-ingested",
            ) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @property
    def name(self) -> str:
        """The store as a user names it: the file, or the URL without its password."""
        return postgres.redact(self.url) if self.url else str(self.path)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    # -- schema -----------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> list[int]:
        """Apply missing migrations, each in its own transaction; return those applied."""
        if (
            self.is_postgres
            and cast(postgres.PgConnection, self.conn).schema.current
            and self.schema_version == SCHEMA_VERSION
        ):
            return []  # one query: the pool has read this schema, nothing to apply
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        if not self.is_postgres:
            return self._apply_migrations("BEGIN IMMEDIATE", lambda m: m.sql)
        # an advisory lock keeps two processes that start at once from both migrating
        self.conn.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            applied = self._apply_migrations("BEGIN", schema_pg.script)
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
        pg = cast(postgres.PgConnection, self.conn)
        pg.refresh_schema()
        pg.schema.current = True
        return applied

    def _apply_migrations(self, begin: str, script_of: Callable[[Migration], str]) -> list[int]:
        """Run the missing migrations (`script_of` gives each in the engine's dialect),
        each with its record in one transaction; return those applied."""
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise SchemaError(
                f"{self.name} has schema version {current}, newer than this storyline "
                f"understands ({SCHEMA_VERSION})",
                hint="upgrade storyline",
            )
        applied = []
        for m in MIGRATIONS:
            if m.version <= current:
                continue
            script = (
                f"{begin};\n" + script_of(m) + "\nINSERT INTO schema_migrations VALUES "
                f"({m.version}, {_literal(m.name)}, {_literal(now())});\nCOMMIT;"
            )
            try:
                self.conn.executescript(script)
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            applied.append(m.version)
        return applied

    def table_names(self) -> set[str]:
        """The store's tables (not SQLite's FTS5 shadow tables or PostgreSQL's own)."""
        if self.is_postgres:
            sql = (
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return {str(r[0]) for r in self.conn.execute(sql)}

    def column_names(self, table: str) -> list[str]:
        """The table's columns in their order (without PostgreSQL's rowid column and
        generated columns, which stand for what SQLite keeps implicitly)."""
        if self.is_postgres:
            rows = self.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = ? AND column_name <> 'rowid' "
                "AND is_generated = 'NEVER' ORDER BY ordinal_position",
                (table,),
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,)
            ).fetchall()
        return [str(r[0]) for r in rows]

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity and foreign-key checks find (empty when sound).
        PostgreSQL checks every constraint on every write, so there is nothing to add."""
        if self.is_postgres:
            return []
        problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        problems = [p for p in problems if p != "ok"]
        problems += [
            f"foreign key: {tuple(r)}" for r in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def migrations(self) -> list[MigrationRow]:
        rows = self.conn.execute("SELECT * FROM schema_migrations ORDER BY version")
        return [cast(MigrationRow, dict(r)) for r in rows]

    # -- writing ----------------------------------------------------------------

    @contextmanager
    def transaction(self, *, join: bool = False) -> Iterator[None]:
        """One write transaction; everything in it lands together or not at all.

        With `join`, a transaction already open on this connection is used as it is (its
        owner commits or rolls back); for steps that run both inside and outside one."""
        if join and self.conn.in_transaction:
            yield
            return
        try:
            if self.is_postgres:
                self.conn.execute("BEGIN")
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            else:
                self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if self.is_postgres and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise StoreBusyError(
                f"{self.name} is locked by another writer ({exc}; waited {self.wait:g} s)",
                hint="wait for the other storyline process to finish, or raise store_wait",
            ) from exc
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the store while another process writes to it
        (a read transaction: SQLite's WAL snapshot, PostgreSQL's repeatable read). Without
        it each query sees the store as it is when the query starts, and a reader of
        several tables (claims, their sources) can meet rows of two versions. Writers do
        not wait for it. Inside an open transaction it uses that one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ" if self.is_postgres else "BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested step inside the open transaction: on an exception none of its writes
        remain and the exception goes on; the rest of the transaction is untouched."""
        self.conn.execute("SAVEPOINT item")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO item")
            self.conn.execute("RELEASE item")
            raise
        self.conn.execute("RELEASE item")

    def rename_sources(self, prefix: str, rename: Callable[[str], str]) -> None:
        """Rename the recorded sources and input errors whose name starts with `prefix`
        (an upload's temporary folder) to `rename(name)`. A source the store already had
        under its new name is a duplicate record and is dropped."""
        with self.transaction():
            for table in ("sources", "ingest_errors"):
                rows = self.conn.execute(
                    f"SELECT DISTINCT source FROM {table} WHERE substr(source, 1, ?) = ?",
                    (len(prefix), prefix),
                ).fetchall()
                for (old,) in rows:
                    new = rename(old)
                    if table == "sources":  # a row the store has under the new name stays
                        self.conn.execute(
                            "DELETE FROM sources WHERE source = ? AND EXISTS (SELECT 1 FROM "
                            "sources n WHERE n.source = ? AND n.article_id = sources.article_id "
                            "AND n.byte_hash = sources.byte_hash)",
                            (old, new),
                        )
                    self.conn.execute(f"UPDATE {table} SET source = ? WHERE source = ?", (new, old))

    def open_runs(self) -> list[tuple[int, str, str, int]]:
        """Ingest runs without a final status: (id, started_at, status, articles stored)."""
        rows = self.conn.execute(
            "SELECT r.id, r.started_at, r.status, "
            "(SELECT count(DISTINCT s.article_id) FROM sources s WHERE s.run_id = r.id) "
            "FROM ingest_runs r WHERE r.status IN ('running', 'interrupted') ORDER BY r.id"
        ).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]

    def start_run(self) -> int:
        with self.transaction():
            cur = self.conn.execute("INSERT INTO ingest_runs(started_at) VALUES (?)", (now(),))
        return int(cur.lastrowid or 0)

    def finish_run(
        self, run_id: int, status: str, stored: int, unchanged: int, failed: int
    ) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE ingest_runs SET finished_at=?, status=?, stored=?, unchanged=?, failed=? "
                "WHERE id=?",
                (now(), status, stored, unchanged, failed, run_id),
            )

    def record_error(self, run_id: int, error: InputError) -> None:
        self.conn.execute(
            "INSERT INTO ingest_errors(run_id, source, kind, reason) VALUES (?, ?, ?, ?)",
            (run_id, error.source, error.code, error.reason),
        )

    def known_source(self, source: str, byte_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT article_id FROM sources WHERE byte_hash=? AND source=?", (byte_hash, source)
        ).fetchone()
        return None if row is None else str(row[0])

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def find_duplicate(self, text_hash: str, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE text_hash=? AND id<>? AND duplicate_of IS NULL "
            "ORDER BY rowid LIMIT 1",
            (text_hash, article_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def line_counts(self, outlet: str, keys: Sequence[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT line_key, count(*) FROM outlet_lines "
                f"WHERE outlet=? AND line_key IN ({marks}) GROUP BY line_key",
                (outlet, *chunk),
            )
            counts.update({str(k): int(n) for k, n in rows})
        return counts

    def save_signature(self, article_id: str, minhash: bytes) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO article_signatures(article_id, minhash) VALUES (?, ?)",
            (article_id, minhash),
        )

    def original_signatures(self) -> Iterator[tuple[str, bytes]]:
        """Signatures of articles that are not themselves duplicates, oldest first."""
        rows = self.conn.execute(
            "SELECT s.article_id, s.minhash FROM article_signatures s JOIN articles a "
            "ON a.id = s.article_id WHERE a.duplicate_of IS NULL ORDER BY a.rowid"
        )
        for r in rows:
            yield str(r[0]), bytes(r[1])

    def outlet_names(self) -> list[str]:
        """Outlets in the store, most articles first; cached, kept current by inserts."""
        if self._outlets is None:
            rows = self.conn.execute(
                "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
                "ORDER BY count(*) DESC LIMIT 500"
            )
            self._outlets = [str(r[0]) for r in rows]
        return self._outlets

    def add_source(self, article_id: str, doc: Document, run_id: int | None) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO sources"
            "(article_id, source, url, byte_hash, ingested_at, run_id) VALUES (?, ?, ?, ?, ?, ?)",
            (article_id, doc.source, doc.url, doc.byte_hash, now(), run_id),
        )

    def insert_article(self, doc: Document, line_keys: Sequence[str], run_id: int | None) -> None:
        """Write a cleaned document with its removed lines, provenance and line keys."""
        if doc.id is None or doc.text is None or doc.raw_text is None or doc.text_hash is None:
            raise StoreError(f"{doc.source}: document is not fully processed")
        self.conn.execute(
            "INSERT INTO articles(id, title, text, raw_text, url, outlet, outlet_evidence, lang, "
            "lang_confidence, published, published_source, published_evidence, "
            "published_confidence, repairs, text_hash, duplicate_of, created_at, author, agency, "
            "quality) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                doc.title,
                doc.text,
                doc.raw_text,
                doc.url,
                doc.outlet,
                _json(doc.outlet_evidence.to_dict() if doc.outlet_evidence else None),
                doc.lang,
                doc.lang_confidence,
                doc.published,
                doc.published_source,
                _json(doc.published_evidence.to_dict() if doc.published_evidence else None),
                1.0 if doc.published_source in ("metadata", "text") else doc.published_confidence,
                _json(doc.repairs),
                doc.text_hash,
                doc.duplicate_of,
                now(),
                doc.author,
                doc.agency,
                doc.quality,
            ),
        )
        self.conn.executemany(
            "INSERT INTO removed_lines(article_id, position, line, reason) VALUES (?, ?, ?, ?)",
            [(doc.id, r.position, r.line, r.reason) for r in doc.removed],
        )
        if doc.outlet and self._outlets is not None and doc.outlet not in self._outlets:
            self._outlets.append(doc.outlet)
        if doc.outlet:
            self.conn.executemany(
                "INSERT OR IGNORE INTO outlet_lines(outlet, line_key, article_id) VALUES (?, ?, ?)",
                [(doc.outlet, key, doc.id) for key in set(line_keys)],
            )
        self.add_source(doc.id, doc, run_id)

    def set_inferred_published(
        self, article_id: str, value: str, confidence: float, evidence: str
    ) -> bool:
        """Fill an undated article's date, or replace a less confident inferred one.

        Dates from metadata or a dateline are never overwritten. Returns whether it changed.
        """
        cur = self.conn.execute(
            "UPDATE articles SET published=?, published_source='inferred', published_evidence=?, "
            "published_confidence=? WHERE id=? AND (published IS NULL OR "
            "(published_source='inferred' AND coalesce(published_confidence, 0) < ?))",
            (
                value,
                _json({"method": f"inferred (confidence {confidence:.2f})", "detail": evidence}),
                confidence,
                article_id,
                confidence,
            ),
        )
        return cur.rowcount > 0

    # -- reading ----------------------------------------------------------------

    def article_ids(self) -> list[str]:
        """Every stored article's id, oldest first."""
        return [str(r[0]) for r in self.conn.execute("SELECT id FROM articles ORDER BY rowid")]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def resolve_id(self, prefix: str) -> str:
        """Full article id for an id or an unambiguous prefix of at least 4 characters."""
        return self.resolve_prefix("articles", "article", prefix, hint="see 'storyline list'")

    def resolve_prefix(self, table: str, kind: str, value: str, *, hint: str) -> str:
        """Full id in `table` (articles, events, stories, entities) for an id or an
        unambiguous prefix of at least 4 characters; NotFoundError naming `kind` else."""
        if table not in _ID_TABLES:
            raise ValueError(f"ids are not looked up in {table!r}")
        exact = self.conn.execute(f"SELECT id FROM {table} WHERE id = ?", (value,)).fetchone()
        if exact is not None:
            return str(exact[0])
        if len(value) < 4:
            raise NotFoundError(f"{kind} id {value!r} is too short", hint="give 4+ characters")
        like = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self.conn.execute(
            f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (like,)
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no {kind} with id {value!r}", hint=hint)
        if len(rows) > 1:
            raise NotFoundError(f"{kind} id {value!r} is ambiguous", hint="give more characters")
        return str(rows[0][0])

    def list_articles(
        self,
        *,
        outlet: str | None = None,
        lang: str | None = None,
        query: str | None = None,
        limit: int | None = None,
    ) -> list[ArticleLine]:
        sql = (
            "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, "
            "a.duplicate_of, length(a.text) AS chars FROM articles a"
        )
        where, args = [], []
        if query and self.is_postgres:  # words match without their diacritics, as in FTS5
            where.append(
                f"to_tsvector('simple', translate(lower(coalesce(a.title, '') || ' ' || a.text), "
                f"'{_ACCENTED}', '{_PLAIN}')) @@ websearch_to_tsquery('simple', "
                f"translate(lower(?), '{_ACCENTED}', '{_PLAIN}'))"
            )
            args.append(query)
        elif query:
            sql += " JOIN articles_fts f ON f.rowid = a.rowid"
            where.append("articles_fts MATCH ?")
            args.append(query)
        if outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(outlet)
        if lang:
            where.append("a.lang = ?")
            args.append(lang)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published, a.rowid"
        if limit:
            sql += f" LIMIT {int(limit)}"
        try:
            return [cast(ArticleLine, dict(r)) for r in self.conn.execute(sql, args)]
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"search query {query!r} is not valid ({exc})",
                hint="quote phrases with double quotes",
            ) from exc

    def _full(self, row: sqlite3.Row) -> ArticleRecord:
        article_id = row["id"]
        sources = [
            cast(Provenance, dict(r))
            for r in self.conn.execute(
                "SELECT source, url, byte_hash, ingested_at FROM sources WHERE article_id=? "
                "ORDER BY ingested_at, source",
                (article_id,),
            )
        ]
        removed: list[RemovedLine] = [
            {"line": r["line"], "reason": r["reason"], "position": r["position"]}
            for r in self.conn.execute(
                "SELECT position, line, reason FROM removed_lines WHERE article_id=? "
                "ORDER BY position",
                (article_id,),
            )
        ]
        return {
            "id": article_id,
            "source": sources[0]["url"] or sources[0]["source"] if sources else None,
            "title": row["title"],
            "outlet": row["outlet"],
            "outlet_evidence": json.loads(row["outlet_evidence"])
            if row["outlet_evidence"]
            else None,
            "author": row["author"],
            "agency": row["agency"],
            "lang": row["lang"],
            "published": row["published"],
            "published_source": row["published_source"],
            "published_confidence": row["published_confidence"],
            "text": row["text"],
            "removed": removed,
            "duplicate_of": row["duplicate_of"],
            "event": row["event_id"],
            "story": self._story_of(row["event_id"]),
            "echo_of": row["echo_of"],
            "echo_evidence": json.loads(row["echo_evidence"]) if row["echo_evidence"] else None,
            "url": row["url"],
            "lang_confidence": row["lang_confidence"],
            "published_evidence": (
                json.loads(row["published_evidence"]) if row["published_evidence"] else None
            ),
            "repairs": json.loads(row["repairs"]),
            "sources": sources,
            "created_at": row["created_at"],
            "quality": row["quality"],
        }

    def _story_of(self, event_id: str | None) -> str | None:
        if event_id is None:
            return None
        row = self.conn.execute("SELECT story_id FROM events WHERE id=?", (event_id,)).fetchone()
        return str(row[0]) if row else None

    def get_article(self, article_id: str) -> ArticleRecord:
        full_id = self.resolve_id(article_id)
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (full_id,)).fetchone()
        return self._full(row)

    def iter_articles(self) -> Iterator[ArticleRecord]:
        for row in self.conn.execute("SELECT * FROM articles ORDER BY rowid").fetchall():
            yield self._full(row)

    def flagged_articles(self) -> list[FlaggedArticle]:
        """Stored pages flagged as not articles (kept out of stories), oldest first."""
        rows = self.conn.execute(
            "SELECT id, title, outlet, url, quality FROM articles "
            "WHERE quality IS NOT NULL ORDER BY rowid"
        )
        return [cast(FlaggedArticle, dict(r)) for r in rows]

    def outlet_counts(self) -> list[tuple[str | None, int]]:
        rows = self.conn.execute(
            "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet"
        )
        return [(r[0], int(r[1])) for r in rows]
