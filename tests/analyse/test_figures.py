"""Figures: value, unit, counted noun and hedge, German and English formats (hand-made inputs)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyse.figures import find_quantities
from storyline.analyse.model import Quantity
from storyline.analyse.sentences import split_sentences


def _find(text: str, lang: str = "de") -> list[Quantity]:
    return find_quantities(text, split_sentences(text), lang)


def _triples(text: str, lang: str = "de") -> list[tuple[float, str | None, str | None, str | None]]:
    return [(q.value, q.unit, q.counted, q.hedge) for q in _find(text, lang)]


def test_figures_german_thousands_and_scale_words() -> None:
    text = "Das Land lieferte rund 7.000 Container und bis zu 4,8 Millionen Artilleriegranaten."
    assert _triples(text) == [
        (7000.0, None, "Container", "rund"),
        (4800000.0, None, "Artilleriegranaten", "bis zu"),
    ]


def test_figures_counted_noun_skips_adjectives() -> None:
    assert _triples("Es kamen mehr als 9.000 russische Container an.") == [
        (9000.0, None, "Container", "mehr als")
    ]


def test_figures_currency_and_percent() -> None:
    text = "Die Hilfe beträgt rund 12 Millionen Euro, die Quote stieg auf 9,5 Prozent."
    assert _triples(text) == [(12000000.0, "EUR", None, "rund"), (9.5, "%", None, None)]


def test_figures_parenthetical_conversion_is_not_counted_twice() -> None:
    found = _find("Die Raketen flogen etwa 650 Kilometer (400 Meilen) weit.")
    assert [(q.text, q.value, q.unit) for q in found] == [("650 Kilometer", 650.0, "km")]


def test_figures_hyphenated_calibre() -> None:
    assert _triples("Gebraucht werden 122-mm- und 152-mm-Granaten.") == [
        (122.0, "mm", "Granaten", None),
        (152.0, "mm", "Granaten", None),
    ]


def test_figures_number_words_count_things() -> None:
    assert _triples("Sie feuerten zwei ballistische Raketen ab, ein Test.") == [
        (2.0, None, "Raketen", None)
    ]


def test_figures_exclude_dates_times_ordinals_and_ids() -> None:
    text = (
        "Am 13. September 2023 um 11:43 Uhr sprach er über Covid-19, die G20 und "
        "Resolution 2231; der 2. Platz ging 2019 an Kiew."
    )
    assert _find(text) == []


def test_figures_english_formats() -> None:
    text = (
        "More than 1,000 containers arrived, worth $12 million, with up to 4.8 million shells "
        "and two ballistic missiles; growth was 3.5%."
    )
    assert _triples(text, "en") == [
        (1000.0, None, "containers", "more than"),
        (12000000.0, "USD", None, None),
        (4800000.0, None, "shells", "up to"),
        (2.0, None, "missiles", None),
        (3.5, "%", None, None),
    ]


def test_figures_spans_index_the_text() -> None:
    text = "Kopf\nRund 7.000 Container kamen an.\nDann 12 Millionen Euro."
    for q in _find(text):
        assert text[q.start : q.end] == q.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"0123456789.,:-%€$ ()aAzZmk\n",
                *(" Mio ", " Euro ", " Container ", " zwei ", " rund ", " 13. Juni "),
                *(" 2019 ", "-mm-", " Prozent", " (400 Meilen)", " bis zu "),
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_figures_never_crash_and_spans_index_text(text: str) -> None:
    for lang in ("de", "en"):
        for q in find_quantities(text, split_sentences(text), lang):
            assert text[q.start : q.end] == q.text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1000, max_value=999_999_999))
def test_figures_thousands_separators_parse_in_both_languages(n: int) -> None:
    de = f"{n:,}".replace(",", ".")
    en = f"{n:,}"
    assert _triples(f"Es gab {de} Anträge.") == [(float(n), None, "Anträge", None)]
    assert _triples(f"There were {en} applications.", "en") == [
        (float(n), None, "applications", None)
    ]
