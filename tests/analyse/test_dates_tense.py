"""Day ranges, clause tense and scheduling prepositions in the date finder.

Hand-made sentences for three faults found on our example corpus: "vom 4. bis
zum 14. März" read as a lone future "14. März"; "would have got" read as
future; "bekanntgab" (a separable verb's past in a subordinate clause) not
read as past.
"""

from __future__ import annotations

import pytest
from wordfreq import top_n_list

from storyline.analyse.dates import find_dates
from storyline.analyse.dates_lex import PAST, UNKNOWN, _word_tense
from storyline.analyse.sentences import split_sentences


def _found(text: str, published: str, lang: str = "de") -> list[tuple[str, str, str]]:
    return [
        (d.text, d.value, d.precision)
        for d in find_dates(text, split_sentences(text), published, lang)
    ]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("Rund 4.200 Beschäftigte hatten vom 4. bis zum 14. März die Arbeit niedergelegt.",
         "4. bis zum 14. März"),
        ("Rund 4.200 Beschäftigte hatten vom 4. bis 14. März die Arbeit niedergelegt.",
         "4. bis 14. März"),
        ("Die Beschäftigten hatten zwischen dem 4. und dem 14. März gestreikt.",
         "4. und dem 14. März"),
    ],
)  # fmt: skip
def test_dates_range_vom_bis_zum_in_past_perfect_is_one_past_range(
    text: str, expression: str
) -> None:
    assert _found(text, "2025-09-19") == [(expression, "2025-03-04/2025-03-14", "range")]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("Workers had walked out from 4 to 14 March.", "4 to 14 March"),
        ("Workers walked out between March 4 and 14.", "March 4 and 14"),
    ],
)
def test_dates_range_english_from_to_and_between(text: str, expression: str) -> None:
    assert _found(text, "2025-09-19", "en") == [(expression, "2025-03-04/2025-03-14", "range")]


def test_dates_range_across_two_months() -> None:
    assert _found("Vom 4. März bis zum 14. April hatten sie gestreikt.", "2025-09-19") == [
        ("4. März bis zum 14. April", "2025-03-04/2025-04-14", "range")
    ]
    assert _found("The strike ran from March 4 to April 14.", "2025-09-19", "en") == [
        ("March 4 to April 14", "2025-03-04/2025-04-14", "range")
    ]


def test_dates_past_clause_wins_over_scheduling_preposition() -> None:
    # "bis zum" alone would read as a deadline (future); the past perfect decides.
    assert _found("Die Frist hatte bis zum 14. März gegolten.", "2025-09-19") == [
        ("14. März", "2025-03-14", "day")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Die Löhne steigen zum 1. Juli.", "2026-07-01"),
        ("Zum 1. Juli steigen die Löhne.", "2026-07-01"),
        ("Die Regel gilt ab dem 1. Juli.", "2026-07-01"),
        ("Seit dem 1. Juli gelten neue Regeln.", "2025-07-01"),
    ],
)
def test_dates_scheduling_preposition_in_present_tense(text: str, value: str) -> None:
    assert [v for _, v, _ in _found(text, "2025-09-19")] == [value]


def test_dates_present_range_is_the_coming_one() -> None:
    assert _found("Die Messe findet vom 4. bis zum 14. März statt.", "2025-10-20") == [
        ("4. bis zum 14. März", "2026-03-04/2026-03-14", "range")
    ]


def test_dates_conditional_perfect_is_past() -> None:
    text = (
        "Without the pressure of March, the union would “never have got above four per cent”, "
        "she said."
    )
    assert _found(text, "2025-06-13", "en") == [("March", "2025-03", "month")]
    assert _found("Without the strike in March, pay wouldn't have risen.", "2025-06-13", "en") == [
        ("March", "2025-03", "month")
    ]
    text = "Ohne den Streik im März würde die Gewerkschaft nie vier Prozent erreicht haben."
    assert _found(text, "2025-06-13") == [("März", "2025-03", "month")]


