"""Quality gate for cleaning and extraction: pinned score floors (trafilatura's eval-gate idea).

If a change lowers a score below its floor, this fails; raise a floor when a
change improves the score for good. Figures and commands: docs/benchmarks.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import clean_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# Measured 2026-11-22: junk precision 1.00, recall 1.00 on examples; F1 0.932 on trafilatura-de.
JUNK_PRECISION_FLOOR = 0.97
JUNK_RECALL_FLOOR = 0.95
EXTRACTION_F1_FLOOR = 0.935  # 0.940 with the junk model (issue 16)


def _norm(line: str) -> str:
    return " ".join(line.split())


def test_gate_clean_junk_lines_of_the_example_corpus() -> None:
    truth = json.loads((ROOT / "examples" / "truth.json").read_text(encoding="utf-8"))
    tp = fp = fn = 0
    for item in truth["articles"]:
        if not item["file"].endswith(".txt"):
            continue
        result = clean_text((ROOT / "examples" / "articles" / item["file"]).read_text("utf-8"))
        removed = {_norm(str(r["line"])) for r in result.removed}
        wanted = {_norm(x) for x in item["junk_lines"] + item.get("meta_lines", [])}
        tp += len(removed & wanted)
        fp += len(removed - wanted)
        fn += len(wanted - removed)
    assert tp / (tp + fp) >= JUNK_PRECISION_FLOOR
    assert tp / (tp + fn) >= JUNK_RECALL_FLOOR


def test_gate_clean_html_extraction_on_trafilatura_de() -> None:
    if not (SHARED / "bench" / "trafilatura-de").is_dir():
        pytest.skip("../shared/bench/trafilatura-de is absent; the gate needs it")
    from bench.extraction import _storyline, load_pages, score

    pages = load_pages()
    assert pages
    assert score(_storyline, pages)["f1"] >= EXTRACTION_F1_FLOOR
