"""Publication dates: metadata values, "Stand:" lines and "City, date –" datelines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.api import clean_text
from storyline.clean.published import find_date, find_dateline, is_metadata_line, parse_date_value

PROPERTY = settings(max_examples=100, deadline=None)
DE_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

DATES = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))


def formats(d: date, pad: bool, style: int) -> str:
    day = f"{d.day:02d}" if pad else str(d.day)
    month = f"{d.month:02d}" if pad else str(d.month)
    return [
        d.isoformat(),
        f"{day}.{month}.{d.year}",
        f"{day}. {DE_MONTHS[d.month - 1]} {d.year}",
        f"{EN_MONTHS[d.month - 1]} {day}, {d.year}",
        f"{day} {EN_MONTHS[d.month - 1]} {d.year}",
        f"{d.isoformat()}T10:15:00+02:00",
    ][style]


@PROPERTY
@given(DATES, st.booleans(), st.integers(0, 5))
def test_published_parse_date_value_supported_formats(d: date, pad: bool, style: int) -> None:
    assert parse_date_value(formats(d, pad, style)) == d.isoformat()


@PROPERTY
@given(
    DATES,
    st.booleans(),
    st.integers(0, 4),
    st.sampled_from(["Am", "Laut Polizei geschah es am", "It happened on", "Bericht vom"]),
    st.sampled_from(["in Hamburg.", "gegen Mittag", ", the police said.", ""]),
)
def test_published_find_date_in_a_sentence(
    d: date, pad: bool, style: int, before: str, after: str
) -> None:
    value = formats(d, pad, style)
    line = f"{before} {value} {after}"
    found = find_date(line)
    assert found is not None
    iso, start, end = found
    assert iso == d.isoformat()
    assert line[start:end] == value


@PROPERTY
@given(st.text(alphabet=st.characters(categories=("L", "Zs", "P")), max_size=60))
def test_published_text_without_digits_has_no_date(text: str) -> None:
    assert find_date(text) is None
    assert parse_date_value(text) is None


def test_published_earliest_date_wins() -> None:
    found = find_date("Aktualisiert am 5. März 2025, zuerst erschienen am 2025-03-01")
    assert found is not None and found[0] == "2025-03-05"


@pytest.mark.parametrize(
    "raw", ["2024-02-30", "31.04.2024", "gestern", "", "17.06.24", "Juni 2024"]
)
def test_published_invalid_or_partial_values_are_none(raw: str) -> None:
    assert parse_date_value(raw) is None


@pytest.mark.parametrize(("raw", "value"), [("2024", "2024"), ("2024-06", "2024-06")])
def test_published_year_and_month_values(raw: str, value: str) -> None:
    assert parse_date_value(raw) == value


@pytest.mark.parametrize("raw", ["2024-13", "2024-00"])
def test_published_impossible_month_is_rejected(raw: str) -> None:
    assert parse_date_value(raw) is None


@pytest.mark.parametrize(
    "line",
    [
        "Stand: 04.03.2025, 14:10 Uhr",
        "Veröffentlicht am 4. März 2025",
        "Published March 4, 2025",
        "04.03.2025",
        "Updated: 2025-03-04 09:30 CET",
    ],
)
def test_published_metadata_lines(line: str) -> None:
    assert is_metadata_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Am 4. März 2025 beschloss der Stadtrat nach langer Debatte den Haushalt.",
        "Hamburg, 4. März 2025 – Die Hafenbehörde hat neue Regeln erlassen.",
    ],
)
def test_published_sentences_with_dates_are_not_metadata_lines(line: str) -> None:
    assert not is_metadata_line(line)


TITLE = "Neue Regeln für den Hafen"
BODY = [
    "Die Hafenbehörde hat neue Regeln für Containerschiffe erlassen.",
    "Die Reedereien reagierten zurückhaltend auf die Ankündigung.",
]


def test_published_metadata_date_is_kept() -> None:
    r = clean_text(
        "\n".join([TITLE, "Stand: 04.03.2025, 14:10 Uhr", *BODY]), published="2024-06-17T08:00:00Z"
    )
    assert r.published == "2024-06-17"
    assert r.published_source == "metadata"


def test_published_stand_line_is_removed_as_dateline() -> None:
    line = "Stand: 04.03.2025, 14:10 Uhr"
    r = clean_text("\n".join([TITLE, line, *BODY]))
    assert r.published == "2025-03-04"
    assert r.published_source == "text"
    assert {"line": line, "reason": "dateline", "position": 1} in r.removed
    assert "Stand" not in r.text


@pytest.mark.parametrize("line", ["Published June 17, 2024", "Veröffentlicht am 17. Juni 2024"])
def test_published_line_under_the_title(line: str) -> None:
    r = clean_text("\n".join([TITLE, line, *BODY]))
    assert r.published == "2024-06-17"
    assert r.published_source == "text"
    assert {"line": line, "reason": "dateline", "position": 1} in r.removed


@pytest.mark.parametrize("line", ["Published June 17, 2024", "Veröffentlicht am 17. Juni 2024"])
def test_published_line_at_the_bottom(line: str) -> None:
    r = clean_text("\n".join([TITLE, *BODY, line]))
    assert r.published == "2024-06-17"
    assert r.published_source == "text"
    assert {"line": line, "reason": "dateline", "position": 3} in r.removed


def test_published_city_dateline_is_taken_off_the_lead() -> None:
    # issue 16: the dateline is furniture; the lead keeps its sentence, the prefix is kept
    # as a removed line with its reason
    lead = "Hamburg, 4. März 2025 – Die Hafenbehörde hat neue Regeln für Containerschiffe erlassen."
    r = clean_text("\n".join([TITLE, lead, BODY[1]]))
    assert r.published == "2025-03-04"
    assert r.published_source == "text"
    assert r.text.startswith("Die Hafenbehörde hat neue Regeln")
    assert r.removed == [{"line": "Hamburg, 4. März 2025 –", "reason": "dateline", "position": 1}]


def test_published_date_deep_in_the_body_is_not_a_publication_date() -> None:
    body = [f"Absatz {i}: Die Beratungen gingen am Nachmittag weiter." for i in range(12)]
    body[10] = "Die Regeln sollen am 1. Januar 2026 in Kraft treten, sagte die Behörde."
    r = clean_text("\n".join([TITLE, *body]))
    assert r.published is None and r.published_source is None


def test_published_unparseable_metadata_falls_back_to_text() -> None:
    r = clean_text("\n".join([TITLE, "Stand: 04.03.2025", *BODY]), published="irgendwann")
    assert r.published == "2025-03-04"
    assert r.published_source == "text"


def test_published_find_dateline_prefers_published_over_updated() -> None:
    lines = ["Aktualisiert: 06.03.2025", "Veröffentlicht: 04.03.2025", *BODY]
    assert find_dateline(lines) == ("2025-03-04", 1, "metadata-line")


def test_published_find_dateline_none_without_dates() -> None:
    assert find_dateline(BODY) is None
