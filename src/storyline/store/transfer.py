"""Moving a whole store between engines: SQLite to PostgreSQL and back, losslessly.

Why a copy of rows rather than an export and re-import: an import would analyse and
group again (hours for a large archive, and with today's models, not the stored ones);
the copy keeps every row as it is, ids, analysis, groups, claims, logs and watch state
included, so the copy answers every question as the original did.

The order of the copy follows the foreign keys. Article rows refer to each other
(duplicates, echoes) and to events: they are copied without those links, which are set
once every row is in. SQLite's rowids (insertion order, which lists sort by) are kept:
in PostgreSQL they are the explicit ``rowid`` columns of ``articles`` and
``article_vectors``. The search index is derived from the articles and rebuilt by the
caller on the target (:func:`storyline.search.index.reindex`); the HNSW index file is
derived from the vectors and rebuilt on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.errors import StoreError
from storyline.store.db import Store

#: Every table of schema 13 in an order that satisfies its foreign keys.
TABLES: tuple[str, ...] = (
    "ingest_runs",
    "stories",
    "events",
    "articles",
    "sources",
    "removed_lines",
    "outlet_lines",
    "ingest_errors",
    "entities",
    "entity_aliases",
    "entity_descriptions",
    "entity_merges",
    "entity_name_parts",
    "mentions",
    "quotes",
    "dates",
    "quantities",
    "article_signatures",
    "signature_bands",
    "article_vectors",
    "cluster_log",
    "claims",
    "claim_units",
    "claim_sources",
    "claim_disputes",
    "claim_state",
    "backfills",
    "reanalysis",
    "watch_sources",
    "watch_fetches",
    "watch_items",
    "article_versions",
    "alerts",
    "alert_queue",
    "alert_matches",
)
#: Tables whose SQLite rowid is part of what the store means (order, index keys).
ROWID_TABLES = frozenset({"articles", "article_vectors"})
#: Links between article rows (and to events), set after all rows are in.
LATE_COLUMNS: dict[str, tuple[str, ...]] = {"articles": ("duplicate_of", "echo_of", "event_id")}
#: Tables whose integer `id` the target must go on counting from.
IDENTITY_TABLES = ("ingest_runs", "cluster_log", "watch_sources", "watch_fetches", "alerts")
#: Rows per read and per write.
CHUNK = 2000


@dataclass
class TransferReport:
    """How many rows of each table were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _quoted(name: str) -> str:
    return '"end"' if name == "end" else name


def copy_store(
    source: Store, target: Store, *, on_table: Callable[[str, int], None] | None = None
) -> TransferReport:
    """Copy every row of `source` into the empty store `target` (one transaction)."""
    if source.schema_version != target.schema_version:
        raise StoreError(
            f"{source.name} has schema {source.schema_version}, {target.name} "
            f"{target.schema_version}",
            hint="open both with this storyline version first (it migrates them)",
        )
    if target.count():
        raise StoreError(
            f"{target.name} already holds {target.count()} articles",
            hint="migrate into an empty store (a new file or an empty database)",
        )
    report = TransferReport()
    with target.transaction():
        _clear_seeded(target)
        for table in TABLES:
            report.rows[table] = _copy_table(source, target, table)
            if on_table is not None:
                on_table(table, report.rows[table])
        _set_late_links(source, target)
        if target.is_postgres:
            _continue_counting(target)
    # the planner's statistics: a freshly filled PostgreSQL database has none until
    # autovacuum comes round, and its first queries would scan whole tables meanwhile
    target.conn.execute("ANALYZE")
    return report


def _clear_seeded(target: Store) -> None:
    """Rows a migration itself inserted (the backfill queue) come from the source."""
    target.conn.execute("DELETE FROM backfills")


def _copy_table(source: Store, target: Store, table: str) -> int:
    names = source.column_names(table)
    if names != target.column_names(table):
        raise StoreError(
            f"table {table} differs between {source.name} and {target.name}",
            hint="both stores must have the same schema version",
        )
    late = set(LATE_COLUMNS.get(table, ()))
    read = (["rowid"] if table in ROWID_TABLES else []) + names
    write = [n for n in read if n not in late]
    if table in ROWID_TABLES:
        order = " ORDER BY rowid"
    elif table in IDENTITY_TABLES:
        order = " ORDER BY id"
    else:
        order = ""
    select = f"SELECT {', '.join(map(_quoted, read))} FROM {table}{order}"
    insert = (
        f"INSERT INTO {table}({', '.join(map(_quoted, write))}) "
        f"VALUES ({', '.join('?' * len(write))})"
    )
    keep = [i for i, n in enumerate(read) if n not in late]
    cursor = source.conn.execute(select)
    copied = 0
    while rows := cursor.fetchmany(CHUNK):
        target.conn.executemany(insert, [tuple(r[i] for i in keep) for r in rows])
        copied += len(rows)
    return copied


def _set_late_links(source: Store, target: Store) -> None:
    for table, cols in LATE_COLUMNS.items():
        sets = ", ".join(f"{c} = ?" for c in cols)
        where = " OR ".join(f"{c} IS NOT NULL" for c in cols)
        rows = source.conn.execute(f"SELECT id, {', '.join(cols)} FROM {table} WHERE {where}")
        target.conn.executemany(
            f"UPDATE {table} SET {sets} WHERE id = ?",
            [(*(r[c] for c in cols), r["id"]) for r in rows.fetchall()],
        )


def _continue_counting(target: Store) -> None:
    """PostgreSQL's identity columns go on after the copied ids."""
    for table, column in [(t, "id") for t in IDENTITY_TABLES] + [
        (t, "rowid") for t in sorted(ROWID_TABLES)
    ]:
        target.conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )
