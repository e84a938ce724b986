"""Writing and reading the analysis of stored articles.

An article's entities are linked to the store's by :mod:`storyline.store.entities`
(which logs every merge with its reason); this module writes the rest of the analysis
and reads it back for the interfaces.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Literal, cast, overload

from storyline.analyse.model import Analysis, Entity
from storyline.analyse.names import name_key, name_parts, part_key
from storyline.analyse.resolve import described_entity
from storyline.analyse.resolve_known import (
    group_keys,
)
from storyline.errors import NotFoundError
from storyline.records import (
    AnalysisRecord,
    ArticleAnalysis,
    DateRecord,
    EntityListing,
    EntityMerge,
    EntityRecord,
    MentionRecord,
    QuantityRecord,
    QuoteRecord,
    SpeakerQuote,
)
from storyline.settings import QUOTE_MIN_CONFIDENCE
from storyline.store.db import Store, now
from storyline.store.entities import link_entity


def save_analysis(store: Store, article_id: str, analysis: Analysis, profile: str) -> None:
    """Replace the stored analysis of one article (call inside a transaction); `profile`
    (accurate or fast) is recorded so that a later re-analysis knows what made it."""
    conn = store.conn
    for table in ("mentions", "quotes", "dates", "quantities"):
        conn.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
    ids = {e.id: link_entity(store, e, article_id) for e in analysis.entities}
    conn.executemany(
        "INSERT OR IGNORE INTO mentions(article_id, start, end, text, label, entity_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (article_id, m.start, m.end, m.text, m.label, ids.get(m.entity or ""))
            for m in analysis.mentions
        ],
    )
    roles = _roles(conn, analysis, ids)
    conn.executemany(
        "INSERT OR IGNORE INTO quotes(article_id, start, end, text, kind, speaker, speaker_name, "
        "cue, via, confidence, speaker_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                article_id,
                q.start,
                q.end,
                q.text,
                q.kind,
                ids.get(q.speaker or "") or described_entity(q.speaker_name or "", roles),
                q.speaker_name,
                q.cue,
                q.via,
                q.confidence,
                q.speaker_kind,
            )
            for q in analysis.quotes
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO dates(article_id, start, end, text, value, precision) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, d.start, d.end, d.text, d.value, d.precision) for d in analysis.dates],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO quantities(article_id, start, end, text, value, unit, counted, "
        "hedge) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, q.start, q.end, q.text, q.value, q.unit, q.counted, q.hedge)
            for q in analysis.quantities
        ],
    )
    _retype(conn, set(ids.values()))
    conn.execute(
        "UPDATE articles SET analysed_at=?, profile=? WHERE id=?", (now(), profile, article_id)
    )


def _roles(conn: sqlite3.Connection, analysis: Analysis, ids: dict[str, str]) -> list[Entity]:
    """The article's people (store ids) with every role the store knows for them, so a
    quote attributed to a role ("sagte der nordkoreanische Führer") finds its speaker."""
    if not any(q.speaker is None and q.speaker_name for q in analysis.quotes):
        return []
    out = []
    for e in analysis.entities:
        if e.type != "PER" or e.id not in ids:
            continue
        stored = [
            str(r[0])
            for r in conn.execute(
                "SELECT DISTINCT description FROM entity_descriptions WHERE entity_id=?",
                (ids[e.id],),
            )
        ]
        out.append(Entity(ids[e.id], e.name, "PER", [], [*e.descriptions, *stored]))
    return out


#: mentions read to settle an entity's type (see `_retype`)
RETYPE_SAMPLE = 2000


def _retype(conn: sqlite3.Connection, entity_ids: set[str]) -> None:
    """An entity's type is the majority label of its mentions across the store (MISC last),
    read from at most `RETYPE_SAMPLE` of them: a popular entity's type is settled, and
    counting all its mentions for every added article would grow with the store."""
    for eid in entity_ids:
        rows = conn.execute(
            "SELECT label, count(*) AS n FROM (SELECT label FROM mentions WHERE entity_id=? "
            "LIMIT ?) sample GROUP BY label ORDER BY label = 'MISC', n DESC, label",
            (eid, RETYPE_SAMPLE),
        ).fetchall()
        if rows:
            conn.execute("UPDATE entities SET type=? WHERE id=?", (rows[0]["label"], eid))


def unanalysed(store: Store) -> list[str]:
    rows = store.conn.execute("SELECT id FROM articles WHERE analysed_at IS NULL ORDER BY rowid")
    return [str(r[0]) for r in rows]


def queue_reanalysis(store: Store) -> int:
    """Put every stored article in the re-analysis queue (unless a re-analysis is still
    queued: that one is resumed, not restarted); returns the queue's length."""
    if not pending_reanalysis(store):
        store.conn.execute("INSERT OR IGNORE INTO reanalysis SELECT id FROM articles")
    return len(pending_reanalysis(store))


