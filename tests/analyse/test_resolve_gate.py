"""Quality gate for entity resolution: pinned floors on both labelled sets.

Measured 2026-12-03 with `python -m bench.resolution` (docs/benchmarks.md): development
set within 1.000 / across store 1.000 F1; held-out set (issue 14, scored once, never
tuned on) within 1.000 / across 1.000, junk spans dropped 3/3, real mentions kept
78/78. Before issue 14 the held-out set scored 0.678 / 0.598. Floors sit a little
below the measured figures: a small set moves in steps of one pair.
"""

from __future__ import annotations

from bench.resolution import DATA, HELDOUT, score

DEVELOPMENT_F1_FLOOR = 0.97
HELDOUT_F1_FLOOR = 0.93


def test_resolve_gate_development_set() -> None:
    result = score(DATA)
    assert result["within_article"]["f1"] >= DEVELOPMENT_F1_FLOOR, result
    assert result["across_store"]["f1"] >= DEVELOPMENT_F1_FLOOR, result


def test_resolve_gate_held_out_set() -> None:
    result = score(HELDOUT)
    assert result["within_article"]["f1"] >= HELDOUT_F1_FLOOR, result
    assert result["across_store"]["f1"] >= HELDOUT_F1_FLOOR, result
    dropped, junk = map(int, result["junk_dropped"].split("/"))
    kept, real = map(int, result["real_kept"].split("/"))
    assert dropped >= junk - 1 and kept == real, result
