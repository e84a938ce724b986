"""The SQL of `storyline watch` and alerts: sources, fetch log, items seen, versions, alerts.

Why the state lives in the store and not in a side file: an item is marked seen in the
same transaction that writes its article (ingest's `on_written`), so a crash or
``kill -9`` between two batches neither loses a committed article nor fetches it twice
as new; a source's ETag and Last-Modified are written only after its items are stored,
so a crash after the feed fetch makes the next run read the feed again instead of
getting a 304 and forgetting what the feed held.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storyline.errors import NotFoundError
from storyline.store.db import Store, now

#: How many fetch-log lines `recent_fetches` returns by default.
RECENT_FETCHES = 20
#: URLs per IN (...) look-up: well under SQLite's limit of bound parameters.
LOOKUP_CHUNK = 500


def _when(at: datetime | None) -> str:
    return (at or datetime.now(UTC)).isoformat(timespec="seconds")


@dataclass(frozen=True)
class WatchSource:
    """One followed feed, sitemap or page and its health."""

    id: int
    url: str
    kind: str
    every_s: int
    name: str | None
    ignore_robots: bool
    origin: str
    etag: str | None
    last_modified: str | None
    failures: int
    paused_reason: str | None
    next_due: str
    last_ok: str | None
    last_error: str | None
    created_at: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "url": self.url,
            "kind": self.kind,
            "every_s": self.every_s,
            "name": self.name,
            "ignore_robots": self.ignore_robots,
            "origin": self.origin,
            "failures": self.failures,
            "paused": self.paused_reason is not None,
            "paused_reason": self.paused_reason,
            "next_due": self.next_due,
            "last_ok": self.last_ok,
            "last_error": self.last_error,
            "created_at": self.created_at,
        }


def _source(row: sqlite3.Row) -> WatchSource:
    return WatchSource(
        id=int(row["id"]),
        url=str(row["url"]),
        kind=str(row["kind"]),
        every_s=int(row["every_s"]),
        name=row["name"],
        ignore_robots=bool(row["ignore_robots"]),
        origin=str(row["origin"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        failures=int(row["failures"]),
        paused_reason=row["paused_reason"],
        next_due=str(row["next_due"]),
        last_ok=row["last_ok"],
        last_error=row["last_error"],
        created_at=str(row["created_at"]),
    )


def add_source(
    store: Store,
    url: str,
    every_s: int,
    *,
    name: str | None = None,
    ignore_robots: bool = False,
    origin: str = "cli",
    kind: str = "auto",
) -> tuple[WatchSource, bool]:
    """Add a source (due at once); an existing one with the same URL is updated instead.
    Returns the source and whether it is new."""
    with store.transaction(join=True):
        found = store.conn.execute("SELECT id FROM watch_sources WHERE url = ?", (url,)).fetchone()
        if found is None:
            store.conn.execute(
                "INSERT INTO watch_sources(url, kind, every_s, name, ignore_robots, origin, "
                "next_due, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (url, kind, every_s, name, int(ignore_robots), origin, now(), now()),
            )
        else:
            store.conn.execute(
                "UPDATE watch_sources SET every_s = ?, name = coalesce(?, name), "
                "ignore_robots = ?, paused_reason = NULL, failures = 0 WHERE id = ?",
                (every_s, name, int(ignore_robots), int(found[0])),
            )
    return get_source(store, url), found is None


def get_source(store: Store, ref: str | int) -> WatchSource:
    """A source by id or by its (normalised) URL."""
    if isinstance(ref, int) or str(ref).isdigit():
        row = store.conn.execute("SELECT * FROM watch_sources WHERE id = ?", (int(ref),)).fetchone()
    else:
        row = store.conn.execute("SELECT * FROM watch_sources WHERE url = ?", (ref,)).fetchone()
    if row is None:
        raise NotFoundError(f"no watched source {ref!r}", hint="see 'storyline watch list'")
    return _source(row)


def source_by_url(store: Store, url: str) -> WatchSource | None:
    row = store.conn.execute("SELECT * FROM watch_sources WHERE url = ?", (url,)).fetchone()
    return None if row is None else _source(row)


def list_sources(store: Store) -> list[WatchSource]:
    rows = store.conn.execute("SELECT * FROM watch_sources ORDER BY id").fetchall()
    return [_source(r) for r in rows]


def remove_source(store: Store, source_id: int) -> None:
    with store.transaction(join=True):
        cur = store.conn.execute("DELETE FROM watch_sources WHERE id = ?", (source_id,))
    if cur.rowcount == 0:
        raise NotFoundError(f"no watched source {source_id}", hint="see 'storyline watch list'")


def due_sources(store: Store, at: datetime | None = None) -> list[WatchSource]:
    """Sources not paused whose next fetch is due, the longest waiting first."""
    rows = store.conn.execute(
        "SELECT * FROM watch_sources WHERE paused_reason IS NULL AND next_due <= ? "
        "ORDER BY next_due, id",
        (_when(at),),
    ).fetchall()
    return [_source(r) for r in rows]


def make_all_due(store: Store) -> None:
    """Every source not paused is due now (`watch run --once --all`)."""
    with store.transaction(join=True):
        store.conn.execute(
            "UPDATE watch_sources SET next_due = ? WHERE paused_reason IS NULL", (now(),)
        )


def next_due(store: Store) -> str | None:
    row = store.conn.execute(
        "SELECT min(next_due) FROM watch_sources WHERE paused_reason IS NULL"
    ).fetchone()
    return None if row[0] is None else str(row[0])


def source_ok(
    store: Store,
    source: WatchSource,
    *,
    kind: str,
    etag: str | None,
    last_modified: str | None,
    at: datetime | None = None,
) -> None:
    """A successful poll: validators kept, failures reset, next poll scheduled."""
    moment = at or datetime.now(UTC)
    with store.transaction(join=True):
        store.conn.execute(
            "UPDATE watch_sources SET kind = ?, etag = ?, last_modified = ?, failures = 0, "
            "last_ok = ?, last_error = NULL, next_due = ? WHERE id = ?",
            (
                kind,
                etag,
                last_modified,
                _when(moment),
                _when(moment + timedelta(seconds=source.every_s)),
                source.id,
            ),
        )


def source_failed(
    store: Store, source: WatchSource, error: str, pause_after: int, at: datetime | None = None
) -> str | None:
    """A failed poll: failures counted; at `pause_after` in a row the source is paused with
    the reason. Returns the pause reason when it was paused now."""
    moment = at or datetime.now(UTC)
    failures = source.failures + 1
    reason = None
    if failures >= pause_after:
        reason = f"paused after {failures} failures in a row; last: {error}"
    with store.transaction(join=True):
        store.conn.execute(
            "UPDATE watch_sources SET failures = ?, last_error = ?, paused_reason = ?, "
            "next_due = ? WHERE id = ?",
            (
                failures,
                error,
                reason,
                _when(moment + timedelta(seconds=source.every_s)),
                source.id,
            ),
        )
    return reason


def resume_source(store: Store, source_id: int) -> None:
    with store.transaction(join=True):
        store.conn.execute(
            "UPDATE watch_sources SET paused_reason = NULL, failures = 0, next_due = ? "
            "WHERE id = ?",
            (now(), source_id),
        )


# -- fetch log -------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchRecord:
    """One fetch as the log keeps it (after retries and redirects)."""

    url: str
    purpose: str  #: source, article or robots
    status: int | None
    bytes: int
    elapsed_ms: int
    attempts: int = 1
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()
    error: str | None = None
    source_id: int | None = None
    fetched_at: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "purpose": self.purpose,
            "status": self.status,
            "bytes": self.bytes,
            "elapsed_ms": self.elapsed_ms,
            "attempts": self.attempts,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "redirects": list(self.redirects),
            "error": self.error,
            "source": self.source_id,
            "fetched_at": self.fetched_at,
        }


def log_fetch(store: Store, record: FetchRecord) -> None:
    with store.transaction(join=True):
        store.conn.execute(
            "INSERT INTO watch_fetches(source_id, url, purpose, status, bytes, elapsed_ms, "
            "attempts, etag, last_modified, redirects, error, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.source_id,
                record.url,
                record.purpose,
                record.status,
                record.bytes,
                record.elapsed_ms,
                record.attempts,
                record.etag,
                record.last_modified,
                json.dumps(list(record.redirects)),
                record.error,
                record.fetched_at or now(),
            ),
        )


def recent_fetches(
    store: Store, source_id: int | None = None, limit: int = RECENT_FETCHES
) -> list[FetchRecord]:
    sql = "SELECT * FROM watch_fetches"
    args: list[object] = []
    if source_id is not None:
        sql += " WHERE source_id = ?"
        args.append(source_id)
    rows = store.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
    return [
        FetchRecord(
            url=str(r["url"]),
            purpose=str(r["purpose"]),
            status=r["status"],
            bytes=int(r["bytes"]),
            elapsed_ms=int(r["elapsed_ms"]),
            attempts=int(r["attempts"]),
            etag=r["etag"],
            last_modified=r["last_modified"],
            redirects=tuple(json.loads(r["redirects"])),
            error=r["error"],
            source_id=r["source_id"],
            fetched_at=str(r["fetched_at"]),
        )
        for r in rows
    ]


# -- items seen and versions -----------------------------------------------------------


@dataclass(frozen=True)
class SeenItem:
    url: str
    entry_hash: str | None
    content_hash: str | None
    article_id: str | None
    tries: int


def seen_items(store: Store, urls: Sequence[str]) -> dict[str, SeenItem]:
    out: dict[str, SeenItem] = {}
    unique = sorted(set(urls))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        rows = store.conn.execute(
            "SELECT url, entry_hash, content_hash, article_id, tries FROM watch_items "
            f"WHERE url IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for r in rows:
            out[str(r[0])] = SeenItem(str(r[0]), r[1], r[2], r[3], int(r[4]))
    return out


def item_failed(store: Store, url: str, link: str, source_id: int, error: str) -> int:
    """An item whose page could not be fetched: tried again on later polls until it has
    failed too often. Returns its tries so far."""
    with store.transaction(join=True):
        store.conn.execute(
            "INSERT INTO watch_items(url, source_id, link, error, tries, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "error = excluded.error, tries = tries + 1, last_seen = excluded.last_seen",
            (url, source_id, link, error, now(), now()),
        )
        row = store.conn.execute("SELECT tries FROM watch_items WHERE url = ?", (url,)).fetchone()
    return int(row[0])


def item_unchanged(store: Store, url: str, entry_hash: str | None) -> None:
    """The item's page is as before: only its feed signal is remembered."""
    store.conn.execute(
        "UPDATE watch_items SET entry_hash = ?, last_seen = ? WHERE url = ?",
        (entry_hash, now(), url),
    )


