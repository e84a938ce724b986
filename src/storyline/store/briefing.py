"""The briefing's reads (report/data.py): a cluster's articles, entities, roles and quotes.

Why aggregated queries: actors and quotes are counted over the cluster's articles, which
the store does in one or two statements (ids passed as one JSON array through
``json_each``, so a story of thousands of articles is still one statement and never hits
SQLite's variable limit). Copies (``duplicate_of``) are left out of every count.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from storyline.settings import QUOTE_MIN_CONFIDENCE
from storyline.store.analysis import QUOTE_SHOWN
from storyline.store.db import Store

_IDS = "(SELECT value FROM json_each(?))"


def source_list(store: Store, ids: Sequence[str]) -> list[sqlite3.Row]:
    """The articles, oldest first, with the first recorded input each came from (its
    path, and its URL where one was given)."""
    return store.conn.execute(
        "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.published_source, a.url, "
        "a.duplicate_of, a.echo_of, a.event_id AS event, "
        "(SELECT s.source FROM sources s WHERE s.article_id = a.id "
        " ORDER BY s.ingested_at, s.source LIMIT 1) AS source, "
        "(SELECT s.url FROM sources s WHERE s.article_id = a.id AND s.url IS NOT NULL "
        " ORDER BY s.ingested_at, s.source LIMIT 1) AS source_url "
        f"FROM articles a WHERE a.id IN {_IDS} "
        "ORDER BY a.published IS NULL, a.published, a.outlet, a.id",
        (json.dumps(list(ids)),),
    ).fetchall()


def named_entities(store: Store, ids: Sequence[str], limit: int) -> list[sqlite3.Row]:
    """Entities named in most of the articles (originals only), with mention, article and
    outlet counts and the outlets' names (a JSON array)."""
    return store.conn.execute(
        "SELECT e.id, e.name, e.type, count(*) AS mentions, "
        "count(DISTINCT m.article_id) AS articles, count(DISTINCT a.outlet) AS outlets, "
        "json_group_array(DISTINCT a.outlet) AS outlet_names "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "JOIN articles a ON a.id = m.article_id "
        f"WHERE m.article_id IN {_IDS} AND a.duplicate_of IS NULL "
        "GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name LIMIT ?",
        (json.dumps(list(ids)), limit),
    ).fetchall()


def descriptions(store: Store, ids: Sequence[str], entity_ids: Sequence[str]) -> list[sqlite3.Row]:
    """How the articles describe the entities (entity_id, description, n), most often first."""
    return store.conn.execute(
        "SELECT d.entity_id, d.description, count(*) AS n FROM entity_descriptions d "
        f"WHERE d.article_id IN {_IDS} AND d.entity_id IN {_IDS} "
        "GROUP BY d.entity_id, d.description ORDER BY n DESC, length(d.description), d.description",
        (json.dumps(list(ids)), json.dumps(list(entity_ids))),
    ).fetchall()


def shown_quotes(store: Store, ids: Sequence[str]) -> list[sqlite3.Row]:
    """The quotes of the articles (originals) sure enough to show, oldest article first."""
    return store.conn.execute(
        "SELECT q.article_id AS article, q.start, q.text, q.kind, q.speaker, q.speaker_name, "
        "q.via, a.outlet, a.published, e.name AS entity_name "
        "FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN entities e ON e.id = q.speaker "
        f"WHERE q.article_id IN {_IDS} AND a.duplicate_of IS NULL AND {QUOTE_SHOWN} "
        "ORDER BY a.published IS NULL, a.published, q.article_id, q.start",
        (json.dumps(list(ids)), store.config[QUOTE_MIN_CONFIDENCE]),
    ).fetchall()
