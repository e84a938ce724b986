"""PostgreSQL behind the store: a connection that speaks the part of sqlite3's interface
the store uses, over psycopg 3 and a connection pool.

Why this shape: every store module talks to ``store.conn`` (``execute``,
``executemany``, rows readable by index and by name, ``lastrowid``, ``rowcount``,
``in_transaction``) and catches sqlite3's exception classes. Giving PostgreSQL the same
surface keeps one copy of every query (translated by :mod:`storyline.store.dialect`) and
one copy of the error handling; the handful of things that differ by engine (full-text
search, lock waits, integrity checks) are methods of :class:`~storyline.store.db.Store`
that ask ``store.dialect``.

Errors are raised as sqlite3's classes on purpose (a unique violation is an
``sqlite3.IntegrityError``, a lock wait that ran out an ``sqlite3.OperationalError``
saying "database is locked"), with PostgreSQL's message and the original error chained.

Connections come from one pool per database URL (``pg_pool_size``), so a web server that
opens a store per request does not pay a new connection each time.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from storyline.errors import StoreError
from storyline.store import dialect

#: psycopg's SQLSTATE classes that SQLite would report as an integrity error
_INTEGRITY = "23"
#: lock_not_available and query_canceled (a lock wait that ran out): "database is locked"
_LOCKED = frozenset({"55P03", "57014", "40P01"})

#: Seconds to wait for a connection before saying the server cannot be reached (a
#: wrong URL should fail at once, not after store_wait)
CONNECT_TIMEOUT = 10.0

_RETURNING = re.compile(r"\bRETURNING\b", re.I)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.I)


def is_url(db: object) -> bool:
    """Whether `db` names a PostgreSQL database rather than a SQLite file."""
    text = str(db)
    return text.startswith(("postgresql://", "postgres://", "postgresql:/", "postgres:/"))


def normalise_url(db: object) -> str:
    """The URL as psycopg takes it (a pathlib.Path has folded its `//` into `/`)."""
    text = str(db)
    for scheme in ("postgresql:", "postgres:"):
        if text.startswith(scheme) and not text.startswith(scheme + "//"):
            text = scheme + "//" + text[len(scheme) :].lstrip("/")
    return text


def redact(url: str) -> str:
    """The URL without its password, for messages and status pages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    netloc = f"{parts.username}:***@{host}" if parts.username else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class Row(tuple[Any, ...]):
    """A result row readable by index and by column name, like sqlite3.Row."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_ROW_CLASSES: dict[tuple[str, ...], type[Row]] = {}


def _row_class(names: tuple[str, ...]) -> type[Row]:
    cls = _ROW_CLASSES.get(names)
    if cls is None:
        index: dict[str, int] = {}
        for i, name in enumerate(names):
            index.setdefault(name, i)
        cls = type("Row", (Row,), {"__slots__": (), "_names": names, "_index": index})
        _ROW_CLASSES[names] = cls
    return cls


def _as_sqlite_error(exc: Exception) -> sqlite3.Error:
    code = getattr(exc, "sqlstate", None) or ""
    message = str(exc).strip()
    if code.startswith(_INTEGRITY):
        return sqlite3.IntegrityError(message)
    if code in _LOCKED:
        return sqlite3.OperationalError(f"database is locked ({message})")
    if code[:2] in ("42", "22", "0A", "XX", "53", "08", "57", "55"):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


class Cursor:
    """The result of one statement: rows (when it returns any), rowcount, lastrowid."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None = None) -> None:
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Row | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Row]:
        rest = self._rows[self._at :]
        self._at = len(self._rows)
        return rest

    def fetchmany(self, size: int) -> list[Row]:
        part = self._rows[self._at : self._at + size]
        self._at += len(part)
        return part

    def __iter__(self) -> Iterator[Row]:
        while (row := self.fetchone()) is not None:
            yield row


