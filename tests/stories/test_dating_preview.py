"""Previews are dated before what they announce; weekday-only articles stay near their story.

Hand-written text (issue 16): the rules behind the seeds' RT and BBC dates.
"""

from __future__ import annotations

from datetime import date

from storyline.analyse.sentences import split_sentences
from storyline.stories.dating import ContextDate, Fact, infer_from_story, interval

_VISIT = frozenset({"kanzler", "ostland"})


def _fact(value: str, article: str, *, announced: bool = False) -> Fact:
    span = interval(value)
    assert span is not None
    return Fact(span[0], span[1], span[2], _VISIT, article, value, announced=announced)


def _mentions(text: str) -> list[tuple[int, int, str]]:
    out = []
    for word, entity in (("Kanzler", "kanzler"), ("Ostland", "ostland")):
        start = text.find(word)
        while start >= 0:
            out.append((start, start + len(word), entity))
            start = text.find(word, start + 1)
    return out


def _infer(text: str, facts: list[Fact], near: list[date]) -> ContextDate | None:
    return infer_from_story(text, split_sentences(text), "de", _mentions(text), facts, near)


def test_a_preview_is_dated_before_the_visit_it_announces() -> None:
    text = (
        "Der Kanzler reist bald nach Ostland, der Besuch steht unmittelbar bevor. "
        "Ein Sprecher sagte am Freitag, man freue sich. Am Mittwoch hatte die Regierung "
        "in Ostland die Reise angedeutet, am Donnerstag nannte sie kein Datum."
    )
    # Two reports, dated 2031-05-12, announce the visit for Tuesday 13 and 14 May 2031
    # (one recalls the hint of Wednesday 7 May); a report after it (2031-05-16) recalls it.
    facts = [
        _fact("2031-05-07", "b"),
        _fact("2031-05-13/2031-05-14", "b", announced=True),
        _fact("2031-05-13", "c", announced=True),
        _fact("2031-05-16", "d"),
    ]
    found = _infer(text, facts, [date(2031, 5, 12), date(2031, 5, 12), date(2031, 5, 16)])
    assert found is not None
    assert found.value < "2031-05-13"
    assert found.value == "2031-05-09"  # the Friday: every weekday told in the past fits


def test_a_report_of_the_visit_is_not_held_before_it() -> None:
    text = "Der Kanzler traf am Dienstag in Ostland ein. Am Mittwoch reiste er weiter."
    facts = [_fact("2031-05-13/2031-05-14", "b", announced=True), _fact("2031-05-13", "c")]
    found = _infer(text, facts, [date(2031, 5, 12), date(2031, 5, 15)])
    assert found is not None
    assert found.value >= "2031-05-14"


def test_weekdays_alone_do_not_carry_an_article_a_year_away() -> None:
    # One report recalls a single day of the year before; the story's reports are from May.
    text = "Der Kanzler sagte am Dienstag, Ostland bleibe ein Partner."
    facts = [
        _fact("2030-04-09", "b"),
        _fact("2031-05-13", "b"),
        _fact("2031-05-13", "c"),
    ]
    found = _infer(text, facts, [date(2031, 5, 13), date(2031, 5, 13)])
    assert found is not None
    assert found.value.startswith("2031-05")


def test_a_coarse_preview_lands_inside_its_window_not_at_a_far_report() -> None:
    # "diesen Monat" told in the future before a meeting on 13 September; the dated
    # reports are from the next year: they do not pull the date to the end of the window.
    text = "Der Kanzler plant, diesen Monat nach Ostland zu reisen. Am Montag hieß es, alles sei offen."
    facts = [_fact("2030-09-13", "b"), _fact("2030-09", "c"), _fact("2031-06-18", "c")]
    found = _infer(text, facts, [date(2031, 6, 17), date(2031, 6, 20)])
    assert found is not None
    assert "2030-09-01" <= found.value <= "2030-09-08"
