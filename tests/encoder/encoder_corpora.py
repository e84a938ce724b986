"""Texts for the encoder tests, read from ../shared/bench (skipped when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.corpora import column_sentences

SHARED_BENCH = Path(__file__).resolve().parents[2].parent / "shared" / "bench"


def germeval_sentences(limit: int) -> list[str]:
    """Sentences of GermEval 2014 dev (test data only here; never trained on)."""
    path = SHARED_BENCH / "germeval2014" / "NER-de-dev.tsv"
    if not path.exists():
        pytest.skip(f"{path} is absent (benchmark data lives in ../shared/bench)")
    return column_sentences(path, 1)[:limit]


def semeval_texts(limit: int) -> list[str]:
    """Article texts of the SemEval-2022 task 8 pairs (German and English)."""
    import csv

    path = SHARED_BENCH / "semeval2022-t8" / "pairs-de-en.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent (benchmark data lives in ../shared/bench)")
    csv.field_size_limit(1 << 26)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    return [r["text_2"] for r in rows]
