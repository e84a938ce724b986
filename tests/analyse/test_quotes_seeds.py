"""Quotes on the shared seed articles (read from ../shared/seeds; skipped when absent).

The seed texts stay outside the repository; these tests name only the speakers and
short fragments that must be attributed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.analyse.quotes import find_quotes
from storyline.analyse.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.exists(), reason=f"{SEEDS} is absent (shared seed articles)"),
]


def _speaker_of(prefix: str, fragment: str) -> str | None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    for q in find_quotes(text, split_sentences(text), [], "de", tagger="rules"):
        if q.kind == "direct" and q.text.startswith(fragment):
            return q.speaker_name
    raise AssertionError(f"no direct quote starting {fragment!r} in {path.name}")


@pytest.mark.parametrize(
    ("prefix", "fragment", "speaker"),
    [
        ("000", "Im Krieg gibt es nie genug Munition", "Andrei Lankov"),
        ("000", "Die Liste der Länder", "Leif-Eric Easley"),
        ("000", "Der Gipfel stärkt", "Leif-Eric Easley"),  # continuation paragraph
        ("001", "Es ist unser Nachbar", "Dmitri Peskow"),
        ("002", "Wir fordern die Demokratische", "John Kirby"),  # "sagte er"
        ("003", "Genau deshalb sind wir hierher gekommen", "Wladimir Putin"),
        ("003", "Auch heute sind wir bestrebt", "Wladimir Putin"),  # "sagte er"
        ("003", "Nordkorea ist unser enger Nachbar", "Dmitri Peskow"),
        ("003", "Dies geschieht außerdem", "Ankit Panda"),  # continuation paragraph
        ("004", "Es wird erwartet", "Shin Won-sik"),  # "so Shin"
    ],
)
def test_quotes_seed_speakers(prefix: str, fragment: str, speaker: str) -> None:
    assert _speaker_of(prefix, fragment) == speaker


def test_quotes_seed_reporting_chain_and_konjunktiv() -> None:
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    quotes = find_quotes(text, split_sentences(text), [], "de", tagger="rules")
    chain = [q for q in quotes if q.via == "dem US-Partner CBS der BBC"]
    assert chain and chain[0].speaker_name == "ein US-Beamter"
    text0 = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    indirect = [
        q
        for q in find_quotes(text0, split_sentences(text0), [], "de", tagger="rules")
        if q.kind == "indirect" and "werde ab Dienstag" in q.text
    ]
    assert indirect and indirect[0].speaker_name == "beide Länder"
