"""The briefing's data: one JSON-serialisable dict with everything the renderers show.

Why one dict: the Markdown and HTML renderers, the web UI and tests all read the same
data, so they can never disagree, and a briefing can be saved as JSON and rendered later.
The comparison (claims, figures, disputes) comes from :mod:`storyline.compare`; events,
the timeline and the articles from the store's own records; actors and quotes from
:mod:`storyline.report.data`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from storyline.i18n import LANGS, translate
from storyline.records import ClaimRecord, Comparison, EventRecord, StoryRecord
from storyline.report.chart import timeline_svg
from storyline.report.data import articles, key_entities, key_quotes
from storyline.report.summary import summarize
from storyline.store import Store
from storyline.stories.read import event_record, resolve_story_or_event, story_record

SCHEMA = "storyline.briefing/1"
TOP_CLAIMS = 12  # rows of the claims × outlets matrix
MAX_FIGURE_GROUPS = 20
MAX_HEDGED = 8


def _clean(text: object) -> str:
    """A passage on one line, without the list bullet some articles put before it."""
    return " ".join(str(text or "").split()).lstrip(" •*·–-").strip()


def _date_range(
    events: Sequence[Mapping[str, Any]], arts: Sequence[Mapping[str, Any]]
) -> dict[str, str | None]:
    """First and last day of the cluster: its events' dates, else its articles'."""
    days = [d for e in events if e.get("date") for d in str(e["date"]).split("/")]
    if not days:
        days = [str(a["published"])[:10] for a in arts if a.get("published")]
    return {"first": min(days) if days else None, "last": max(days) if days else None}


def _claim_view(
    claim: ClaimRecord, article_info: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """A claim as the report shows it: text, kind, hedge, outlets and every source."""
    sources = []
    for s in claim.get("sources") or []:
        art = article_info.get(str(s.get("article")), {})
        sources.append(
            {
                "article": s.get("article"),
                "outlet": s.get("outlet") or art.get("outlet"),
                "published": s.get("published") or art.get("published"),
                "speaker_name": s.get("speaker_name"),
                "echo_of": s.get("echo_of"),
                "text": s.get("text"),
            }
        )
    return {
        "id": claim.get("id"),
        "event": claim.get("event"),
        "text": _clean(claim.get("text")),
        "kind": claim.get("kind"),
        "hedge": claim.get("hedge"),
        "hedged": claim.get("kind") == "hedged" or bool(claim.get("hedge")),
        "outlets": list(claim.get("outlets") or []),
        "independent_sources": int(claim.get("independent_sources") or 0),
        "echoes": int(claim.get("echoes") or 0),
        "sources": sources,
    }


def _matrix(comparison: Comparison, outlets: Sequence[str]) -> list[dict[str, Any]]:
    """The top claims × outlets: "own" where the outlet reports the claim itself, "echo"
    where it only repeats another outlet, "" where it does not carry it."""
    rows = []
    for c in list(comparison.get("claims") or [])[:TOP_CLAIMS]:
        cells = {}
        for outlet in outlets:
            srcs = [s for s in c.get("sources") or [] if s.get("outlet") == outlet]
            cells[outlet] = (
                "own" if any(not s.get("echo_of") for s in srcs) else "echo" if srcs else ""
            )
        rows.append(
            {
                "id": c.get("id"),
                "text": _clean(c.get("text")),
                "kind": c.get("kind"),
                "hedge": c.get("hedge"),
                "cells": cells,
                "independent_sources": int(c.get("independent_sources") or 0),
                "echoes": int(c.get("echoes") or 0),
            }
        )
    return rows


#: Details shown per outlet that only that outlet reports (the comparison ranks them).
UNIQUE_PER_OUTLET = 3


def _unique(
    comparison: Comparison, article_info: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Per outlet, the weightiest details no other outlet carries: what each adds."""
    by_id = {str(c.get("id")): c for c in comparison.get("claims") or []}
    out = []
    for outlet, ids in sorted((comparison.get("unique") or {}).items()):
        claims = [by_id[str(i)] for i in ids if str(i) in by_id]
        claims = [c for c in claims if c.get("kind") != "denial"][:UNIQUE_PER_OUTLET]
        if claims:
            out.append({"outlet": outlet, "claims": [_claim_view(c, article_info) for c in claims]})
    return out


