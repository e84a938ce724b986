"""Dates and figures on the shared seed articles (read from ../shared/seeds, never copied).

The general rules are tested with hand-made inputs in test_dates.py and test_figures.py;
here we check the issue's examples on the seeds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.analyse.dates import find_dates, infer_published
from storyline.analyse.figures import find_quantities
from storyline.analyse.sentences import split_sentences

pytestmark = pytest.mark.seeds


def _seed(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_dates_seeds_visit_tomorrow_gives_the_17th(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "001")
    result = infer_published(text, split_sentences(text), "de")
    assert result is not None and result[0] == "2024-06-17"


def test_dates_seeds_years_since_gives_2024(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000")
    result = infer_published(text, split_sentences(text), "de")
    assert result is not None and result[0].startswith("2024") and result[1] < 0.5
    assert abs((date.fromisoformat(result[0]) - date(2024, 6, 17)).days) <= 31


def test_dates_seeds_visit_resolves_to_the_coming_tuesday(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "000")
    values = {(d.text, d.value) for d in find_dates(text, split_sentences(text), "2024-06-17")}
    assert ("ab Dienstag", "2024-06-18") in values
    assert ("am Montag", "2024-06-17") in values
    assert ("Juli 2000", "2000-07") in values


def test_dates_seeds_summit_wednesday(seeds_dir: Path) -> None:
    text = _seed(seeds_dir, "003")
    values = {d.value for d in find_dates(text, split_sentences(text), "2023-09-13")}
    assert {"2023-09-13", "2023-09-12"} <= values


def test_figures_seeds_issue_examples(seeds_dir: Path) -> None:
    found = {}
    for prefix in ("000", "004", "003"):
        text = _seed(seeds_dir, prefix)
        found.update({q.text: q for q in find_quantities(text, split_sentences(text), "de")})
    assert found["7.000 Container"].value == 7000
    assert found["4,8 Millionen Artilleriegranaten"].value == 4_800_000
    assert found["4,8 Millionen Artilleriegranaten"].hedge == "bis zu"
    assert found["650 Kilometern"].unit == "km"
    assert not any("400" in t for t in found)
