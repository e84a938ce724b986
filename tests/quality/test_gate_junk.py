"""Quality gate for the junk model (issue 16): extraction + cleaning against plain
trafilatura on both parts of ../shared/bench/trafilatura-de (bench.extraction.part_of).

Floors pinned a little under what was measured (docs/benchmarks.md, "Junk model and
non-article pages"); raise them when a change improves the scores for good.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"

# Measured 2026-12-07: held-out F1 0.967 (trafilatura 0.943), boilerplate left in 3 of 14;
# tuning part F1 0.928 (trafilatura 0.905), 17 of 28.
HELDOUT_F1_FLOOR = 0.960
HELDOUT_MIN_GAIN = 0.01
TUNE_F1_FLOOR = 0.920
#: Boilerplate snippets left in, as a share of plain trafilatura's, at most.
HELDOUT_BOILERPLATE_SHARE = 0.5


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, dict[str, float]]]:
    if not (SHARED / "bench" / "trafilatura-de").is_dir():
        pytest.skip("../shared/bench/trafilatura-de is absent; the junk gate needs it")
    from bench.extraction import _storyline, _trafilatura, load_pages, part_of, score

    pages = load_pages()
    assert pages
    out: dict[str, dict[str, dict[str, float]]] = {}
    for part in ("tune", "heldout"):
        subset = [p for p in pages if part_of(p[0]) == part]
        out[part] = {
            "trafilatura": score(_trafilatura, subset),
            "storyline": score(_storyline, subset),
        }
    return out


def test_gate_junk_heldout_beats_plain_trafilatura(
    scores: dict[str, dict[str, dict[str, float]]],
) -> None:
    ours, plain = scores["heldout"]["storyline"], scores["heldout"]["trafilatura"]
    assert ours["f1"] >= HELDOUT_F1_FLOOR
    assert ours["f1"] >= plain["f1"] + HELDOUT_MIN_GAIN
    assert ours["fp"] <= HELDOUT_BOILERPLATE_SHARE * plain["fp"]


def test_gate_junk_tuning_part(scores: dict[str, dict[str, dict[str, float]]]) -> None:
    assert scores["tune"]["storyline"]["f1"] >= TUNE_F1_FLOOR