def test_dates_plain_would_and_will_stay_future() -> None:
    assert _found("The union said it would strike in July.", "2025-06-13", "en") == [
        ("July", "2025-07", "month")
    ]
    assert _found("The talks will resume on Monday.", "2025-09-19", "en") == [
        ("on Monday", "2025-09-22", "day")
    ]
    assert _found("Putin wird am Dienstag nach Peking reisen.", "2025-09-19") == [
        ("am Dienstag", "2025-09-23", "day")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "… dem Schlichtungsergebnis aus dem Juni zu, wie die Gewerkschaft am Freitag bekanntgab.",
        "Die Gewerkschaft gab am Freitag bekannt, die Mitglieder hätten zugestimmt.",
    ],
)
def test_dates_separable_verb_past_in_subordinate_clause(text: str) -> None:
    # Published on a Saturday: the Friday before, not the coming one.
    found = _found(text, "2025-09-20")
    assert ("am Freitag", "2025-09-19", "day") in found


@pytest.mark.parametrize(
    "word",
    "bekanntgab festnahm zurückwies aufrief abgab stattfand bekanntgaben mitteilte ankündigte "
    "vorstellte einräumte zustimmte hochstufte zurückruderte niederlegten".split(),
)
def test_dates_separable_verb_past_forms(word: str) -> None:
    assert _word_tense(word, "de", False) == PAST


@pytest.mark.parametrize(
    "word",
    "festhalten ausschalten einschreiten anbieten halten warten treten selten zweiten meiste "
    "beiseite aufrechte vorletzte ausverkauften hochqualifizierte festgelegte Angaben Vorstand "
    "Anstieg".split(),
)
def test_dates_separable_rule_leaves_ordinary_words_alone(word: str) -> None:
    assert _word_tense(word, "de", False) == UNKNOWN


def test_dates_separable_rule_on_frequent_words() -> None:
    # Over the 20k most frequent German words: separable pasts are found, and words that
    # only end like a (separable) weak past are not. The nouns the rule would also match
    # ("angaben", "vorstand") are capitalised in text and never asked.
    marked = {
        w for w in top_n_list("de", 20000) if w.isalpha() and _word_tense(w, "de", False) == PAST
    }
    for word in ("seite", "halten", "warten", "selten", "zweiten", "meiste", "bieten"):
        assert word not in marked
    for word in ("stattfand", "ankam", "ausging", "annahm", "auftrat", "sagte", "änderte"):
        assert word in marked


def test_dates_present_tense_ten_words_are_coming_days() -> None:
    # "halten", "warten" end like a weak past but are present tense ("halen", "waren").
    assert _found("Die Busfahrer halten am Freitag eine Kundgebung ab.", "2025-09-17") == [
        ("am Freitag", "2025-09-19", "day")
    ]
    assert _found("Die Eltern warten am Samstag auf die Entscheidung.", "2025-09-17") == [
        ("am Samstag", "2025-09-20", "day")
    ]


def test_tense_perfect_of_verbs_with_an_inseparable_prefix_is_past() -> None:
    # issue 16: "hat … beendet" (no "ge-") was read without a tense: the coming Wednesday
    assert _found("Die Ministerin hat ihren Besuch am Mittwoch beendet.", "2031-05-15") == [
        ("am Mittwoch", "2031-05-14", "day")
    ]
    assert _found("Der Rat hat den Plan am Montag verabschiedet.", "2031-05-15") == [
        ("am Montag", "2031-05-12", "day")
    ]


def test_tense_retroactive_dates_are_past() -> None:
    # issue 16: "rückwirkend zum 1. Juli" resolves like its English twin
    assert _found("Die Renten steigen rückwirkend zum 1. Juli.", "2026-03-10") == [
        ("1. Juli", "2025-07-01", "day")
    ]
    assert _found("Pensions rise retroactive to July 1.", "2026-03-10", "en") == [
        ("July 1", "2025-07-01", "day")
    ]


def test_tense_is_read_for_a_bounded_number_of_dates_per_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thousands of dates on one line (a table, hostile input) are found in linear time:
    the clause's tense is read for the first MAX_TENSE_READS of a sentence only."""
    import time

    from storyline.analyse import dates_lex
    from storyline.analyse.dates_find import find_expressions

    reads: list[int] = []
    real = dates_lex.clause_tense
    monkeypatch.setattr(
        dates_lex,
        "clause_tense",
        lambda *a: reads.append(1) or real(*a),  # type: ignore[func-returns-value]
    )
    line = "Die Sitzung war am 3. Oktober 2023 und " * 2000
    sentences = split_sentences(line)
    begun = time.perf_counter()
    found = find_expressions(line, sentences, "de")
    assert time.perf_counter() - begun < 5.0
    assert len(found) >= 2000
    assert 0 < len(reads) <= dates_lex.MAX_TENSE_READS * len(sentences) < len(found)
