"""storyline.analyze: the whole analysis on one text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import storyline
from storyline.analyse.run import analyze

TEXT = (
    "Die Gewerkschaftschefin Petra Brandt kündigte am Dienstag einen Streik an. "
    "„Wir lassen uns nicht länger hinhalten“, sagte Brandt. Rund 4.200 Beschäftigte "
    "sollen die Arbeit niederlegen, teilte die Gewerkschaft mit."
)


def test_run_analyze_is_the_public_entry_point() -> None:
    assert storyline.analyze is analyze


def test_run_analyze_links_quote_speaker_to_entity_and_resolves_dates() -> None:
    result = analyze(TEXT, lang="de", published="2025-03-05")
    brandt = next(e for e in result.entities if e.name == "Petra Brandt")
    assert "Gewerkschaftschefin" in brandt.descriptions
    direct = [q for q in result.quotes if q.kind == "direct"]
    assert direct and direct[0].speaker == brandt.id
    assert [d.value for d in result.dates] == ["2025-03-04"]
    assert any(q.value == 4200 and q.hedge == "rund" for q in result.quantities)


def test_run_analyze_without_date_leaves_relative_dates_unresolved() -> None:
    result = analyze(TEXT, lang="de")
    assert result.published is None
    assert result.dates == []


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_run_analyze_never_crashes_and_spans_index_the_text(text: str) -> None:
    result = analyze(text, lang="de", published="2025-01-01")
    # spans index Analysis.text: the input, unless NULs or lone surrogates were repaired
    assert result.text == text or result.repairs
    for group in (result.mentions, result.quotes, result.dates, result.quantities):
        for item in group:
            assert 0 <= item.start <= item.end <= len(result.text)
            assert result.text[item.start : item.end] == item.text
