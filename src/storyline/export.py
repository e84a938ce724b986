"""Exports: the store as JSON or JSON Lines, with the export schema named in it.

The shape is documented in docs/export.md. Keys are only ever added under the
same schema name; a removal or change of meaning gets a new schema name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TextIO

from storyline.store import SCHEMA_VERSION, Store

EXPORT_SCHEMA = "storyline.export/1"
FORMATS = ("json", "jsonl")


def header(store: Store) -> dict[str, Any]:
    return {
        "schema": EXPORT_SCHEMA,
        "store_schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "article_count": store.count(),
    }


def export_records(store: Store) -> Iterator[dict[str, Any]]:
    yield from store.iter_articles()


def write_export(store: Store, out: TextIO, fmt: str = "json") -> int:
    """Write the whole store to ``out``; returns the number of articles written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    n = 0
    if fmt == "jsonl":
        out.write(json.dumps(header(store), ensure_ascii=False) + "\n")
        for record in export_records(store):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    head = header(store)
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "articles": [')
    for record in export_records(store):
        out.write(",\n    " if n else "\n    ")
        out.write(json.dumps(record, ensure_ascii=False))
        n += 1
    out.write("\n  ]\n}\n" if n else "]\n}\n")
    return n
