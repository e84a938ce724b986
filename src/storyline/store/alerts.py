"""The SQL of alerts: the alerts, the queue of articles to check, matches and deliveries.

Why a queue table: an article is queued in the transaction that stores it (by watch or
any ingest through watch), and taken off the queue in the transaction that records its
matches; a crash between the two checks it again, and the match table's key (alert,
article) keeps a second check from firing twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from storyline.errors import NotFoundError
from storyline.store.db import Store, now

#: Matches shown by `storyline status` and the watch page.
RECENT_MATCHES = 10


@dataclass(frozen=True)
class Alert:
    """What to look for (an entity, a query or a story), how to deliver it, how often."""

    id: int
    kind: str  #: entity, query or story
    value: str
    min_sources: int
    deliver: str  #: stdout, jsonl:PATH, webhook:URL or email:ADDRESS
    digest: str | None  #: None (at once), hourly or daily
    last_digest_at: str | None
    created_at: str

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "min_sources": self.min_sources,
            "deliver": self.deliver,
            "digest": self.digest,
            "last_digest_at": self.last_digest_at,
            "created_at": self.created_at,
        }


def _alert(row: sqlite3.Row) -> Alert:
    return Alert(
        id=int(row["id"]),
        kind=str(row["kind"]),
        value=str(row["value"]),
        min_sources=int(row["min_sources"]),
        deliver=str(row["deliver"]),
        digest=row["digest"],
        last_digest_at=row["last_digest_at"],
        created_at=str(row["created_at"]),
    )


def add_alert(
    store: Store, kind: str, value: str, min_sources: int, deliver: str, digest: str | None
) -> Alert:
    with store.transaction(join=True):
        cur = store.conn.execute(
            "INSERT INTO alerts(kind, value, min_sources, deliver, digest, last_digest_at, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, value, min_sources, deliver, digest, now(), now()),
        )
    return get_alert(store, int(cur.lastrowid or 0))


def get_alert(store: Store, alert_id: int) -> Alert:
    row = store.conn.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no alert {alert_id}", hint="see 'storyline alert list'")
    return _alert(row)


def list_alerts(store: Store) -> list[Alert]:
    return [_alert(r) for r in store.conn.execute("SELECT * FROM alerts ORDER BY id")]


def remove_alert(store: Store, alert_id: int) -> None:
    with store.transaction(join=True):
        cur = store.conn.execute("DELETE FROM alerts WHERE id = ?", (alert_id,))
    if cur.rowcount == 0:
        raise NotFoundError(f"no alert {alert_id}", hint="see 'storyline alert list'")


def queue_articles(store: Store, article_ids: Sequence[str]) -> None:
    """Queue articles for the alerts (inside the caller's transaction if one is open)."""
    with store.transaction(join=True):
        store.conn.executemany(
            "INSERT OR IGNORE INTO alert_queue(article_id, queued_at) VALUES (?, ?)",
            [(a, now()) for a in article_ids],
        )


def queued(store: Store) -> list[str]:
    rows = store.conn.execute("SELECT article_id FROM alert_queue ORDER BY queued_at, article_id")
    return [str(r[0]) for r in rows]


def dequeue(store: Store, article_ids: Sequence[str]) -> None:
    store.conn.executemany(
        "DELETE FROM alert_queue WHERE article_id = ?", [(a,) for a in article_ids]
    )


@dataclass(frozen=True)
class CheckedArticle:
    """What an alert needs to know about one article."""

    id: str
    title: str | None
    text: str
    lang: str | None
    outlet: str | None
    url: str | None
    story_id: str | None
    duplicate_of: str | None


def checked_article(store: Store, article_id: str) -> CheckedArticle | None:
    row = store.conn.execute(
        "SELECT a.id, a.title, a.text, a.lang, a.outlet, a.url, e.story_id, a.duplicate_of "
        "FROM articles a LEFT JOIN events e ON e.id = a.event_id WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    return CheckedArticle(*(row[i] for i in range(8)))


def entity_mentions(store: Store, article_id: str, entity_ids: Sequence[str]) -> list[int]:
    """Start offsets of the article's mentions of any of the entities, in text order."""
    if not entity_ids:
        return []
    marks = ",".join("?" * len(entity_ids))
    rows = store.conn.execute(
        f"SELECT start FROM mentions WHERE article_id = ? AND entity_id IN ({marks}) "
        "ORDER BY start",
        (article_id, *entity_ids),
    )
    return [int(r[0]) for r in rows]


def story_outlets(store: Store, story_id: str) -> int:
    """Distinct outlets among a story's original articles (duplicates do not count)."""
    row = store.conn.execute(
        "SELECT count(DISTINCT coalesce(a.outlet, a.id)) FROM articles a "
        "JOIN events e ON e.id = a.event_id WHERE e.story_id = ? AND a.duplicate_of IS NULL",
        (story_id,),
    ).fetchone()
    return int(row[0])


def add_match(
    store: Store, alert_id: int, article_id: str, sentence: str, story_id: str | None
) -> bool:
    """Record a match; False when this alert already matched this article."""
    cur = store.conn.execute(
        "INSERT OR IGNORE INTO alert_matches(alert_id, article_id, sentence, story_id, "
        "matched_at) VALUES (?, ?, ?, ?, ?)",
        (alert_id, article_id, sentence, story_id, now()),
    )
    return cur.rowcount > 0


@dataclass(frozen=True)
class Match:
    """One match waiting for (or done with) delivery, with what the message shows."""

    alert_id: int
    article_id: str
    sentence: str
    story_id: str | None
    matched_at: str
    title: str | None
    outlet: str | None
    url: str | None
    attempts: int
    delivered_at: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "alert": self.alert_id,
            "article": self.article_id,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "sentence": self.sentence,
            "story": self.story_id,
            "matched_at": self.matched_at,
            "delivered_at": self.delivered_at,
        }


_MATCH_SELECT = (
    "SELECT m.alert_id, m.article_id, m.sentence, m.story_id, m.matched_at, a.title, "
    "a.outlet, a.url, m.attempts, m.delivered_at FROM alert_matches m "
    "JOIN articles a ON a.id = m.article_id "
)


def _match(row: sqlite3.Row) -> Match:
    return Match(*(row[i] for i in range(10)))


def pending_matches(store: Store, alert_id: int, max_attempts: int) -> list[Match]:
    rows = store.conn.execute(
        _MATCH_SELECT + "WHERE m.alert_id = ? AND m.delivered_at IS NULL AND m.attempts < ? "
        "ORDER BY m.matched_at, m.article_id",
        (alert_id, max_attempts),
    )
    return [_match(r) for r in rows]


def recent_matches(store: Store, limit: int = RECENT_MATCHES) -> list[Match]:
    rows = store.conn.execute(
        _MATCH_SELECT + "ORDER BY m.matched_at DESC, m.article_id LIMIT ?", (limit,)
    )
    return [_match(r) for r in rows]


def delivered(store: Store, alert_id: int, article_ids: Sequence[str]) -> None:
    with store.transaction(join=True):
        store.conn.executemany(
            "UPDATE alert_matches SET delivered_at = ?, attempts = attempts + 1, "
            "last_error = NULL WHERE alert_id = ? AND article_id = ?",
            [(now(), alert_id, a) for a in article_ids],
        )


def delivery_failed(store: Store, alert_id: int, article_ids: Sequence[str], error: str) -> None:
    with store.transaction(join=True):
        store.conn.executemany(
            "UPDATE alert_matches SET attempts = attempts + 1, last_error = ? "
            "WHERE alert_id = ? AND article_id = ?",
            [(error, alert_id, a) for a in article_ids],
        )


def digest_sent(store: Store, alert_id: int, at: datetime | None = None) -> None:
    with store.transaction(join=True):
        store.conn.execute(
            "UPDATE alerts SET last_digest_at = ? WHERE id = ?",
            ((at or datetime.now(UTC)).isoformat(timespec="seconds"), alert_id),
        )
