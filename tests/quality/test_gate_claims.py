"""Quality gate: claim matching on hand-labelled SemEval-2022 task 8 sentence pairs.

The floors are the held-out figures measured when the gate was set (bench/claims_eval.py,
docs/benchmarks.md), a little below them: the gate catches a change that makes matching
or the "differ" flag worse on data storyline was not tuned on. The texts live in
../shared; without them the gate skips and says so.
"""

from __future__ import annotations

from typing import Any

import pytest
from bench.claims_eval import evaluate, load_labels
from bench.common import SHARED

CSV = SHARED / "bench" / "semeval2022-t8" / "pairs-de-en.csv"

#: Held-out part (104 pairs: 14 same, 5 differ), measured 2026-12-07 (docs/benchmarks.md):
#: same claim precision 1.0 at recall 0.071 (1 of 14), differ precision 1.0 at recall 0.8.
#: Floors sit below so one pair either way does not fail the gate. Issue 17 asks for
#: precision 0.85 at recall 0.6: far from reached, see docs/compare.md "Weak".
SAME_PRECISION_FLOOR = 0.5
SAME_RECALL_FLOOR = 0.07
DIFFER_PRECISION_FLOOR = 0.75
DIFFER_RECALL_FLOOR = 0.6


@pytest.fixture(scope="module")
def measured() -> dict[str, Any]:
    if not CSV.exists():
        pytest.skip(f"{CSV} is absent: the claim gate reads SemEval-2022 t8 from ../shared")
    return evaluate(load_labels(), CSV)


def test_gate_claims_every_labelled_sentence_is_found(measured: dict[str, Any]) -> None:
    assert measured["missing"] == 0, "a labelled sentence's hash no longer matches its text"


def test_gate_claims_same_claim_held_out(measured: dict[str, Any]) -> None:
    same = measured["held_out"]["same"]
    assert same["precision"] >= SAME_PRECISION_FLOOR, same
    assert same["recall"] >= SAME_RECALL_FLOOR, same


def test_gate_claims_differ_held_out(measured: dict[str, Any]) -> None:
    differ = measured["held_out"]["differ"]
    assert differ["precision"] >= DIFFER_PRECISION_FLOOR, differ
    assert differ["recall"] >= DIFFER_RECALL_FLOOR, differ
