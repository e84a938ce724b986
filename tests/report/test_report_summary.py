"""The extractive summary: cited, non-redundant, covering every event, in event order."""

from __future__ import annotations

import re
from typing import Any

from tests.report.briefing_fixtures import make_comparison

from storyline.report.summary import cite, containment, summarize, usable, words

ARTICLES = [
    {"id": "a1", "outlet": "Nordblatt", "published": "2025-05-05", "event": "e-1"},
    {"id": "a2", "outlet": "Kieler Bote", "published": "2025-05-05", "event": "e-1"},
    {"id": "a3", "outlet": "Baltic Wire", "published": "2025-05-06", "event": "e-1"},
    {"id": "a4", "outlet": "Nordblatt", "published": "2025-05-08", "event": "e-2"},
    {"id": "a5", "outlet": "Kieler Bote", "published": "2025-05-08", "event": "e-2"},
]


def _claims() -> list[dict[str, Any]]:
    return list(make_comparison("s-1", ["e-1", "e-2"], ARTICLES)["claims"])


def test_report_summary_every_sentence_cites_its_outlets() -> None:
    got = summarize(_claims(), ["e-1", "e-2"])
    assert got
    for s in got:
        assert s["outlets"], s
        assert re.search(r"\([^()]+\)$", cite(s)), cite(s)
        for outlet in s["outlets"]:
            assert outlet in cite(s)


def test_report_summary_covers_every_event_in_order() -> None:
    got = summarize(_claims(), ["e-1", "e-2"])
    events = [s["event"] for s in got]
    assert "e-1" in events and "e-2" in events
    ranks = [{"e-1": 0, "e-2": 1}.get(e, 2) for e in events]
    assert ranks == sorted(ranks)


def test_report_summary_five_to_eight_sentences_when_there_are_enough() -> None:
    claims = _claims()
    extra = [
        {**claims[0], "id": f"c-x{i}", "event": "e-2", "weight": 1.0,
         "text": f"Im Hafen von Kiel {verb} am {day}. Mai zahlreiche Reisende auf den Anlegern."}
        for i, (verb, day) in enumerate(
            [("warteten", 6), ("strandeten", 7), ("froren", 8), ("schliefen", 9),
             ("protestierten", 10), ("sangen", 11), ("tanzten", 12), ("diskutierten", 13)]
        )
    ]  # fmt: skip
    got = summarize(claims + extra, ["e-1", "e-2"])
    assert 5 <= len(got) <= 8


def test_report_summary_skips_repetition_and_junk() -> None:
    got = summarize(_claims(), ["e-1", "e-2"])
    ids = {s["claim"] for s in got}
    # c-002 says what c-001 says; c-004 is a share line with a link, c-005 too short
    assert "c-001" in ids and "c-002" not in ids
    assert not ids & {"c-004", "c-005"}
    texts = [words(s["text"]) for s in got]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert containment(a, b) < 0.6


def test_report_summary_prefers_a_source_in_the_readers_language() -> None:
    claims = _claims()
    strongest = next(c for c in claims if c["id"] == "c-001")
    english = "The ferry workers in Kiel walked out on Monday morning, the union said."
    strongest["sources"][1]["text"] = english
    got = summarize(claims, ["e-1", "e-2"], article_lang={"a2": "en"}, lang="en")
    assert english in [s["text"] for s in got]


def test_report_summary_usable_rejects_fragments_and_lists() -> None:
    assert usable("Die Reederei hat am Dienstag alle Abfahrten nach Oslo gestrichen.")
    assert not usable("und dann kam alles anders als gedacht, sagte sie am Ende noch.")
    assert not usable("Mehr dazu: https://example.org/artikel/123 und weitere Links hier.")
    assert not usable("Kurz und gut.")
    assert not usable('Die Mieten warten nicht bis 2027", sagte der Kranführer am Hafen.')
    assert not usable("A" * 20 + " " + "b " * 200 + ".")


def test_report_summary_empty_without_usable_claims() -> None:
    assert summarize([], ["e-1"]) == []
    junk = [{**_claims()[0], "text": "Teilen | Drucken | Mailen"}]
    assert summarize(junk, ["e-1"]) == []


def test_report_summary_order_is_the_order_the_briefing_states() -> None:
    """Issue 17: the note said "ordered by independent sources" above a first bullet with
    one source. The order is events in time order, then independent sources, most first,
    and the note (German and English) says so."""
    from storyline.i18n import translate

    got = summarize(_claims(), ["e-1", "e-2"])
    keys = [({"e-1": 0, "e-2": 1}.get(s["event"], 2), -s["independent_sources"]) for s in got]
    assert keys == sorted(keys)
    assert "innerhalb eines Ereignisses" in translate("report.summary_note", "de")
    assert "within an event" in translate("report.summary_note", "en")


def test_report_summary_seeds_briefing_order_matches_its_statement(seeds_db: Any) -> None:
    from storyline.report.build import build_briefing
    from storyline.store import Store

    with Store(seeds_db) as store:
        story = str(store.conn.execute("SELECT id FROM stories").fetchone()[0])
        b = build_briefing(store, story)
    rank = {e["id"]: i for i, e in enumerate(b["events"])}
    summary = b["summary"]
    assert summary and all(s["outlets"] for s in summary)
    keys = [(rank.get(s["event"], len(rank)), -s["independent_sources"]) for s in summary]
    assert keys == sorted(keys)