def item_written(
    store: Store,
    *,
    url: str,
    link: str,
    source_id: int,
    entry_hash: str | None,
    content_hash: str,
    article_id: str | None,
    error: str | None,
) -> bool:
    """Record an item inside the transaction that wrote its article (or its failure).

    A new article for a URL that had another one is a new version; the old stays. Returns
    whether the article is new for this URL (a new item or a new version), which queues it
    for the alerts."""
    conn = store.conn
    conn.execute(
        "INSERT INTO watch_items(url, source_id, link, entry_hash, content_hash, article_id, "
        "error, tries, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) "
        "ON CONFLICT(url) DO UPDATE SET entry_hash = excluded.entry_hash, "
        "content_hash = excluded.content_hash, "
        "article_id = coalesce(excluded.article_id, article_id), error = excluded.error, "
        "last_seen = excluded.last_seen",
        (url, source_id, link, entry_hash, content_hash, article_id, error, now(), now()),
    )
    if article_id is None:
        return False
    last = conn.execute(
        "SELECT version, article_id FROM article_versions WHERE url = ? "
        "ORDER BY version DESC LIMIT 1",
        (url,),
    ).fetchone()
    if last is not None and last[1] == article_id:
        return False
    conn.execute(
        "INSERT INTO article_versions(url, version, article_id, content_hash, fetched_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (url, 1 if last is None else int(last[0]) + 1, article_id, content_hash, now()),
    )
    conn.execute(
        "INSERT OR IGNORE INTO alert_queue(article_id, queued_at) VALUES (?, ?)",
        (article_id, now()),
    )
    return True


@dataclass(frozen=True)
class Version:
    url: str
    version: int
    article_id: str
    content_hash: str
    fetched_at: str


def versions(store: Store, url: str) -> list[Version]:
    rows = store.conn.execute(
        "SELECT url, version, article_id, content_hash, fetched_at FROM article_versions "
        "WHERE url = ? ORDER BY version",
        (url,),
    )
    return [Version(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]


@dataclass(frozen=True)
class WatchCounts:
    sources: int
    paused: int
    items: int
    versions: int
    fetches: int


def counts(store: Store) -> WatchCounts:
    one = store.conn.execute
    return WatchCounts(
        sources=int(one("SELECT count(*) FROM watch_sources").fetchone()[0]),
        paused=int(
            one("SELECT count(*) FROM watch_sources WHERE paused_reason IS NOT NULL").fetchone()[0]
        ),
        items=int(one("SELECT count(*) FROM watch_items").fetchone()[0]),
        versions=int(one("SELECT count(*) FROM article_versions").fetchone()[0]),
        fetches=int(one("SELECT count(*) FROM watch_fetches").fetchone()[0]),
    )
