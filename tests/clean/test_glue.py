"""Glue repair: lost sentence breaks restored, real words and camel case left alone."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storyline.api import clean_text
from storyline.clean.glue import repair_glue

PROPERTY = settings(max_examples=80, deadline=None)


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        (
            "Er reiste nach RusslandDamit ist der Streit beendet.",
            "Er reiste nach Russland. Damit ist der Streit beendet.",
        ),
        (
            "Das Treffen fand im Juli stattals er in Berlin war.",
            "Das Treffen fand im Juli statt, als er in Berlin war.",
        ),
    ],
)
def test_glue_german_glued_sentences_are_repaired(line: str, fixed: str) -> None:
    out, repairs = repair_glue(line, "de")
    assert out == fixed
    assert len(repairs) == 1 and "->" in repairs[0]


def test_glue_repair_is_described() -> None:
    _, repairs = repair_glue("Er reiste nach RusslandDamit ist der Streit beendet.", "de")
    assert repairs == ["RusslandDamit -> Russland. Damit"]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    "line",
    [
        "McDonald eröffnet eine neue Filiale am Bahnhof.",
        "Das neue iPhone ist teurer als das alte.",
        "Er verkauft alte Bücher bei eBay und auf Flohmärkten.",
        "YouTube sperrt den Kanal des Politikers.",
        "OpenAI stellt ein neues Modell vor.",
        "The company PayPal and the site LinkedIn were not affected.",
        "Die Firmen KnowledgeCamp und TennisBase meldeten Gewinne.",
    ],
)
def test_glue_camel_case_names_are_unchanged(line: str, lang: str) -> None:
    assert repair_glue(line, lang) == (line, [])


def test_glue_english_glued_sentence() -> None:
    out, repairs = repair_glue("The talks ended on FridayThe minister left early.", "en")
    assert out == "The talks ended on Friday. The minister left early."
    assert repairs


def test_glue_other_languages_are_left_alone() -> None:
    line = "Er reiste nach RusslandDamit ist der Streit beendet."
    assert repair_glue(line, "fr") == (line, [])
    assert repair_glue(line, None) == (line, [])


def test_glue_repairs_in_the_pipeline_are_reported() -> None:
    text = (
        "Streit beigelegt\n"
        "Der Minister reiste am Montag nach RusslandDamit ist der lange Streit beendet.\n"
        "Beide Seiten zeigten sich nach dem Treffen zufrieden mit dem Ergebnis.\n"
    )
    result = clean_text(text)
    assert result.language == "de"
    assert "nach Russland. Damit ist" in result.text
    assert result.repairs == ["RusslandDamit -> Russland. Damit"]


# -- properties --------------------------------------------------------------------------

# Every clause opener the lowercase rule looks for ("als", "wenn", "which", "because" ...)
# contains an "s" or a "w": words without those letters cannot end in one.
LOWER_WORD = st.text(alphabet="abcdefghijklmnopqrtuvxyzäöüß", min_size=1, max_size=12)
REAL_WORDS = st.sampled_from(
    "der die das Stadt Haus Regierung Minister heute sagte nicht Russland Damit Juli statt "
    "McDonald iPhone eBay YouTube OpenAI the city council said Monday after when which "
    "Bürgermeister Straße über Flughafen Berlin London Paris Wahl".split()
)


@PROPERTY
@given(st.lists(LOWER_WORD, min_size=1, max_size=15).map(" ".join))
@example("der minister sagte am montag nichts")
def test_glue_lowercase_words_are_never_changed(line: str) -> None:
    for lang in ("de", "en"):
        assert repair_glue(line, lang) == (line, [])


@PROPERTY
@given(st.lists(REAL_WORDS, min_size=1, max_size=15).map(" ".join))
def test_glue_separate_real_words_are_never_changed(line: str) -> None:
    for lang in ("de", "en"):
        assert repair_glue(line, lang) == (line, [])


GLUE_TOKENS = st.sampled_from(
    ["RusslandDamit", "stattals", "FridayThe", "BerlinDie", "gesagtDer", "ParisThe"]
)


@PROPERTY
@given(st.lists(REAL_WORDS | GLUE_TOKENS | LOWER_WORD, min_size=1, max_size=15).map(" ".join))
@example("nach RusslandDamit ist")
def test_glue_repair_is_idempotent(line: str) -> None:
    for lang in ("de", "en"):
        once, _ = repair_glue(line, lang)
        twice, repairs = repair_glue(once, lang)
        assert twice == once
        assert repairs == []


@PROPERTY
@given(st.text(alphabet=st.characters(categories=("L", "Zs", "P")), max_size=120))
def test_glue_only_inserts_punctuation_and_spaces(line: str) -> None:
    out, repairs = repair_glue(line, "de")
    # the letters are the same, in the same order; only ". " or ", " was inserted
    assert [c for c in out if c.isalpha()] == [c for c in line if c.isalpha()]
    assert len(out) == len(line) + 2 * len(repairs)
    if not repairs:
        assert out == line
