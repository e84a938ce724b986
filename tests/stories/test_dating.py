"""Dating an article from the dates other articles of its story state."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from storyline.analyse.sentences import split_sentences
from storyline.stories.dating import ContextDate, Fact, infer_from_story, interval


def _fact(value: str, article: str = "a1", entities: frozenset[str] = frozenset()) -> Fact:
    span = interval(value)
    assert span is not None
    return Fact(span[0], span[1], span[2], entities, article, value)


def _infer(text: str, facts: list[Fact], near: list[date] | None = None) -> ContextDate | None:
    return infer_from_story(text, split_sentences(text), "de", [], facts, near or [])


def test_dating_interval_of_stored_values() -> None:
    assert interval("2025-03-04") == (date(2025, 3, 4), date(2025, 3, 4), "day")
    assert interval("2025-02") == (date(2025, 2, 1), date(2025, 2, 28), "month")
    assert interval("2024") == (date(2024, 1, 1), date(2024, 12, 31), "year")
    assert interval("2024-06-18/2024-06-19") == (date(2024, 6, 18), date(2024, 6, 19), "day")
    # a week is no day: it pins a month at best
    assert interval("2024-06-17/2024-06-23")[2] == "month"  # type: ignore[index]
    assert interval("2006/2008") == (date(2006, 1, 1), date(2008, 12, 31), "year")
    assert interval("199") is None and interval("kein Datum") is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dating_interval_round_trips_every_day(d: date) -> None:
    assert interval(d.isoformat()) == (d, d, "day")


@given(st.text(max_size=30))
def test_dating_interval_never_raises(value: str) -> None:
    interval(value)


def test_dating_day_and_month_without_year_find_the_story_day() -> None:
    text = "Die Beschäftigten legten am Dienstag (4. März) die Arbeit nieder. Am Abend ruhte der Hafen."
    found = _infer(text, [_fact("2025-03-04")], [date(2025, 3, 4)])
    assert found is not None
    assert found.value == "2025-03-04"
    assert found.confidence >= 0.5
    assert "4. März" in found.evidence


def test_dating_weekday_told_in_future_puts_the_article_before_it() -> None:
    # 17 June 2025 is a Tuesday
    text = "Der Minister wird ab Dienstag zu einem zweitägigen Besuch nach Wien reisen."
    found = _infer(text, [_fact("2025-06-17/2025-06-18")], [date(2025, 6, 16)])
    assert found is not None
    day = date.fromisoformat(found.value)
    assert date(2025, 6, 11) <= day <= date(2025, 6, 16)


def test_dating_month_told_in_future_stays_before_the_happening() -> None:
    text = "Die Ministerin plant, diesen Monat nach Paris zu reisen, um den Präsidenten zu treffen."
    facts = [_fact("2023-09-13", "b"), _fact("2023-09", "c")]
    found = _infer(text, facts)
    assert found is not None
    day = date.fromisoformat(found.value)
    assert date(2023, 9, 1) <= day < date(2023, 9, 13)


def test_dating_years_ago_pick_the_year_of_a_known_year() -> None:
    text = "Vor 24 Jahren besuchte der Präsident das Land zum ersten und einzigen Mal."
    facts = [_fact("2000-07", "b"), _fact("2000-07", "c"), _fact("2024-06-18", "b")]
    found = _infer(text, facts, [date(2024, 6, 17)])
    assert found is not None
    assert found.value.startswith("2024-")


def test_dating_nothing_to_match_gives_nothing() -> None:
    text = "Die Sitzung verlief ruhig, Beschlüsse wurden nicht gefasst."
    assert _infer(text, [_fact("2025-03-04")]) is None
    assert _infer("Am Dienstag regnete es.", []) is None


def test_dating_article_unaware_of_a_story_milestone_is_older_than_it() -> None:
    # Two articles date a meeting in September 2023; an article that names only 2019 as
    # background and weekdays is placed before the later June 2024 days it could match.
    text = (
        "Der Präsident traf den Gast am Mittwoch im Raumfahrtzentrum. "
        "Der Gast war am Dienstag mit dem Zug angereist. "
        "Die beiden hatten sich zuletzt 2019 getroffen."
    )
    facts = [
        _fact("2023-09-13", "b"),
        _fact("2023-09", "c"),
        _fact("2024-06-18", "d"),
        _fact("2024-06-19", "d"),
    ]
    found = _infer(text, facts, [date(2024, 6, 17)])
    assert found is not None
    assert found.value == "2023-09-13"


def test_dating_weekdays_sit_close_before_publication() -> None:
    text = (
        "Der Sprecher sagte am Montag, die Gespräche seien schwierig. "
        "Am Mittwoch äußerte sich der Minister. Am Freitag hieß es, man sei einig."
    )
    facts = [_fact("2025-05-07", "b")]  # a Wednesday
    found = _infer(text, facts, [date(2025, 5, 9)])
    assert found is not None
    day = date.fromisoformat(found.value)
    assert date(2025, 5, 9) <= day <= date(2025, 5, 9) + timedelta(days=1)


def test_dating_weekdays_alone_never_make_a_sure_date() -> None:
    text = "Die Gespräche begannen am Dienstag. Am Mittwoch wurden sie fortgesetzt."
    facts = [_fact("2025-05-06", "b", frozenset({"x"})), _fact("2025-05-07", "b")]
    found = _infer(text, facts, [date(2025, 5, 7)])
    assert found is not None and found.value in ("2025-05-07", "2025-05-08")
    assert found.confidence < 0.5


def test_dating_weekday_that_names_a_date_is_that_date_only() -> None:
    # "am Dienstag (4. März)": the Tuesday is 4 March. Counted alone it matched a later
    # Tuesday the story knows (1 July 2025), whose sentence shared an entity, and the
    # article landed in July.
    text = (
        "Rund 4.200 Beschäftigte der HKB haben am Dienstag (4. März) die Arbeit niedergelegt. "
        "Die HKB hatte das Angebot am Ende des Monats vorgelegt."
    )
    facts = [
        _fact("2025-03-04"),
        _fact("2025-07-01", "a2", frozenset({"hkb"})),
        _fact("2025-07-01", "a3", frozenset({"hkb"})),
    ]
    mentions = [(m.start(), m.end(), "hkb") for m in re.finditer("HKB", text)]
    found = infer_from_story(
        text, split_sentences(text), "de", mentions, facts, [date(2025, 3, 4), date(2025, 7, 1)]
    )
    assert found is not None
    assert date(2025, 3, 4) <= date.fromisoformat(found.value) <= date(2025, 3, 5), found
