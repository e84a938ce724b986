"""Issue 17's English case: two reports of one flood from two outlets.

The two articles (tests/compare/data/flood_en.jsonl) were written for this test: 3,000
against 3,200 evacuated, 41 against 38 rescued, an accusation and its denial, plus a
byline, a photo caption, a subheading and a teaser that are no claims.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from storyline.compare import compare
from storyline.jobs.ingest import ingest
from storyline.store import Store

FLOOD = Path(__file__).parent / "data" / "flood_en.jsonl"
OUTLETS = {"Riverside Courier", "Valley Post"}


@pytest.fixture(scope="module")
def flood() -> Any:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "flood.db") as store:
        report = ingest([str(FLOOD)], store)
        assert report.ok
        story = store.conn.execute("SELECT id FROM stories").fetchone()[0]
        yield compare(store, story)


def _passages(claim: dict[str, Any]) -> list[str]:
    return [s["text"] for s in claim["sources"]]


def test_flood_en_both_outlets_share_claims(flood: dict[str, Any]) -> None:
    assert {o["outlet"] for o in flood["outlets"]} == OUTLETS
    shared = [c for c in flood["claims"] if set(c["outlets"]) == OUTLETS]
    assert len(shared) >= 4
    assert any("evacuated" in " ".join(_passages(c)) for c in shared)


def _difference(flood: dict[str, Any], low: float, high: float) -> dict[str, Any]:
    found = [
        d
        for g in flood["figures"]
        for d in g["differences"]
        if sorted(v["value"] for v in d["values"]) == [low, high]
    ]
    assert found, f"{low:g} and {high:g} are side by side as differing"
    return found[0]


def test_flood_en_evacuated_and_rescued_differ_with_both_sources(flood: dict[str, Any]) -> None:
    for low, high in ((3000.0, 3200.0), (38.0, 41.0)):
        d = _difference(flood, low, high)
        assert {v["outlet"] for v in d["values"]} == OUTLETS
        assert all(v["passage"] and v["text"] for v in d["values"])
    # evacuated and rescued are two quantities: never paired against each other
    for g in flood["figures"]:
        for d in g["differences"]:
            values = sorted(v["value"] for v in d["values"])
            assert values in ([3000.0, 3200.0], [38.0, 41.0])


def test_flood_en_denial_disputes_the_accusation(flood: dict[str, Any]) -> None:
    by_id = {c["id"]: c for c in flood["claims"]}
    denials = [c for c in flood["claims"] if c["kind"] == "denial"]
    assert denials and set(denials[0]["outlets"]) == OUTLETS
    disputed = [by_id[d] for d in denials[0]["disputes"]]
    assert any("accused" in " ".join(_passages(c)) for c in disputed)


def test_flood_en_captions_bylines_teasers_subheadings_are_no_claims(
    flood: dict[str, Any],
) -> None:
    texts = [t for c in flood["claims"] for t in _passages(c)]
    for junk in ("By Helen Marsh", "Photo:", "What residents saw", "Read more"):
        assert not any(t.startswith(junk) for t in texts), junk
