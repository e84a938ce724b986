"""The band index of near-duplicate detection (stories/dedupe.py): which stored originals
share a band of their MinHash signature with a new article."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from storyline.store.db import Store, now

#: originals whose bands are computed per transaction when an older store is filled
BACKFILL_CHUNK = 5000
_BACKFILL = "signature_bands"


def band_candidates(store: Store, keys: Sequence[int]) -> list[tuple[str, bytes]]:
    """Originals (not themselves duplicates) sharing a band key, oldest first, with their
    signatures."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    rows = store.conn.execute(
        "SELECT a.id, s.minhash FROM articles a JOIN article_signatures s ON s.article_id = a.id "
        "WHERE a.duplicate_of IS NULL AND a.id IN "
        f"(SELECT article_id FROM signature_bands WHERE band IN ({marks})) ORDER BY a.rowid",
        list(keys),
    )
    return [(str(r[0]), bytes(r[1])) for r in rows]


def save_bands(store: Store, article_id: str, keys: Sequence[int]) -> None:
    store.conn.executemany(
        "INSERT OR IGNORE INTO signature_bands(band, article_id) VALUES (?, ?)",
        [(k, article_id) for k in keys],
    )


def backfill_bands(store: Store, keys_of: Callable[[bytes], Sequence[int]]) -> int:
    """Bands of every stored original, once per store (stores filled before the band index
    existed); each chunk in its own transaction with its progress, so an interrupted
    backfill resumes. Returns how many originals it indexed."""
    row = store.conn.execute(
        "SELECT progress FROM backfills WHERE name = ? AND done_at IS NULL", (_BACKFILL,)
    ).fetchone()
    if row is None:
        return 0
    after, done = int(row[0]), 0
    while True:
        with store.transaction():
            rows = store.conn.execute(
                "SELECT a.rowid, s.article_id, s.minhash FROM articles a JOIN article_signatures s "
                "ON s.article_id = a.id WHERE a.rowid > ? AND a.duplicate_of IS NULL "
                "ORDER BY a.rowid LIMIT ?",
                (after, BACKFILL_CHUNK),
            ).fetchall()
            for _, article_id, blob in rows:
                save_bands(store, str(article_id), keys_of(bytes(blob)))
            done += len(rows)
            after = int(rows[-1][0]) if rows else after
            finished = len(rows) < BACKFILL_CHUNK
            store.conn.execute(
                "UPDATE backfills SET progress = ?, done_at = ? WHERE name = ?",
                (after, now() if finished else None, _BACKFILL),
            )
        if finished:
            return done
