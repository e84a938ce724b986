"""The learned quote tagger on the shared seed articles (issue 15's wrong attributions).

Reads ../shared/seeds (skipped when absent) and never copies their text: each check
names a short fragment and asserts a property of the quote holding it (right speaker,
or no quote), not a full output.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyline.analyse.model import Analysis, Quote
from storyline.analyse.run import analyze
from storyline.config import defaults

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.exists(), reason=f"{SEEDS} is absent (shared seed articles)"),
]


@pytest.fixture(scope="module")
def seeds() -> Iterator[dict[str, Analysis]]:
    config = defaults().replace(quote_tagger="encoder")
    yield {
        p.name[:3]: analyze(p.read_text(encoding="utf-8"), lang="de", config=config)
        for p in sorted(SEEDS.glob("*.txt"))
    }


def _holding(a: Analysis, fragment: str) -> list[Quote]:
    return [q for q in a.quotes if fragment in q.text]


def _said_by(a: Analysis, fragment: str, name: str) -> None:
    found = _holding(a, fragment)
    assert found, f"no quote holds {fragment!r}"
    assert all(q.speaker_name and name in q.speaker_name for q in found), found


def test_bolton_warning_is_boltons(seeds: dict[str, Analysis]) -> None:
    for fragment in ("ziemlich bedeutsam", "möglichen Waffenhandel"):
        for q in _holding(seeds["003"], fragment):
            assert q.speaker_name and "Bolton" in q.speaker_name, q


def test_the_wests_fear_is_not_putins(seeds: dict[str, Analysis]) -> None:
    for q in _holding(seeds["003"], "neuen Waffenlieferungen"):
        assert not (q.speaker_name and "Putin" in q.speaker_name), q


def test_proverb_is_no_person(seeds: dict[str, Analysis]) -> None:
    """Putin cites a proverb: the quote is Putin's or the proverb's (kind document)."""
    for q in _holding(seeds["003"], "Gute Kleidung"):
        name = q.speaker_name or ""
        assert "Putin" in name or q.speaker_kind == "document", q
        if "Sprichwort" in name:
            assert q.speaker is None, q


def test_peskow_reported_is_peskows(seeds: dict[str, Analysis]) -> None:
    """'sagte Peskow Berichten zufolge': the speaker is Peskow, not the reports."""
    _said_by(seeds["003"], "Das gesamte Spektrum der Beziehungen", "Peskow")


def test_no_speaker_is_a_word_that_cannot_speak(seeds: dict[str, Analysis]) -> None:
    """'Berichten' ("Berichten zufolge") is a document source, never a person; the others
    are no source at all."""
    for a in seeds.values():
        for q in a.quotes:
            assert q.speaker_name not in ("Flugfähig", "denied", "Water"), q
            if q.speaker_name == "Berichten":
                assert q.speaker_kind == "document" and q.speaker is None, q


def test_everard_is_found(seeds: dict[str, Analysis]) -> None:
    _said_by(seeds["002"], "starker Grund", "Everard")
    _said_by(seeds["002"], "paranoid", "Everard")


def test_kremlin_and_kim_son_gyong_are_found(seeds: dict[str, Analysis]) -> None:
    found = _holding(seeds["002"], "nichts zu sagen")
    assert found and all(
        q.speaker_name and ("Kreml" in q.speaker_name or "Peskow" in q.speaker_name) for q in found
    ), found
    _said_by(seeds["004"], "ernsthafte politische Provokation", "Kim Son Gyong")


def test_one_quote_per_utterance(seeds: dict[str, Analysis]) -> None:
    """No quote lies inside another (scare-quote fragments are parts of their quote)."""
    for a in seeds.values():
        spans = sorted((q.start, q.end) for q in a.quotes)
        for (_, e1), (s2, _) in itertools.pairwise(spans):
            assert e1 <= s2, spans
