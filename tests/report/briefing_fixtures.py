"""Hand-made inputs for the briefing tests: comparisons in the shape of
``storyline.compare.compare`` and hostile text.

Every sentence here was written for these tests (a fictional ferry strike in Kiel); nothing
is copied from the seed articles. ``make_comparison`` builds a realistic small comparison
over given article ids, so the report can be built from a real store with claims whose
text the test controls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Text that would run script or load something if it reached the page unescaped.
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> | # [a](javascript:alert(2))'
HOSTILE_URL = "javascript:alert(3)"


def _source(article: Mapping[str, Any], text: str, start: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "article": article["id"],
        "outlet": article["outlet"],
        "start": start,
        "end": start + len(text),
        "text": text,
        "speaker": None,
        "speaker_name": extra.get("speaker_name"),
        "via": None,
        "published": article.get("published"),
        "echo_of": extra.get("echo_of"),
    }


def _claim(
    cid: str,
    event: str | None,
    kind: str,
    text: str,
    arts: Sequence[Mapping[str, Any]],
    *,
    start: int = 0,
    hedge: str | None = None,
    weight: float | None = None,
    echo_last: bool = False,
    speaker_name: str | None = None,
) -> dict[str, Any]:
    sources = [
        _source(
            a,
            text,
            start,
            speaker_name=speaker_name,
            echo_of=arts[0]["id"] if echo_last and i == len(arts) - 1 and i else None,
        )
        for i, a in enumerate(arts)
    ]
    outlets = list(dict.fromkeys(str(a["outlet"]) for a in arts))
    echoes = 1 if echo_last and len(arts) > 1 else 0
    independent = len(outlets) - echoes
    return {
        "id": cid,
        "event": event,
        "story": None,
        "text": text,
        "kind": kind,
        "hedge": hedge,
        "sources": sources,
        "outlets": outlets,
        "independent_sources": independent,
        "echoes": echoes,
        "entities": [],
        "figures": [],
        "disputes": [],
        "disputed_by": [],
        "weight": weight if weight is not None else independent + 0.5 * echoes,
    }


def make_comparison(
    story: str,
    events: Sequence[str],
    articles: Sequence[Mapping[str, Any]],
    *,
    hostile: str | None = None,
) -> dict[str, Any]:
    """A comparison over ``articles`` (dicts with id, outlet, published, event): a few
    well-sourced statements per event, a near-duplicate of one, junk-looking passages, a
    denial of one claim, a hedged claim, and a figure group whose outlets disagree.
    ``hostile`` replaces the text of the strongest claim, the denial and a figure."""
    by_event = {e: [a for a in articles if a.get("event") == e] or list(articles) for e in events}
    first, last = events[0], events[-1]
    a1, a2 = by_event[first], by_event[last]
    claims = [
        _claim("c-001", first, "statement",
               hostile or "Die Fährleute in Kiel haben am Montagmorgen die Arbeit niedergelegt.",
               a1, weight=5.0),
        _claim("c-002", first, "statement",
               "Am Montagmorgen legten die Fährleute in Kiel ihre Arbeit nieder, teilte die Gewerkschaft mit.",
               a1[:2], start=120),
        _claim("c-003", first, "figure",
               "Nach Angaben der Reederei fielen am ersten Tag rund 40 Abfahrten nach Oslo und Göteborg aus.",
               a1, start=300, echo_last=True),
        _claim("c-004", first, "statement", "Teilen Sie diesen Artikel: https://example.org/x", a1),
        _claim("c-005", first, "statement", "Kurz.", a1),
        _claim("c-006", last, "statement",
               "Nach drei Tagen einigten sich Reederei und Gewerkschaft auf einen neuen Tarifvertrag.",
               a2, start=0),
        _claim("c-007", last, "statement",
               "Der Vertrag sieht eine Lohnerhöhung in zwei Stufen und eine Laufzeit von zwei Jahren vor.",
               a2, start=500),
        _claim("c-008", first, "statement",
               "Die Gewerkschaft warf der Reederei vor, Leiharbeiter als Streikbrecher einzusetzen.",
               a1[:1], start=700),
        _claim("c-009", first, "denial",
               hostile or "Ein Sprecher der Reederei wies den Vorwurf entschieden zurück.",
               a1[-1:], start=800, speaker_name="Jan Petersen"),
        _claim("c-010", last, "hedged",
               "Die Fährverbindung nach Oslo könnte möglicherweise noch bis Freitag eingeschränkt bleiben.",
               a2[:1], start=900, hedge="möglicherweise"),
        _claim("c-011", None, "statement",
               "Der letzte Streik bei der Kieler Reederei liegt nach Angaben der Gewerkschaft elf Jahre zurück.",
               a1[:1], start=1000),
    ]  # fmt: skip
    claims[7]["disputed_by"] = ["c-009"]
    claims[8]["disputes"] = ["c-008"]
    claims.sort(key=lambda c: -c["weight"])
    outlets = sorted({str(a["outlet"]) for a in articles})
    rows = [
        {
            "claim": "c-003",
            "article": a["id"],
            "outlet": a["outlet"],
            "start": 300,
            "end": 320,
            "text": (hostile if hostile and i == 0 else f"{40 + 5 * i} Abfahrten"),
            "value": 40.0 + 5 * i,
            "unit": None,
            "counted": "Abfahrten",
            "hedge": "rund",
            "speaker_name": "Reederei",
            "passage": hostile or "Nach Angaben der Reederei fielen rund 40 Abfahrten aus.",
        }
        for i, a in enumerate(a1[:3])
    ]
    return {
        "schema_version": 1,
        "id": story,
        "kind": "story",
        "story": story,
        "events": list(events),
        "outlets": [
            {
                "outlet": o,
                "articles": sum(a["outlet"] == o for a in articles),
                "claims": sum(o in c["outlets"] for c in claims),
                "unique": sum(c["outlets"] == [o] for c in claims),
                "echoes": 0,
            }
            for o in outlets
        ],
        "claims": claims,
        "figures": [
            {"subject": "Abfahrten", "speaker": "Reederei", "differ": len(rows) > 1, "rows": rows}
        ],
        "unique": {o: [c["id"] for c in claims if c["outlets"] == [o]] for o in outlets},
        "disputes": [{"claim": "c-008", "denied_by": ["c-009"]}],
    }


def store_articles(store: Any, story: str) -> tuple[list[str], list[dict[str, Any]]]:
    """(event ids oldest first, article dicts) of a story in a real store."""
    events = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM events WHERE story_id=? ORDER BY date_start, id", (story,)
        )
    ]
    arts = [
        dict(r)
        for r in store.conn.execute(
            "SELECT a.id, a.outlet, a.published, a.event_id AS event FROM articles a "
            "JOIN events e ON e.id = a.event_id WHERE e.story_id=? "
            "ORDER BY a.published, a.id",
            (story,),
        )
    ]
    return events, arts
