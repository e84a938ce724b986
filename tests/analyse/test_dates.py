"""Date finding and resolution, publication-date inference, and the quality gate.

All inputs are hand-made; the gate runs our own test set bench/data/dates.tsv.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bench.dates import check_case, load_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyse.dates import date_spans, find_dates, infer_published
from storyline.analyse.sentences import split_sentences

MONDAY = "2024-06-17"
DE_MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
EN_MONTHS = "January February March April May June July August September October November December"


def _values(text: str, published: str | None = MONDAY, lang: str = "de") -> dict[str, str]:
    return {d.text: d.value for d in find_dates(text, split_sentences(text), published, lang)}


def test_dates_future_tense_weekday_is_the_coming_one() -> None:
    assert _values("Der Präsident wird ab Dienstag Paris besuchen.") == {
        "ab Dienstag": "2024-06-18"
    }


def test_dates_past_tense_weekday_is_the_past_one() -> None:
    assert _values("Die Ministerin sagte am Dienstag, sie trete zurück.") == {
        "am Dienstag": "2024-06-11"
    }


def test_dates_konjunktiv_werde_reads_as_future() -> None:
    text = "Der Kanzler werde am Donnerstag nach Rom reisen, teilte sein Sprecher mit."
    assert _values(text)["am Donnerstag"] == "2024-06-20"


def test_dates_range_of_two_days() -> None:
    found = find_dates("Das Treffen ist am 18. und 19. Juni.", [], MONDAY, "de")
    assert [(d.value, d.precision) for d in found] == [("2024-06-18/2024-06-19", "range")]


def test_dates_bare_month_year_follows_tense() -> None:
    assert _values("Die Firma wurde im September verkauft.") == {"September": "2023-09"}
    assert _values("Die Firma soll im September verkauft werden.") == {"September": "2024-09"}


def test_dates_year_only_in_year_context() -> None:
    assert _values("Die beiden trafen sich 2019 in Genf.") == {"2019": "2019"}
    assert _values("Das Land lieferte 2019 Container und 7.000 Granaten.") == {}


def test_dates_relative_expressions() -> None:
    values = _values(
        "Gestern und heute wurde verhandelt. Ende letzten Monats war er in Rom. "
        "Vor 24 Jahren kam er erstmals. Die Raketen starteten am Mittwochmorgen."
    )
    assert values == {
        "Gestern": "2024-06-16",
        "heute": "2024-06-17",
        "Ende letzten Monats": "2024-05",
        "Vor 24 Jahren": "2000",
        "am Mittwochmorgen": "2024-06-12",
    }


def test_dates_english_forms() -> None:
    text = (
        "The minister said on Tuesday that talks will resume next week. "
        "They last met on September 13, 2023, two years ago, and will meet again in July."
    )
    assert _values(text, lang="en") == {
        "on Tuesday": "2024-06-11",
        "next week": "2024-06-24/2024-06-30",
        "September 13, 2023": "2023-09-13",
        "two years ago": "2022",
        "July": "2024-07",
    }


def test_dates_without_publication_only_absolute_resolve() -> None:
    text = "Am 13. September 2023 traf er ihn, am Dienstag sagte er ab."
    assert _values(text, published=None) == {"13. September 2023": "2023-09-13"}
    assert date_spans(text, []) == [(3, 21), (35, 46)]


def test_dates_modal_may_is_not_a_month() -> None:
    assert _values("He may travel to Moscow.", lang="en") == {}


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 4))
def test_dates_any_written_date_resolves_to_itself(day: date, form: int) -> None:
    de_month = DE_MONTHS.split()[day.month - 1]
    en_month = EN_MONTHS.split()[day.month - 1]
    written = [
        f"{day.day}. {de_month} {day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{en_month} {day.day}, {day.year}",
        f"{day.day} {en_month} {day.year}",
        day.isoformat(),
    ][form]
    lang = "en" if form in (2, 3) else "de"
    text = (
        f"Das Ereignis fand am {written} statt." if lang == "de" else f"It happened on {written}."
    )
    found = find_dates(text, split_sentences(text), None, lang)
    assert [(d.text, d.value, d.precision) for d in found] == [(written, day.isoformat(), "day")]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(0, 6))
def test_dates_weekday_lies_within_a_week_on_the_tense_side(pub: date, weekday: int) -> None:
    name = "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split()[weekday]
    past = _values(f"Er sagte am {name}, er komme.", pub.isoformat())[f"am {name}"]
    future = _values(f"Er wird am {name} kommen.", pub.isoformat())[f"am {name}"]
    for value, sign in ((past, -1), (future, 1)):
        delta = (date.fromisoformat(value) - pub).days * sign
        assert 0 <= delta <= 6 and date.fromisoformat(value).weekday() == weekday


def _infer(text: str, lang: str = "de") -> tuple[str, float, str] | None:
    return infer_published(text, split_sentences(text), lang)


def test_infer_published_relative_day_explained_by_a_date() -> None:
    text = (
        "Die Kanzlerin reist morgen und übermorgen (18. und 19. Juni) nach Paris.\n"
        "Zuletzt war sie im September 2023 dort."
    )
    result = _infer(text)
    assert result is not None and result[0] == "2024-06-17" and result[1] >= 0.7
    assert "übermorgen" in result[2]


def test_infer_published_heute_with_weekday_and_date() -> None:
    text = "Heute (Mittwoch, 13. September) beginnt der Gipfel. Im Juli 2023 war alles offen."
    result = _infer(text)
    assert result is not None and result[0] == "2023-09-13"


def test_infer_published_weekday_matching_an_explicit_date() -> None:
    text = (
        "Die beiden Präsidenten trafen sich am 13. September 2023 im Kosmodrom.\n"
        "Der Gast sagte am Mittwoch, die Gespräche seien gut verlaufen.\n"
        "Er war am Dienstag mit dem Zug angekommen."
    )
    result = _infer(text)
    assert result is not None and result[0] == "2023-09-13" and result[1] >= 0.5


def test_infer_published_years_since_gives_the_year_with_low_confidence() -> None:
    text = (
        "Es ist sein erster Besuch seit 24 Jahren.\n"
        "Damals, im Juli 2000, traf er den Vater des heutigen Machthabers."
    )
    result = _infer(text)
    assert result is not None and result[0].startswith("2024") and result[1] < 0.5


def test_infer_published_english_tomorrow() -> None:
    text = "The president travels tomorrow (June 18) to Paris. He was there in September 2023."
    result = _infer(text, "en")
    assert result is not None and result[0] == "2024-06-17"


def test_infer_published_nothing_without_a_year() -> None:
    assert _infer("Der Minister sagte am Dienstag, er komme im Juli wieder.") is None
    assert _infer("") is None


def test_infer_published_lower_bound_is_the_latest_past_date() -> None:
    text = "Der Vertrag wurde am 2. März 2021 unterzeichnet. Am 4. Mai 2021 trat er in Kraft."
    result = _infer(text)
    assert result is not None
    assert date.fromisoformat(result[0]) - date(2021, 5, 4) <= timedelta(days=60)
    assert result[0] >= "2021-05-04"


# Quality gate: accuracy on our own date test set, pinned a little below the measured figure
# (1.00 on 146 cases when pinned; the set was written beside the code, so expect less on new text).
ACCURACY_FLOOR = 0.95


def test_dates_quality_gate_on_own_test_set() -> None:
    cases = load_cases()
    assert len(cases) >= 80
    right = sum(check_case(case)[0] for case in cases)
    assert right / len(cases) >= ACCURACY_FLOOR


@pytest.mark.parametrize("lang", ["de", "en"])
def test_dates_test_set_covers_both_languages(lang: str) -> None:
    assert sum(c["lang"] == lang for c in load_cases()) >= 30


def test_dates_present_tense_verb_in_ten_is_not_past() -> None:
    # "erhalten" ends like a weak past ("-ten") but is present tense: the coming August.
    text = "Zusätzlich erhalten die Beschäftigten im August eine Einmalzahlung."
    found = find_dates(text, split_sentences(text), "2025-06-13", "de")
    assert [d.value for d in found] == ["2025-08"]


def test_dates_weak_past_with_stem_in_t_is_past() -> None:
    text = "Die Zeitung berichtete im August über den Plan."
    found = find_dates(text, split_sentences(text), "2025-06-13", "de")
    assert [d.value for d in found] == ["2024-08"]