def _disputes(
    comparison: Comparison, article_info: Mapping[str, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(disputes, unmatched denials, hedged claims). A dispute pairs a claim with the
    denials of it; a denial the comparison could not link is still listed."""
    by_id = {str(c.get("id")): c for c in comparison.get("claims") or []}
    disputes: list[dict[str, Any]] = []
    linked: set[str] = set()
    for d in comparison.get("disputes") or []:
        claim = by_id.get(str(d.get("claim")))
        denials = [by_id[str(x)] for x in d.get("denied_by") or [] if str(x) in by_id]
        if claim is None or not denials:
            continue
        linked.update(str(x.get("id")) for x in denials)
        disputes.append(
            {
                "claim": _claim_view(claim, article_info),
                "denials": [_claim_view(x, article_info) for x in denials],
            }
        )
    unmatched = [
        _claim_view(c, article_info)
        for c in by_id.values()
        if c.get("kind") == "denial" and str(c.get("id")) not in linked and not c.get("disputes")
    ]
    hedged = [
        _claim_view(c, article_info)
        for c in by_id.values()
        if c.get("kind") == "hedged" or (c.get("hedge") and c.get("kind") != "figure")
    ][:MAX_HEDGED]
    return disputes, unmatched, hedged


def _reports(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A group's rows with the same figure merged: "1.500 Euro" from four articles is one
    report naming its outlets, so the differing figures stand side by side."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (" ".join(str(r.get("text") or "").split()).casefold(), str(r.get("hedge") or ""))
        rep = merged.setdefault(
            key,
            {
                "text": r.get("text"),
                "hedge": r.get("hedge"),
                "outlets": [],
                "speakers": [],
                "articles": [],
                "passage": r.get("passage"),
            },
        )
        for field, value in (("outlets", r.get("outlet")), ("speakers", r.get("speaker_name")),
                             ("articles", r.get("article"))):  # fmt: skip
            if value and value not in rep[field]:
                rep[field].append(value)
    return list(merged.values())


def _figures(comparison: Comparison) -> list[dict[str, Any]]:
    """Figure groups, the differing ones first (what an analyst must check)."""
    groups = []
    for g in comparison.get("figures") or []:
        rows = [
            {
                "outlet": r.get("outlet"),
                "article": r.get("article"),
                "claim": r.get("claim"),
                "text": r.get("text"),
                "value": r.get("value"),
                "unit": r.get("unit"),
                "hedge": r.get("hedge"),
                "speaker_name": r.get("speaker_name"),
                "passage": " ".join(str(r.get("passage") or "").split()),
            }
            for r in g.get("rows") or []
        ]
        if rows:
            groups.append(
                {
                    "subject": g.get("subject"),
                    "speaker": g.get("speaker"),
                    "differ": bool(g.get("differ")),
                    # the same quantity with other values: both values, both sources
                    "differences": [
                        [
                            {"text": v.get("text"), "outlet": v.get("outlet")}
                            for v in d.get("values") or []
                        ]
                        for d in g.get("differences") or []
                    ],
                    "rows": rows,
                    "reports": _reports(rows),
                }
            )
    groups.sort(key=lambda g: not g["differ"])
    return groups[:MAX_FIGURE_GROUPS]


def build_briefing(
    store: Store,
    cluster_id: str,
    *,
    lang: str = "de",
    comparison: Comparison | None = None,
) -> dict[str, Any]:
    """Everything the briefing of a story or event shows, as plain data.

    ``cluster_id`` is a story or event id (or an unambiguous prefix). ``comparison`` is
    the result of :func:`storyline.compare.compare` for it when the caller already has
    one; otherwise it is computed here. ``lang`` ("de" or "en") chooses the interface
    language and, where a claim has a source in that language, its passage.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    kind, cid = resolve_story_or_event(store, cluster_id)
    if comparison is None:
        from storyline.compare import compare  # here: a missing module fails when used

        comparison = compare(store, cid)
    rec: StoryRecord | EventRecord
    if kind == "story":
        rec = story_record(store, cid, full=True)
        events, story, timeline = rec["event_details"], cid, rec["timeline"]
    else:
        rec = event_record(store, cid)
        events, story = [rec], rec["story"]
        story_rec = story_record(store, story, full=True)
        members = set(rec["articles"])
        timeline = [
            e for e in story_rec["timeline"] if any(s["article"] in members for s in e["sources"])
        ]
    arts = articles(store, rec["articles"])
    info = {a["id"]: a for a in arts}
    originals = [a["id"] for a in arts if not a["duplicate_of"]]
    outlet_counts: dict[str, int] = {}
    for a in arts:
        outlet_counts[a["outlet"] or "?"] = outlet_counts.get(a["outlet"] or "?", 0) + 1
    entries = []
    for n, e in enumerate(timeline, 1):
        outlets = sorted({str(s["outlet"] or "?") for s in e["sources"]})
        entries.append(
            {
                "n": n,
                "date": e["date"],
                "date_label": str(e["date"]).replace("/", " – ")
                + (f" ({translate('report.inferred', lang)})" if e.get("inferred") else ""),
                "precision": e["precision"],
                "text": " ".join(e["text"].split()),
                "outlets": outlets,
                "sources": [{"article": s["article"], "outlet": s["outlet"]} for s in e["sources"]],
            }
        )
    event_rows = [
        {
            "id": e["id"],
            "title": e["title"],
            "date": e["date"],
            "date_inferred": e["date_inferred"],
            "outlets": e["outlets"],
            "independent_sources": e["independent_sources"],
            "articles": len(e["articles"]),
        }
        for e in events
    ]
    actors, places = key_entities(store, originals)
    roles = {a["id"]: a["roles"] for a in actors}
    quotes = key_quotes(store, originals)
    for q in quotes:
        q["roles"] = roles.get(q["speaker_id"], [])
    comp_outlets = [dict(o) for o in comparison.get("outlets") or []]
    disputes, unmatched, hedged = _disputes(comparison, info)
    return {
        "schema": SCHEMA,
        "lang": lang,
        "id": cid,
        "kind": kind,
        "story": story,
        "title": rec["title"],
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "date_range": _date_range(events, arts),
        "article_count": len(arts),
        "outlets": [
            {"outlet": o, "articles": n}
            for o, n in sorted(outlet_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "languages": sorted({a["lang"] for a in arts if a["lang"]}),
        "summary": summarize(
            comparison.get("claims") or [],
            [e["id"] for e in events],
            article_lang={a["id"]: a["lang"] for a in arts if a["lang"]},
            lang=lang,
        ),
        "timeline": entries,
        "chart_svg": timeline_svg(entries, events, lang=lang),
        "events": event_rows,
        "actors": actors,
        "places": places,
        "quotes": quotes,
        "figures": _figures(comparison),
        "comparison": {
            "outlets": comp_outlets,
            "matrix_outlets": [str(o["outlet"]) for o in comp_outlets],
            "matrix": _matrix(comparison, [str(o["outlet"]) for o in comp_outlets]),
            "claims": len(comparison.get("claims") or []),
            "unique": _unique(comparison, info),
        },
        "disputes": disputes,
        "unmatched_denials": unmatched,
        "hedged": hedged,
        "sources": arts,
    }
