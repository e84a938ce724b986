"""Stored claims: sentence vectors, claims with their sources and disputes, per-story state.

Claims are computed per story (storyline.compare.job) and kept until the story's
membership changes: ``claim_state`` records which articles, in which events, the stored
claims were computed from, so a reader can tell whether they are current without
recomputing them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.records import ClaimRecord
from storyline.settings import QUOTE_MIN_CONFIDENCE
from storyline.store.db import Store, id_chunks, marks, now

Matrix = npt.NDArray[np.float32]


def story_members(
    store: Store, story_ids: Sequence[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """(article, event) pairs of each story, in a stable order."""
    sql = "SELECT e.story_id, a.id, a.event_id FROM articles a JOIN events e ON e.id = a.event_id"
    args: tuple[str, ...] = ()
    if story_ids is not None:
        sql += f" WHERE e.story_id IN ({marks(story_ids)})"
        args = tuple(story_ids)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for story, article, event in store.conn.execute(sql + " ORDER BY a.id", args):
        out[str(story)].append((str(article), str(event)))
    return dict(out)


#: Part of every story's state: raising it makes every stored story's claims stale, so a
#: change to how claims are made reaches stores made before it.
CLAIMS_VERSION = 7


def claim_state(store: Store, story_id: str) -> tuple[str, str] | None:
    """(members hash, computed at) of a story's stored claims, if any."""
    row = store.conn.execute(
        "SELECT members, updated_at FROM claim_state WHERE story_id = ?", (story_id,)
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def cluster_outlets(store: Store, story_id: str, event_id: str | None = None) -> list[str | None]:
    """The outlet of every article of the story (or of one of its events), once per article."""
    where, arg = ("a.event_id = ?", event_id) if event_id else ("e.story_id = ?", story_id)
    return [
        r[0]
        for r in store.conn.execute(
            f"SELECT a.outlet FROM articles a JOIN events e ON e.id = a.event_id WHERE {where}",
            (arg,),
        )
    ]


def members_hash(members: Sequence[tuple[str, str]]) -> str:
    lines = [f"v{CLAIMS_VERSION}", *(f"{a} {e}" for a, e in sorted(members))]
    return hashlib.sha1("\n".join(lines).encode()).hexdigest()


def stale_stories(store: Store) -> list[str]:
    """Stories whose stored claims were computed from other articles or events (or never)."""
    state = dict(store.conn.execute("SELECT story_id, members FROM claim_state").fetchall())
    members = story_members(store)
    gone = [s for s in state if s not in members]
    if gone:
        drop_claims(store, gone)
    return sorted(s for s, m in members.items() if state.get(s) != members_hash(m))


def drop_claims(store: Store, story_ids: Sequence[str]) -> None:
    for chunk in id_chunks(list(story_ids)):
        store.conn.execute(f"DELETE FROM claims WHERE story_id IN ({marks(chunk)})", chunk)
        store.conn.execute(f"DELETE FROM claim_state WHERE story_id IN ({marks(chunk)})", chunk)


def claim_inputs(store: Store, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Articles with the analysis rows that claim units are made from, in one query per table."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in id_chunks(list(article_ids)):
        holes = marks(chunk)
        for row in store.conn.execute(
            "SELECT id, text, lang, outlet, published, echo_of, event_id FROM articles "
            f"WHERE id IN ({holes})",
            chunk,
        ):
            out[row["id"]] = {
                **dict(row),
                "mentions": [],
                "quotes": [],
                "quantities": [],
                "dates": [],
            }
        for row in store.conn.execute(
            "SELECT m.article_id, m.start, m.end, m.entity_id, e.name FROM mentions m "
            f"LEFT JOIN entities e ON e.id = m.entity_id WHERE m.article_id IN ({holes})",
            chunk,
        ):
            out[row["article_id"]]["mentions"].append(dict(row))
        for table, cols in (
            ("quotes", "start, end, kind, speaker, speaker_name, via"),
            ("quantities", "start, end, text, value, unit, counted, hedge"),
            ("dates", "start, end, value"),
        ):
            shown, args = "", list[str | float](chunk)
            if table == "quotes":  # the learned tagger's unsure quotes make no claims
                shown = " AND (confidence IS NULL OR confidence >= ?)"
                args.append(store.config[QUOTE_MIN_CONFIDENCE])
            for row in store.conn.execute(
                f"SELECT article_id, {cols} FROM {table} WHERE article_id IN ({holes}){shown}",
                args,
            ):
                out[row["article_id"]][table].append(dict(row))
    return [out[a] for a in article_ids if a in out]


def unit_vectors(
    store: Store, backend: str, article_ids: Sequence[str]
) -> dict[tuple[str, int], Matrix]:
    out: dict[tuple[str, int], Matrix] = {}
    for chunk in id_chunks(list(article_ids)):
        for article, start, blob in store.conn.execute(
            f"SELECT article_id, start, vector FROM claim_units "
            f"WHERE backend = ? AND article_id IN ({marks(chunk)})",
            (backend, *chunk),
        ):
            out[(str(article), int(start))] = np.frombuffer(blob, dtype=np.float32)
    return out


def save_unit_vectors(
    store: Store, backend: str, rows: Iterable[tuple[str, int, int, Matrix]]
) -> None:
    store.conn.executemany(
        "INSERT OR REPLACE INTO claim_units(article_id, start, end, backend, vector) "
        "VALUES (?, ?, ?, ?, ?)",
        [(a, s, e, backend, np.asarray(v, dtype=np.float32).tobytes()) for a, s, e, v in rows],
    )


def save_claims(
    store: Store, story_id: str, members: str, claims: Sequence[dict[str, Any]]
) -> None:
    """Replace a story's claims (call inside a transaction)."""
    drop_claims(store, [story_id])
    conn = store.conn
    conn.executemany(
        "INSERT INTO claims(id, story_id, event_id, kind, text, hedge, independent_sources, "
        "echoes, weight, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                c["id"],
                story_id,
                c["event"],
                c["kind"],
                c["text"],
                c["hedge"],
                c["independent_sources"],
                c["echoes"],
                c["weight"],
                json.dumps(
                    {"entities": c["entities"], "figures": c["figures"]}, ensure_ascii=False
                ),
            )
            for c in claims
        ],
    )
    conn.executemany(
        "INSERT INTO claim_sources(claim_id, article_id, start, end, speaker, speaker_name, "
        "via, echo_of) VALUES (?,?,?,?,?,?,?,?)",
        [
            (
                c["id"],
                s["article"],
                s["start"],
                s["end"],
                s["speaker"],
                s["speaker_name"],
                s["via"],
                s["echo_of"],
            )
            for c in claims
            for s in c["sources"]
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO claim_disputes(claim_id, disputes, evidence) VALUES (?,?,?)",
        [(c["id"], d, c["dispute_evidence"].get(d, "")) for c in claims for d in c["disputes"]],
    )
    conn.execute(
        "INSERT OR REPLACE INTO claim_state(story_id, members, updated_at) VALUES (?,?,?)",
        (story_id, members, now()),
    )


def read_claims(store: Store, story_id: str) -> list[ClaimRecord]:
    """A story's stored claims with sources (passages cut from the article text) and
    disputes, as one version (in a snapshot: another process may rewrite them meanwhile)."""
    with store.snapshot():
        return _read_claims(store, story_id)


def _read_claims(store: Store, story_id: str) -> list[ClaimRecord]:
    conn = store.conn
    claims: dict[str, ClaimRecord] = {}
    for row in conn.execute(
        "SELECT * FROM claims WHERE story_id = ? ORDER BY weight DESC, id", (story_id,)
    ):
        data = json.loads(row["data"])
        claims[row["id"]] = {
            "id": row["id"],
            "event": row["event_id"],
            "story": row["story_id"],
            "text": row["text"],
            "kind": row["kind"],
            "hedge": row["hedge"],
            "sources": [],
            "outlets": [],
            "independent_sources": row["independent_sources"],
            "echoes": row["echoes"],
            "entities": data["entities"],
            "figures": data["figures"],
            "disputes": [],
            "disputed_by": [],
            "weight": row["weight"],
        }
    for row in conn.execute(
        "SELECT s.claim_id, s.article_id, s.start, s.end, s.speaker, s.speaker_name, s.via, "
        "s.echo_of, a.outlet, a.published, substr(a.text, s.start + 1, s.end - s.start) AS passage "
        "FROM claim_sources s JOIN claims c ON c.id = s.claim_id "
        "JOIN articles a ON a.id = s.article_id WHERE c.story_id = ? "
        "ORDER BY a.published IS NULL, a.published, s.article_id, s.start",
        (story_id,),
    ):
        claim = claims[row["claim_id"]]
        claim["sources"].append(
            {
                "article": row["article_id"],
                "outlet": row["outlet"],
                "start": row["start"],
                "end": row["end"],
                "text": row["passage"],
                "speaker": row["speaker"],
                "speaker_name": row["speaker_name"],
                "via": row["via"],
                "published": row["published"],
                "echo_of": row["echo_of"],
            }
        )
        if row["outlet"] and row["outlet"] not in claim["outlets"]:
            claim["outlets"].append(row["outlet"])
    for row in conn.execute(
        "SELECT d.claim_id, d.disputes, d.evidence FROM claim_disputes d "
        "JOIN claims c ON c.id = d.claim_id WHERE c.story_id = ? ORDER BY d.claim_id, d.disputes",
        (story_id,),
    ):
        if row["claim_id"] in claims and row["disputes"] in claims:
            claims[row["claim_id"]]["disputes"].append(row["disputes"])
            claims[row["disputes"]]["disputed_by"].append(row["claim_id"])
    return list(claims.values())
