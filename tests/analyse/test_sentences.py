"""Sentence splitting and tokenisation on German and English news text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.analyse.sentences import split_sentences, tokenize


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_sentences_german_dates_do_not_split() -> None:
    text = "Die Gipfel fanden am 13. September 2023 und am 18. und 19. Juni statt. Danach ging es weiter."
    assert _texts(text) == [
        "Die Gipfel fanden am 13. September 2023 und am 18. und 19. Juni statt.",
        "Danach ging es weiter.",
    ]


def test_sentences_abbreviations_and_initials_do_not_split() -> None:
    text = "Dr. Meyer traf z. B. John F. Kennedy Jr. in Berlin. Das war neu."
    assert _texts(text) == ["Dr. Meyer traf z. B. John F. Kennedy Jr. in Berlin.", "Das war neu."]


def test_sentences_ordinal_after_article_is_not_a_boundary() -> None:
    assert _texts("Sie kam auf den 3. Platz. Er nicht.") == [
        "Sie kam auf den 3. Platz.",
        "Er nicht.",
    ]


def test_sentences_quote_ending_in_full_stop_ends_sentence() -> None:
    text = "Er sagte: „Wir kommen wieder.“ Dann ging er."
    assert _texts(text) == ["Er sagte: „Wir kommen wieder.“", "Dann ging er."]


def test_sentences_year_at_end_is_a_boundary() -> None:
    assert _texts("Sie trafen sich 2019. Dann nicht mehr.") == [
        "Sie trafen sich 2019.",
        "Dann nicht mehr.",
    ]


def test_sentences_paragraph_break_always_splits() -> None:
    assert _texts("Erste Zeile ohne Punkt\n\nZweite Zeile") == [
        "Erste Zeile ohne Punkt",
        "Zweite Zeile",
    ]


def test_sentences_english_text() -> None:
    text = 'Mr. Smith met the U.S. envoy on Tuesday. He said: "We agree." Talks continue.'
    assert _texts(text) == [
        "Mr. Smith met the U.S. envoy on Tuesday.",
        'He said: "We agree."',
        "Talks continue.",
    ]


def test_tokenize_keeps_numbers_and_hyphenated_names() -> None:
    tokens = [
        t.text
        for t in tokenize("Kim Jong-un nannte 7.000 Container, 4,8 Mio. und 122-mm-Granaten.")
    ]
    assert tokens == [
        "Kim",
        "Jong-un",
        "nannte",
        "7.000",
        "Container",
        ",",
        "4,8",
        "Mio",
        ".",
        "und",
        "122-mm-Granaten",
        ".",
    ]


@given(st.text(max_size=300))
def test_sentences_spans_index_the_text(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text