def pending_reanalysis(store: Store) -> list[str]:
    """Articles a re-analysis has still to do, oldest first."""
    rows = store.conn.execute(
        "SELECT r.article_id FROM reanalysis r JOIN articles a ON a.id = r.article_id "
        "ORDER BY a.rowid"
    )
    return [str(r[0]) for r in rows]


def reanalysed(store: Store, article_ids: Sequence[str]) -> None:
    """Take analysed articles out of the queue (in the transaction that stores them)."""
    store.conn.executemany(
        "DELETE FROM reanalysis WHERE article_id = ?", [(a,) for a in article_ids]
    )


def analysis_input(store: Store, article_id: str) -> tuple[str, str | None, str | None]:
    """(text, lang, published) of a stored article, as analysis reads it."""
    row = store.conn.execute(
        "SELECT text, lang, published FROM articles WHERE id=?", (article_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article {article_id}", hint="see 'storyline list'")
    return str(row["text"] or ""), row["lang"], row["published"]


# -- reading ----------------------------------------------------------------------


#: A name part this short ("Li", "Un") finds entities only by a whole alias, not as a part.
MIN_PART_MATCH = 3


def matching_entity_ids(store: Store, name: str) -> list[str]:
    """Entities any of whose written forms matches ``name``, most mentioned first.

    A match is the same name key ("Peskov" = "Peskow"), a form the table of known names
    lists with it ("United States" finds "USA"), or, for a single word, the first or
    last part of a stored form ("Peskov" finds "Dmitri Peskow" although no article
    wrote the surname alone).
    """
    key = name_key(name)
    if not key:
        return []
    keys = {key} | group_keys(name)
    select = (
        "SELECT a.entity_id, a.alias, a.alias_key, "
        "(SELECT count(*) FROM mentions m WHERE m.entity_id = a.entity_id) AS n "
        "FROM entity_aliases a WHERE "
    )
    rows = store.conn.execute(
        select + f"a.alias_key IN ({','.join('?' * len(keys))})", sorted(keys)
    ).fetchall()
    if len(name_parts(name)) == 1 and len(key) >= MIN_PART_MATCH:
        # A name part: a scan of the keys (no index finds a key inside another).
        rows += store.conn.execute(select + "instr(a.alias_key, ?) > 0", [key]).fetchall()
    rows.sort(key=lambda r: (-r["n"], r["entity_id"]))
    out: list[str] = []
    for r in rows:
        parts = [part_key(p) for p in name_parts(r["alias"])]
        hit = r["alias_key"] in keys or (bool(parts) and key in (parts[0], parts[-1]))
        if hit and r["entity_id"] not in out:
            out.append(str(r["entity_id"]))
    return out


def list_entities(
    store: Store, etype: str | None = None, name: str | None = None
) -> list[EntityListing]:
    sql = (
        "SELECT e.id, e.name, e.type, (SELECT count(*) FROM mentions m WHERE m.entity_id=e.id)"
        " AS mentions FROM entities e"
    )
    args: list[str] = []
    where = []
    if etype:
        where.append("e.type = ?")
        args.append(etype.upper())
    if name:
        ids = matching_entity_ids(store, name)
        where.append(
            f"(e.id IN ({','.join('?' * len(ids))}) "
            "OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias LIKE ?))"
        )
        args += [*ids, f"%{name}%"]
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY mentions DESC, e.name"
    out: list[EntityListing] = []
    for r in store.conn.execute(sql, args).fetchall():
        record = entity_record(store, str(r["id"])) | {"mention_count": r["mentions"]}
        out.append(cast(EntityListing, record))
    return out


def entity_record(store: Store, entity_id: str) -> EntityRecord:
    conn = store.conn
    row = conn.execute("SELECT * FROM entities WHERE id=?", (entity_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no entity with id {entity_id!r}", hint="see 'storyline entities'")
    aliases = [
        r[0]
        for r in conn.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id=? AND alias<>? ORDER BY alias",
            (entity_id, row["name"]),
        )
    ]
    descriptions = [
        r[0]
        for r in conn.execute(
            "SELECT description FROM entity_descriptions WHERE entity_id=? GROUP BY description "
            "ORDER BY count(*) DESC, description",
            (entity_id,),
        )
    ]
    articles = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT article_id FROM mentions WHERE entity_id=? ORDER BY article_id",
            (entity_id,),
        )
    ]
    return {
        "id": entity_id,
        "name": row["name"],
        "type": row["type"],
        "aliases": aliases,
        "descriptions": descriptions,
        "articles": articles,
    }


def explain_entity(store: Store, name: str) -> list[EntityListing]:
    """Entities matching a name, each with every merge and its reason."""
    found = list_entities(store, name=name)
    for ent in found:
        ent["merges"] = [
            cast(EntityMerge, dict(r))
            for r in store.conn.execute(
                "SELECT alias, reason, article_id, created_at FROM entity_merges WHERE entity_id=? "
                "ORDER BY created_at, alias",
                (ent["id"],),
            )
        ]
    return found


def article_analysis(store: Store, article_id: str) -> ArticleAnalysis:
    conn = store.conn
    out: dict[str, list[dict[str, Any]]] = {}
    for table, cols in (
        ("mentions", "start, end, text, label, entity_id AS entity"),
        (
            "quotes",
            "start, end, text, kind, speaker, speaker_name, cue, via, confidence, speaker_kind",
        ),
        ("dates", "start, end, text, value, precision"),
        ("quantities", "start, end, text, value, unit, counted, hedge"),
    ):
        out[table] = [
            dict(r)
            for r in conn.execute(
                f"SELECT {cols} FROM {table} WHERE article_id=? ORDER BY start", (article_id,)
            )
        ]
    return cast(ArticleAnalysis, out)


@overload
def all_rows(store: Store, table: Literal["mentions"]) -> list[MentionRecord]: ...
@overload
def all_rows(store: Store, table: Literal["quotes"]) -> list[QuoteRecord]: ...
@overload
def all_rows(store: Store, table: Literal["dates"]) -> list[DateRecord]: ...
@overload
def all_rows(store: Store, table: Literal["quantities"]) -> list[QuantityRecord]: ...
@overload
def all_rows(store: Store, table: str) -> Sequence[AnalysisRecord]: ...
def all_rows(store: Store, table: str) -> Sequence[AnalysisRecord]:
    """Every row of an analysis table in export form (``article`` instead of ``article_id``)."""
    cols = {
        "mentions": "article_id AS article, entity_id AS entity, start, end, text, label",
        "quotes": "article_id AS article, text, start, end, kind, speaker, speaker_name, cue, via",
        "dates": "article_id AS article, text, start, end, value, precision",
        "quantities": "article_id AS article, text, start, end, value, unit, counted, hedge",
    }[table]
    return [
        cast(AnalysisRecord, dict(r))
        for r in store.conn.execute(f"SELECT {cols} FROM {table} ORDER BY article_id, start")
    ]


#: SQL condition (alias q, one parameter: quote_min_confidence) for quotes shown to readers:
#: the rules' quotes (no confidence) and the learned tagger's above the setting
QUOTE_SHOWN = "(q.confidence IS NULL OR q.confidence >= ?)"


def quotes_by_speaker(store: Store, speaker: str | None = None) -> list[SpeakerQuote]:
    sql = (
        "SELECT q.article_id AS article, q.text, q.kind, q.speaker, q.speaker_name, q.cue, "
        "q.via, q.start, q.end, a.outlet, a.published, e.name AS speaker_entity "
        "FROM quotes q JOIN articles a ON a.id = q.article_id "
        "LEFT JOIN entities e ON e.id = q.speaker"
    )
    args: list[str | float] = [store.config[QUOTE_MIN_CONFIDENCE]]
    sql += f" WHERE {QUOTE_SHOWN}"
    if speaker:
        ids = matching_entity_ids(store, speaker)
        sql += f" AND (q.speaker IN ({','.join('?' * len(ids))}) OR q.speaker_name LIKE ?)"
        args += [*ids, f"%{speaker}%"]
    sql += " ORDER BY a.published IS NULL, a.published, q.article_id, q.start"
    return [cast(SpeakerQuote, dict(r)) for r in store.conn.execute(sql, args)]