class _Schema:
    """What the translation needs to know of the database: primary keys, identity
    tables, tables with a `rowid` column. Read once per pool, again after migrations."""

    def __init__(self) -> None:
        self.primary_keys: dict[str, tuple[str, ...]] = {}
        self.identity: set[str] = set()
        self.rowid: set[str] = set()
        self.columns: dict[str, set[str]] = {}
        self.cache: dict[str, str] = {}
        #: the database was seen at this storyline's schema version: a later store opened
        #: through the same pool only checks the version (one query), without the lock
        #: and without reading the catalog again
        self.current = False

    def read(self, conn: Any) -> None:
        keys: dict[str, list[str]] = {}
        for table, column in conn.execute(
            "SELECT c.relname, a.attname FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indisprimary AND n.nspname = current_schema() "
            "ORDER BY c.relname, array_position(i.indkey, a.attnum)"
        ).fetchall():
            keys.setdefault(str(table), []).append(str(column))
        self.primary_keys = {t: tuple(c) for t, c in keys.items()}
        rows = conn.execute(
            "SELECT table_name, column_name, is_identity FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        ).fetchall()
        self.identity = {str(t) for t, c, ident in rows if c == "id" and ident == "YES"}
        self.rowid = {str(t) for t, c, _ in rows if c == "rowid"}
        self.columns = {}
        for t, c, _ in rows:
            self.columns.setdefault(str(t), set()).add(str(c))
        self.cache.clear()

    def translate(self, sql: str) -> str:
        out = self.cache.get(sql)
        if out is None:
            out = dialect.statement(sql, self.primary_keys, self.rowid, self.columns)
            self.cache[sql] = out
        return out


class _Pools:
    """One psycopg connection pool (and schema record) per database URL."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pools: dict[str, Any] = {}
        self.schemas: dict[str, _Schema] = {}

    def get(self, url: str, size: int) -> Any:
        with self._lock:
            pool = self._pools.get(url)
            if pool is None:
                try:
                    from psycopg_pool import ConnectionPool
                except ImportError as exc:
                    raise StoreError(
                        "PostgreSQL stores need psycopg",
                        hint="pip install 'storyline[postgres]'",
                    ) from exc
                import psycopg

                # fail at once, with the server's reason, on a wrong URL or a server down
                psycopg.connect(url, connect_timeout=int(CONNECT_TIMEOUT)).close()
                pool = ConnectionPool(
                    url,
                    min_size=1,
                    max_size=max(1, size),
                    timeout=CONNECT_TIMEOUT,
                    kwargs={"autocommit": True},
                    configure=_configure,
                    open=False,
                )
                pool.open(wait=True, timeout=CONNECT_TIMEOUT)
                self._pools[url] = pool
                self.schemas[url] = _Schema()
            return pool

    def close_all(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                with suppress(Exception):
                    pool.close()
            self._pools.clear()
            self.schemas.clear()


POOLS = _Pools()


def _configure(conn: Any) -> None:
    """Numbers come back as SQLite gives them: whole numbers as int, others as float."""
    from psycopg.adapt import Loader

    class _Number(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode()
            return int(text) if text.lstrip("-").isdigit() else float(text)

    conn.adapters.register_loader("numeric", _Number)


class PgConnection:
    """A pooled PostgreSQL connection with sqlite3's calling conventions (see module doc)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, wait: float, pool_size: int) -> None:
        import psycopg

        self.url = url
        self._psycopg = psycopg
        try:
            self._pool = POOLS.get(url, pool_size)
            self._conn = self._pool.getconn(timeout=max(wait, CONNECT_TIMEOUT))
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to {redact(url)} ({exc})",
                hint="check the URL, that the server runs and that the user may connect",
            ) from exc
        except Exception as exc:  # the pool's own timeout class
            raise StoreError(
                f"cannot connect to {redact(url)} ({exc})",
                hint="check the URL, that the server runs and that the user may connect",
            ) from exc
        self.schema = POOLS.schemas[url]
        self._trace: Callable[[str], object] | None = None
        self.set_lock_wait(wait)

    # -- sqlite3's surface ----------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        status = self._conn.info.transaction_status
        return bool(status != self._psycopg.pq.TransactionStatus.IDLE)

    def set_trace_callback(self, trace: Callable[[str], object] | None) -> None:
        """Call `trace` with every statement run (as sqlite3's does; for counting)."""
        self._trace = trace

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        query = self.schema.translate(sql)
        if self._trace is not None:
            self._trace(query)
        table = _INSERT_INTO.match(sql)
        wants_id = (
            table is not None
            and table.group(1).lower() in self.schema.identity
            and not _RETURNING.search(query)
        )
        if wants_id:
            query += " RETURNING id"
        try:
            cur = self._conn.execute(query, _params(params))
            if cur.description is None:
                return Cursor([], cur.rowcount)
            names = tuple(d.name for d in cur.description)
            data = cur.fetchall()
        except self._psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc
        if wants_id:
            return Cursor([], cur.rowcount, int(data[0][0]) if data else None)
        return Cursor(self._rows(sql, names, data), cur.rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        data = [_params(r) for r in rows]
        if not data:
            return Cursor([], 0)
        query = self.schema.translate(sql)
        if self._trace is not None:
            for _ in data:
                self._trace(query)
        shape = _multi_row(query)
        try:
            if shape is not None and len(data) > 1:
                return self._insert_rows(shape, data)
            with self._conn.cursor() as cur:
                cur.executemany(query, data)
                return Cursor([], cur.rowcount)
        except self._psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc

    def _insert_rows(self, shape: tuple[str, str, str], data: list[Any]) -> Cursor:
        """Rows of a plain `INSERT … VALUES` as a few multi-row statements: each row of an
        `executemany` costs psycopg a statement of its own, and an article writes about a
        hundred (mentions, quotes, dates, bands). Same rows, same order, same ids."""
        head, row, tail = shape
        size = max(1, min(MULTI_ROW_MAX, MAX_PARAMS // max(1, row.count("%s"))))
        total = 0
        for start in range(0, len(data), size):
            chunk = data[start : start + size]
            query = head + ", ".join([row] * len(chunk)) + tail
            flat = [value for values in chunk for value in values]
            total += max(0, self._conn.execute(query, flat).rowcount)
        return Cursor([], total)

    def executescript(self, script: str) -> None:
        """Run a script of statements without parameters (a migration), as it is."""
        try:
            self._conn.execute(script.encode())
        except self._psycopg.Error as exc:
            raise _as_sqlite_error(exc) from exc

    def commit(self) -> None:
        """End the open transaction, as sqlite3's commit() does (none open: nothing)."""
        if self.in_transaction:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.execute("ROLLBACK")

    def close(self) -> None:
        if self._conn is None:
            return
        with suppress(Exception):
            if self.in_transaction:
                self._conn.execute("ROLLBACK")
            # a session-level advisory lock (a live ingest's, store/liveness.py) must not
            # go back into the pool with the connection and outlive its holder
            self._conn.execute("SELECT pg_advisory_unlock_all()")
        self._pool.putconn(self._conn)
        self._conn = None

    # -- what only PostgreSQL needs ------------------------------------------------------

    def set_lock_wait(self, seconds: float) -> None:
        """How long a statement waits for a lock before failing as "database is locked"."""
        ms = max(1, int(seconds * 1000))
        self._conn.execute(f"SET lock_timeout = {ms}")

    def refresh_schema(self) -> None:
        self.schema.read(self._conn)

    @staticmethod
    def _rows(sql: str, names: tuple[str, ...], data: list[tuple[Any, ...]]) -> list[Row]:
        """SQLite returns a rowid only when asked by name; PostgreSQL's `SELECT *`
        would include the column that stands for it."""
        if "rowid" in names and "rowid" not in sql.lower():
            keep = [i for i, n in enumerate(names) if n != "rowid"]
            names = tuple(names[i] for i in keep)
            data = [tuple(r[i] for i in keep) for r in data]
        cls = _row_class(names)
        return [cls(_plain(r)) for r in data]


#: rows per multi-row INSERT, and PostgreSQL's limit of parameters per statement
MULTI_ROW_MAX = 500
MAX_PARAMS = 65_535
#: a translated `INSERT INTO t(cols) VALUES (%s, …)`, optionally `ON CONFLICT DO NOTHING`:
#: the statements whose rows may travel in one statement (an upsert may not: two rows
#: with one key in a statement is an error there, where SQLite replaces in order)
_MULTI_ROW = re.compile(
    r"^(INSERT INTO [^;]*?VALUES\s*)(\((?:%s\s*,\s*)*%s\))(\s*ON CONFLICT DO NOTHING)?\s*$",
    re.S,
)
_MULTI_ROW_SHAPES: dict[str, tuple[str, str, str] | None] = {}


def _multi_row(query: str) -> tuple[str, str, str] | None:
    """(head, one row's placeholders, tail) of a statement whose rows can be sent as one
    multi-row statement; None for any other."""
    if query not in _MULTI_ROW_SHAPES:
        m = _MULTI_ROW.match(query)
        _MULTI_ROW_SHAPES[query] = (m.group(1), m.group(2), m.group(3) or "") if m else None
    return _MULTI_ROW_SHAPES[query]


#: What a NUL in a text parameter becomes: PostgreSQL's text cannot hold NUL, and stored
#: text never has one (clean/door.py removes them), so a NUL could match nothing anyway.
NUL_STANDIN = "\ufffd"


def _params(params: Sequence[Any] | None) -> tuple[Any, ...]:
    if params is None:
        return ()
    return tuple(
        p.replace("\x00", NUL_STANDIN) if isinstance(p, str) and "\x00" in p else p for p in params
    )


def _plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """bytea arrives as memoryview in some paths; the store's readers expect bytes."""
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
