"""Linking an article's entities to the store's: one stored entity per person, place or
organisation across articles, every merge of two written forms logged with its reason.

Articles are resolved one at a time (:mod:`storyline.analyse.resolve`); here their
entities meet the store's. ``storyline entities --explain NAME`` shows the log.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from storyline.analyse.model import Entity
from storyline.analyse.names import name_key, name_parts, part_key
from storyline.analyse.resolve_known import (
    acronym_of,
    group_keys,
    is_acronym,
    known,
    strip_genitive_s,
)
from storyline.store.db import Store, now


def alias_reason(alias: str, name: str) -> str:
    """Why an article's text linked ``alias`` to ``name`` (for the merge log)."""
    parts = [part_key(p) for p in name_parts(name)]
    alias_parts = [part_key(p) for p in name_parts(alias)]
    if name_key(alias) == name_key(name):
        return f"spelling variant of {name!r}: both have the name key {name_key(name)!r}"
    row = known(alias)
    if row is not None and row is known(name):
        return (
            f"{alias!r} and {name!r} name the same {row.english!r} in the table of known "
            "names (analyse/data/known_names.tsv)"
        )
    if acronym_of(alias, name) or acronym_of(name, alias):
        short, long = (alias, name) if is_acronym(alias) else (name, alias)
        return f"{short!r} is the acronym of {long!r} (initials), both used in the same article"
    if is_acronym(alias) or is_acronym(name):
        return f"the article writes {alias!r} and {name!r} together, one in parentheses"
    if strip_genitive_s(alias) == name:
        return f"{alias!r} is the genitive of {name!r}"
    if len(alias_parts) == 1 and alias_parts[0] in parts:
        written = name_parts(name)[parts.index(alias_parts[0])]
        if written == alias:
            return (
                f"{alias!r} is a part of {name!r}, the most salient person with that name "
                "part in the same article"
            )
        return (
            f"{alias!r} is a spelling variant of {written!r} (name key {alias_parts[0]!r}), "
            f"a part of {name!r}, used for it in the same article"
        )
    if any(p in parts for p in alias_parts):
        return f"{alias!r} shares name parts with {name!r} and was used for it in the same article"
    return f"{alias!r} was used for {name!r} in the same article"


def _link_keys(names: list[str], etype: str) -> dict[str, tuple[str, str]]:
    """Alias keys to look up for an entity's names → (written name, why it matches).

    Beside each name's own key: for places and organisations the keys of every form
    the table of known names lists with it ("Vereinigte Staaten" finds a stored
    "USA"), and a genitive -s taken off or put on ("Südkoreas" finds "Südkorea").
    """
    keys: dict[str, tuple[str, str]] = {}
    for n in names:
        keys.setdefault(name_key(n), (n, ""))
    if etype == "PER":
        return keys
    for n in names:
        row = known(n)
        for k in group_keys(n):
            why = (
                f"{n!r} and @ALIAS@ name {row.english!r} in the table of known names" if row else ""
            )
            keys.setdefault(k, (n, why))
        base = strip_genitive_s(n)
        if base is not None:
            keys.setdefault(name_key(base), (n, f"{n!r} is the genitive of @ALIAS@"))
        if " " not in n and not is_acronym(n):
            keys.setdefault(name_key(n + "s"), (n, f"@ALIAS@ is the genitive of {n!r}"))
    return keys


#: mentions counted at most per candidate entity when linking: past it an entity is
#: "most mentioned" either way (ties go to the older), and counting a head of state's
#: million mentions for every linked name would make adding cost as much as the store
MENTIONS_CAP = 10_000


def _candidates(conn: sqlite3.Connection, keys: Iterable[str], etype: str) -> list[sqlite3.Row]:
    keys = sorted(set(keys))
    marks = ",".join("?" * len(keys))
    return conn.execute(
        f"SELECT e.id, e.name, e.type, a.alias, a.alias_key, "
        f"(SELECT count(*) FROM (SELECT 1 FROM mentions m WHERE m.entity_id = e.id "
        f"LIMIT {MENTIONS_CAP})) AS n "
        f"FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        f"WHERE a.alias_key IN ({marks}) AND (e.type = ? OR e.type = 'MISC' OR ? = 'MISC') "
        f"ORDER BY n DESC, e.created_at",
        (*keys, etype, etype),
    ).fetchall()


def _edge_parts(name: str) -> set[str]:
    """Keys of a several-part name's first and last part (none for a one-part name)."""
    parts = [part_key(p) for p in name_parts(name)]
    return {parts[0], parts[-1]} if " " in name and parts else set()


