"""Issue 6's 'done when' on the seeds: the accusation with its denial, Shin's figures.

What is checked is what the issue states; nothing here was read off storyline's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.compare import compare
from storyline.store import Store

pytestmark = pytest.mark.seeds


def _story(store: Store) -> str:
    return str(store.conn.execute("SELECT id FROM stories").fetchone()[0])


def test_compare_seeds_accusation_is_disputed_by_the_denials(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        result = compare(store, _story(store))
    by_id = {c["id"]: c for c in result["claims"]}
    denials = [c for c in result["claims"] if c["kind"] == "denial"]
    zurueck = [c for c in denials if any("zurückgewiesen" in s["text"] for s in c["sources"])]
    assert zurueck, "the 'Vorwürfe … zurückgewiesen' sentence is a denial claim"
    disputed = [by_id[d] for c in zurueck for d in c["disputes"]]
    assert any("vorgeworfen" in s["text"] for c in disputed for s in c["sources"])
    assert all(c["id"] in by_id[d]["disputed_by"] for c in zurueck for d in c["disputes"])
    assert len({s["outlet"] for c in denials for s in c["sources"]}) >= 2


def test_compare_seeds_defence_minister_figures_side_by_side(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        result = compare(store, _story(store))
    groups = [
        g for g in result["figures"]
        if {"Container", "Artilleriegranaten"} <= {r["counted"] for r in g["rows"]}
    ]
    assert groups, "container and shell counts appear in one figures group"
    rows = groups[0]["rows"]
    assert len({r["outlet"] for r in rows}) >= 2
    assert any(r["speaker_name"] and r["speaker_name"].startswith("Shin") for r in rows)
    # issue 17: containers and shells are two quantities, side by side but not "differing"
    for d in groups[0]["differences"]:
        assert len({v["text"].split()[-1] for v in d["values"]}) == 1, d


def test_compare_seeds_issue17_false_ticks_and_headings_are_gone(seeds_db: Path) -> None:
    """Issue 17: a photo caption gave the Tass claim a Fox News tick, "Dies veranlasste
    die USA und Südkorea …" got an RT tick, and a CNN subheading was a claim."""
    with Store(seeds_db) as store:
        result = compare(store, _story(store))
    passages = [(c, s) for c in result["claims"] for s in c["sources"]]
    tass = [c for c, s in passages if s["text"].startswith("Tass erinnert")]
    assert tass and not any(
        "zu sehen" in s["text"] or "(links)" in s["text"] for s in tass[0]["sources"]
    )
    dies = [c for c, s in passages if s["text"].startswith("Dies veranlasste die USA")]
    assert all("RT" not in c["outlets"] for c in dies)
    assert not any(s["text"].startswith("Warum es wichtig ist") for _c, s in passages)


def test_compare_seeds_event_view_keeps_only_its_articles(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        story = compare(store, _story(store))
        event = story["events"][0]
        members = {
            r[0] for r in store.conn.execute("SELECT id FROM articles WHERE event_id=?", (event,))
        }
        result = compare(store, event)
    assert result["kind"] == "event" and result["story"] == story["id"]
    assert all(s["article"] in members for c in result["claims"] for s in c["sources"])
    assert {o["outlet"] for o in result["outlets"]} < {o["outlet"] for o in story["outlets"]}
