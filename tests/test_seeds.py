"""The seed articles in ../shared/seeds: the acceptance checks of the skeleton.

These read the seeds from ../shared and never copy their text. Expected values
are the issue's acceptance criteria (outlets, junk lines named there); the
general rules behind them are tested with hand-made inputs elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline import clean_text
from storyline.jobs.ingest import ingest
from storyline.store import Store

pytestmark = pytest.mark.seeds

EXPECTED_OUTLETS = {"000": "Fox News", "001": "Il Tempo", "002": "BBC", "003": "CNN", "004": "RT"}
# Starts of junk lines the issue names; each must be removed, with a reason.
EXPECTED_REMOVED = (
    "Werden Sie Mitglied bei Fox News",
    "Treten Probleme auf? Klicken Sie hier.",
    "Leave a Reply",
    "Related Posts",
    "Total",
    "0",
    "Shares",
    "© ALLE RECHTE VORBEHALTEN",
    "PREV ",
    "NEXT ",
    "See also  Kevin Porter Jr.",
    "Durch die Sperrung von RT",
)
# Reasons that may take out long lines: promos and paywall legalese, never reporting.
LONG_JUNK_REASONS = {"paywall", "outlet-promo", "cookie-banner", "navigation"}


def _seed_files(seeds_dir: Path) -> list[Path]:
    files = sorted(seeds_dir.glob("*.txt"))
    assert len(files) == 5
    return files


def test_seeds_outlets_and_language(seeds_dir: Path) -> None:
    for path in _seed_files(seeds_dir):
        result = clean_text(path.read_text(encoding="utf-8"))
        assert result.outlet == EXPECTED_OUTLETS[path.name[:3]], path.name
        assert result.outlet_evidence is not None and result.outlet_evidence["method"].startswith(
            "text:"
        )
        assert result.language == "de", path.name


def test_seeds_named_junk_lines_are_removed_with_reasons(seeds_dir: Path) -> None:
    removed: list[dict[str, object]] = []
    for path in _seed_files(seeds_dir):
        removed.extend(clean_text(path.read_text(encoding="utf-8")).removed)
    for start in EXPECTED_REMOVED:
        hits = [
            r
            for r in removed
            if " ".join(str(r["line"]).split()).startswith(" ".join(start.split()))
        ]
        assert hits, f"junk line {start!r} was not removed"
        assert all(r["reason"] for r in hits)


def test_seeds_no_body_paragraph_is_lost(seeds_dir: Path) -> None:
    for path in _seed_files(seeds_dir):
        raw = path.read_text(encoding="utf-8")
        result = clean_text(raw)
        for r in result.removed:
            line = str(r["line"])
            if len(line.split()) >= 20:
                assert r["reason"] in LONG_JUNK_REASONS, (path.name, r)
            # A line with a quotation attributed by a cue verb is reporting, never junk.
            assert not re.search(r"[„“\"].{10,}[“”\"].{0,40}\bsagte\b", line), (path.name, r)
        kept = [p for p in raw.split("\n") if len(p.split()) >= 12]
        removed_lines = {str(r["line"]) for r in result.removed}
        for paragraph in kept:
            if paragraph.strip() in removed_lines:
                continue
            # Glue repair may insert a break; compare on the words.
            words = paragraph.split()
            assert " ".join(words[:6]) in " ".join(result.text.split()) or paragraph.strip() == (
                result.title
            ), (path.name, paragraph[:80])


def test_seeds_glued_sentences_are_repaired(seeds_dir: Path) -> None:
    repairs = []
    for path in _seed_files(seeds_dir):
        result = clean_text(path.read_text(encoding="utf-8"))
        repairs.extend(result.repairs)
        assert not re.search(r"[a-zäöüß]{3,}(Damit|Der|Die|Das)\b", result.text), path.name
    assert repairs, "the seeds contain glued sentences; none were repaired"


def test_seeds_ingest_twice_leaves_five_articles(seeds_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "seeds.db") as store:
        first = ingest([str(seeds_dir)], store)
        assert len(first.stored) == 5 and not first.errors
        second = ingest([str(seeds_dir)], store)
        assert second.stored == [] and not second.errors
        assert store.count() == 5
        outlets = {a["outlet"] for a in store.iter_articles()}
        assert outlets == set(EXPECTED_OUTLETS.values())