def _index_name_parts(conn: sqlite3.Connection, entity_id: str, name: str) -> None:
    """Keep `entity_name_parts` in step with an entity's (new) name."""
    conn.execute("DELETE FROM entity_name_parts WHERE entity_id = ?", (entity_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO entity_name_parts(part_key, entity_id) VALUES (?, ?)",
        [(k, entity_id) for k in sorted(_edge_parts(name))],
    )


def _backfill_name_parts(conn: sqlite3.Connection) -> None:
    """Fill the name-part index of a store made before it (once, in the caller's
    transaction: link_entity runs inside the analysis write)."""
    pending = conn.execute(
        "SELECT 1 FROM backfills WHERE name = 'entity_name_parts' AND done_at IS NULL"
    ).fetchone()
    if pending is None:
        return
    rows = conn.execute("SELECT id, name FROM entities WHERE name LIKE '% %'").fetchall()
    conn.executemany(
        "INSERT OR IGNORE INTO entity_name_parts(part_key, entity_id) VALUES (?, ?)",
        [(k, str(r["id"])) for r in rows for k in sorted(_edge_parts(str(r["name"])))],
    )
    conn.execute("UPDATE backfills SET done_at = ? WHERE name = 'entity_name_parts'", (now(),))


def _surname_candidates(conn: sqlite3.Connection, key: str) -> list[sqlite3.Row]:
    """Stored persons of several name parts whose first or last part has `key`, through
    the name-part index (a lookup, not a scan of every person)."""
    _backfill_name_parts(conn)
    return conn.execute(
        "SELECT e.id, e.name FROM entity_name_parts p JOIN entities e ON e.id = p.entity_id "
        "WHERE p.part_key = ? AND e.type = 'PER' ORDER BY e.created_at, e.id",
        (key,),
    ).fetchall()


def _better_name(new: str, old: str, etype: str) -> bool:
    """Whether a stored entity should be shown under ``new`` instead of ``old``: the
    fuller name of a person; for places and organisations the table's name ("USA" stays
    "USA" when "Vereinigten Staaten" joins it) and never a genitive."""
    if etype != "PER":
        row = known(new) or known(old)
        if row is not None:
            shown = (row.german, row.english)
            return new in shown and old not in shown
        if strip_genitive_s(new) == old:
            return False
    return len(name_parts(new)) > len(name_parts(old))


def link_entity(store: Store, ent: Entity, article_id: str) -> str:
    """Store id for an article-level entity; creates or merges and logs why.

    Full names (two or more parts) identify an entity across articles. A single
    name part ("Kim", "Putin") only joins a stored person when exactly one
    stored person carries it, so a bare "Kim" never merges Kim Jong Un with
    Kim Yo Jong.
    """
    conn = store.conn
    names = [ent.name, *ent.aliases]
    full = [n for n in names if len(name_parts(n)) > 1]
    keys = _link_keys(full or names if ent.type == "PER" else names, ent.type)
    target: str | None = None
    reasons: dict[str, str] = {}
    match = _candidates(conn, keys, ent.type)
    if ent.type != "PER":
        pass  # places and organisations: any stored form, one word or several
    elif full:
        match = [r for r in match if len(name_parts(r["alias"])) > 1]
    else:
        match = []
    if match:
        target = str(match[0]["id"])
        known_aliases = {r["alias"] for r in match if r["id"] == target}
        for r in match:
            if r["id"] != target:
                continue
            written, why = keys[r["alias_key"]]
            if written in known_aliases:
                continue
            reasons[written] = (
                why.replace("@ALIAS@", repr(r["alias"]))
                if why
                else f"spelling variant of {r['alias']!r}: both have the name key "
                f"{r['alias_key']!r}"
            )
    elif ent.type == "PER" and not full:
        key = name_key(ent.name)
        found = {str(r["id"]): str(r["name"]) for r in _surname_candidates(conn, key)}
        bare = [r for r in _candidates(conn, [key], "PER") if len(name_parts(r["name"])) == 1]
        if len(found) == 1:
            target, full_name = next(iter(found.items()))
            reasons[ent.name] = (
                f"single name {ent.name!r} is a part of {full_name!r}, "
                "the only person in the store with that name part"
            )
        elif not found and bare:
            target = str(bare[0]["id"])
    if target is None:
        target = ent.id
        cur = conn.execute(
            "INSERT OR IGNORE INTO entities(id, name, type, created_at) VALUES (?, ?, ?, ?)",
            (target, ent.name, ent.type, now()),
        )
        if cur.rowcount:
            _index_name_parts(conn, target, ent.name)
    else:
        row = conn.execute("SELECT name FROM entities WHERE id=?", (target,)).fetchone()
        if _better_name(ent.name, str(row["name"]), ent.type):
            conn.execute("UPDATE entities SET name=? WHERE id=?", (ent.name, target))
            _index_name_parts(conn, target, ent.name)
    for alias in ent.aliases:
        reasons.setdefault(alias, alias_reason(alias, ent.name))
    for alias in names:
        cur = conn.execute(
            "INSERT OR IGNORE INTO entity_aliases(entity_id, alias, alias_key) VALUES (?, ?, ?)",
            (target, alias, name_key(alias)),
        )
        if cur.rowcount and alias in reasons:
            conn.execute(
                "INSERT INTO entity_merges(entity_id, alias, reason, article_id, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (target, alias, reasons[alias], article_id, now()),
            )
    conn.executemany(
        "INSERT OR IGNORE INTO entity_descriptions(entity_id, description, article_id) "
        "VALUES (?, ?, ?)",
        [(target, d, article_id) for d in ent.descriptions],
    )
    return target
