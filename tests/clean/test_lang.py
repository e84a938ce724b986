"""Language identification: German and English recognised, unsure cases say so."""

from __future__ import annotations

import pytest

from storyline.api import clean_text
from storyline.clean.lang import detect_language

GERMAN = (
    "Der Stadtrat hat am Dienstag nach langer Debatte den Haushalt für das kommende "
    "Jahr beschlossen. Die Opposition kritisierte die hohen Ausgaben."
)
ENGLISH = (
    "The city council approved the budget for next year on Tuesday after a long "
    "debate. The opposition criticised the high spending on roads."
)


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (ENGLISH, "en")])
def test_lang_detects_german_and_english(text: str, code: str) -> None:
    lang, confidence = detect_language(text)
    assert lang == code
    assert 0.5 <= confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "12.06.2024 14:10", "Ja.", "https://x.de/1"])
def test_lang_too_little_text_is_unknown(text: str) -> None:
    assert detect_language(text) == (None, 0.0)


def test_lang_pipeline_detects_language() -> None:
    r = clean_text("Haushalt beschlossen\n" + GERMAN)
    assert r.language == "de"
    r = clean_text("Budget approved\n" + ENGLISH)
    assert r.language == "en"


def test_lang_hint_overrides_detection_and_is_normalised() -> None:
    r = clean_text("Haushalt beschlossen\n" + GERMAN, lang=" EN ")
    assert r.language == "en"
