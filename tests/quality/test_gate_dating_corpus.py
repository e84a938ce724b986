"""Quality gate for datelines, bylines, dates and timelines: our own dating corpus (issue 16).

bench/data/dating_corpus was written by storyline's developers for issue 16 and the
rules were developed with it in view: a regression gate, not an independent estimate.
Measured 2026-12-07 (`.venv/bin/python -m bench.dating_corpus`): outlets 1.00, dates
1.00, agencies 1.00, authors 1.00, timeline precision 1.00 / recall 1.00, entry outlets
1.00, calls to action removed 1.00, no entry from a quote or a forecast, no sentence
twice. Raise a floor when a change improves a score for good; figures in
docs/benchmarks.md.
"""

from __future__ import annotations

from typing import Any

import pytest
from bench.dating_corpus import corpus

OUTLET_FLOOR = 0.9
DATE_FLOOR = 0.9
AGENCY_FLOOR = 0.9
AUTHOR_FLOOR = 0.9
TIMELINE_PRECISION_FLOOR = 0.9
TIMELINE_RECALL_FLOOR = 0.9
ENTRY_OUTLETS_FLOOR = 0.9
CALLS_TO_ACTION_FLOOR = 0.8


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    return corpus()


def test_gate_dating_corpus_outlets_and_bylines(figures: dict[str, Any]) -> None:
    assert figures["outlet_accuracy"] >= OUTLET_FLOOR, figures["per_article"]
    assert figures["agency_accuracy"] >= AGENCY_FLOOR, figures["per_article"]
    assert figures["author_accuracy"] >= AUTHOR_FLOOR, figures["per_article"]


def test_gate_dating_corpus_dates(figures: dict[str, Any]) -> None:
    assert figures["date_accuracy"] >= DATE_FLOOR, figures["per_article"]
    preview = next(r for r in figures["per_article"] if r["file"] == "a1_preview_de.txt")
    assert preview["published"] < "2031-05-13"  # before the visit it announces


def test_gate_dating_corpus_timeline(figures: dict[str, Any]) -> None:
    timeline = figures["timeline"]
    assert timeline["precision"] >= TIMELINE_PRECISION_FLOOR, figures["wrong_entries"]
    assert timeline["recall"] >= TIMELINE_RECALL_FLOOR, figures["missed_entries"]
    assert timeline["forbidden_entries"] == 0, figures["wrong_entries"]
    assert timeline["repeated_sentences"] == 0
    assert timeline["entry_outlets_right"] >= ENTRY_OUTLETS_FLOOR


def test_gate_dating_corpus_calls_to_action(figures: dict[str, Any]) -> None:
    assert figures["calls_to_action_removed"] >= CALLS_TO_ACTION_FLOOR
