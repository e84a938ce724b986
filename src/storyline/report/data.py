"""What the briefing makes of the store's rows: the target's articles, key actors and
quotes (the queries are in store/briefing.py).

Copies (``duplicate_of``) are left out of every count: a syndicated copy is not a second
source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from storyline.store import Store
from storyline.store import briefing as tables


def articles(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The cluster's articles for the source list, oldest first, with where each came
    from (the first recorded input: its URL, else its path)."""
    rows = tables.source_list(store, ids)
    out = []
    for r in rows:
        row = dict(r)
        row["url"] = row["url"] or row.pop("source_url")
        row.pop("source_url", None)
        row["published_inferred"] = row["published_source"] == "inferred"
        out.append(row)
    return out


def key_entities(
    store: Store, ids: Sequence[str], *, actors: int = 12, places: int = 8
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(actors, places): the entities named in most of the articles ``ids``, each with
    its type, counts and up to three roles as the articles describe it. People,
    organisations and other names are actors; places are listed apart (they set the
    scene, they do not act). Two queries for all entities."""
    rows = tables.named_entities(store, ids, 4 * (actors + places))
    found = [
        {
            "id": r["id"],
            "name": r["name"],
            "type": r["type"],
            "mentions": r["mentions"],
            "articles": r["articles"],
            "outlets": r["outlets"],
            "outlet_names": sorted(o for o in json.loads(r["outlet_names"]) if o),
            "roles": [],
        }
        for r in rows
    ]
    top = [e for e in found if e["type"] != "LOC"][:actors]
    where = [e for e in found if e["type"] == "LOC"][:places]
    by_id = {e["id"]: e for e in top}
    for r in tables.descriptions(store, ids, list(by_id)):
        _add_role(by_id[r["entity_id"]]["roles"], r["description"])
    return top, where


def _role_key(role: str) -> frozenset[str]:
    """Words of a role with case, hyphens and German adjective endings folded away, so
    "stellvertretenden US-Außenminister" is "stellvertretende US-Außenminister"."""
    return frozenset(
        w[:-1] if w.endswith(("n", "s", "r", "m")) and len(w) > 4 else w
        for w in role.casefold().replace("-", "").split()
    )


def _add_role(roles: list[str], role: str, limit: int = 3) -> None:
    """Adds ``role`` unless it is an inflected form of, or a part of, one already kept
    (roles come most frequent first, so the usual wording wins)."""
    key = _role_key(role)
    if len(roles) >= limit or any(key <= _role_key(kept) for kept in roles):
        return
    roles.append(role)


_NORM = re.compile(r"[\W_]+", re.UNICODE)


def _norm(text: str) -> str:
    return _NORM.sub(" ", text.casefold()).strip()


def _speaker_ok(entity: str | None, name: str | None) -> bool:
    """A speaker worth a heading: a resolved entity, or a written name of two or more
    words starting with a capital ("Tarifkommission der Gewerkschaft"), not a stray
    noun the quote finder took for one ("offer", "Verbands")."""
    if entity:
        return True
    return bool(name and name[:1].isupper() and len(name.split()) >= 2)


def _quote_rank(q: dict[str, Any]) -> tuple[int, int]:
    """Whole direct quotes first, then indirect ones (which often hold a short direct
    fragment in context), then the fragments; more outlets first within each."""
    words = len(q["text"].split())
    tier = 0 if q["kind"] == "direct" and words >= 6 else 1 if words >= 5 else 2
    return tier, -len(q["outlets"])


def key_quotes(
    store: Store, ids: Sequence[str], *, speakers: int = 6, per_speaker: int = 3
) -> list[dict[str, Any]]:
    """The most quoted speakers of the articles ``ids``, each with a few quotes.

    The same words quoted by several outlets are one quote listing every outlet; a quote
    inside another one already chosen (a direct fragment of an indirect quote) is not
    shown twice."""
    rows = tables.shown_quotes(store, ids)
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not _speaker_ok(r["speaker"], r["speaker_name"]) or not _norm(r["text"]):
            continue
        key = r["speaker"] or "name:" + _norm(r["speaker_name"])
        group = groups.setdefault(
            key,
            {
                "speaker": r["entity_name"] or r["speaker_name"],
                "speaker_id": r["speaker"],
                "quotes": {},
            },
        )
        quote = group["quotes"].setdefault(
            _norm(r["text"]),
            {
                "text": " ".join(r["text"].split()).rstrip(",;: "),
                "kind": r["kind"],
                "via": r["via"],
                "outlets": [],
                "articles": [],
                "published": r["published"],
            },
        )
        if r["article"] not in quote["articles"]:
            quote["articles"].append(r["article"])
        if r["outlet"] and r["outlet"] not in quote["outlets"]:
            quote["outlets"].append(r["outlet"])
    ranked = sorted(
        groups.values(),
        key=lambda g: (-len(g["quotes"]), -sum(len(q["outlets"]) for q in g["quotes"].values())),
    )
    out = []
    for g in ranked[:speakers]:
        chosen: list[dict[str, Any]] = []
        for key, q in sorted(g["quotes"].items(), key=lambda kq: _quote_rank(kq[1])):
            if any(key in _norm(c["text"]) or _norm(c["text"]) in key for c in chosen):
                continue
            chosen.append(q)
            if len(chosen) == per_speaker:
                break
        out.append(
            {
                "speaker": g["speaker"],
                "speaker_id": g["speaker_id"],
                "count": len(g["quotes"]),
                "quotes": chosen,
            }
        )
    return out
