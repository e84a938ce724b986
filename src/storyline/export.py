"""Exports: the store as JSON or JSON Lines, with the export schema named in it.

The shape is documented in docs/export.md. Keys are only ever added under the
same schema name; a removal or change of meaning gets a new schema name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TextIO

from storyline.records import ArticleRecord, EntityRecord, ExportHeader, SectionRecord
from storyline.store import SCHEMA_VERSION, Store
from storyline.store.analysis import all_rows, list_entities
from storyline.stories.read import all_events, all_timelines, list_stories, story_record

EXPORT_SCHEMA = "storyline.export/1"
FORMATS = ("json", "jsonl")


def header(store: Store) -> ExportHeader:
    return {
        "schema": EXPORT_SCHEMA,
        "store_schema_version": SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "article_count": store.count(),
    }


#: Top-level arrays besides "articles", in export order, with their JSONL record type.
SECTIONS = (
    ("entities", "entity"),
    ("mentions", "mention"),
    ("quotes", "quote"),
    ("dates", "date"),
    ("quantities", "quantity"),
    ("events", "event"),
    ("stories", "story"),
    ("timeline", "timeline_entry"),
    ("claims", "claim"),
)


def export_records(store: Store) -> Iterator[ArticleRecord]:
    yield from store.iter_articles()


def section_rows(store: Store, name: str) -> Sequence[SectionRecord]:
    if name == "entities":
        return [_entity(e) for e in list_entities(store)]
    if name == "events":
        return all_events(store)
    if name == "stories":
        return [story_record(store, s["id"]) for s in list_stories(store)]
    if name == "timeline":
        return all_timelines(store)
    if name == "claims":
        from storyline.compare.read import all_claims  # may embed a changed story's sentences

        return all_claims(store)
    return all_rows(store, name)


def _entity(e: EntityRecord) -> EntityRecord:
    """An entity without what the listing adds (its mention count)."""
    return {
        "id": e["id"],
        "name": e["name"],
        "type": e["type"],
        "aliases": e["aliases"],
        "descriptions": e["descriptions"],
        "articles": e["articles"],
    }


def write_export(store: Store, out: TextIO, fmt: str = "json") -> int:
    """Write the whole store to ``out``; returns the number of articles written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    n = 0
    if fmt == "jsonl":
        out.write(json.dumps(header(store), ensure_ascii=False) + "\n")
        for record in export_records(store):
            out.write(json.dumps({"record": "article", **record}, ensure_ascii=False) + "\n")
            n += 1
        for name, kind in SECTIONS:
            for row in section_rows(store, name):
                out.write(json.dumps({"record": kind, **row}, ensure_ascii=False) + "\n")
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
    out.write("\n  ]" if n else "]")
    for name, _kind in SECTIONS:
        rows = section_rows(store, name)
        out.write(f',\n  "{name}": [')
        out.write(",".join("\n    " + json.dumps(r, ensure_ascii=False) for r in rows))
        out.write("\n  ]" if rows else "]")
    out.write("\n}\n")
    return n
