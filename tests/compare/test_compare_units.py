"""Claim units and cue words: which sentences become claims, and of what kind."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from storyline.compare import cues
from storyline.compare.units import article_units


def _article(text: str, **rows: list[dict[str, Any]]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "a1",
        "text": text,
        "mentions": [],
        "quotes": [],
        "quantities": [],
        "dates": [],
    }
    base.update(rows)
    return base


def test_cues_denial_finds_inflected_and_separated_verbs() -> None:
    assert cues.denial("Die Regierung hat die Berichte dementiert.") == "dementiert"
    assert cues.denial("Beide Seiten bestritten jede Beteiligung.")
    assert cues.denial("Der Minister wies die Vorwürfe am Montag entschieden zurück.")
    assert cues.denial("The ministry denied the report.") == "denied"
    assert cues.denial("Der Minister wies auf die Lage hin.") is None


def test_cues_hedge_and_points_back() -> None:
    assert cues.hedge("Berichten zufolge steht der Besuch bevor.") == "Berichten zufolge"
    assert cues.hedge("The convoy reportedly left at night.") == "reportedly"
    assert cues.hedge("Der Zug fuhr um acht Uhr ab.") is None
    assert cues.points_back("Beide haben die Vorwürfe zurückgewiesen.")
    assert not cues.points_back("Beide haben jede Lieferung von Waffen bestritten.")


@given(st.text(max_size=300))
def test_cues_never_raise_on_any_text(text: str) -> None:
    cues.denial(text), cues.hedge(text), cues.accusation(text), cues.points_back(text)


def test_units_keep_sentences_with_entities_figures_quotes_or_denials() -> None:
    text = (
        "Es regnete den ganzen Tag über in der ganzen Stadt sehr stark. "
        "Die Hafenbetreiberin meldete am Abend rund 1.200 gestaute Container. "
        "Die Gewerkschaft hat die Darstellung des Unternehmens dementiert."
    )
    s2 = text.index("Die Hafen")
    fig = text.index("rund 1.200")
    units = article_units(
        _article(
            text,
            quantities=[
                {
                    "start": fig + 5,
                    "end": fig + 26,
                    "text": "1.200 gestaute Container",
                    "value": 1200.0,
                    "unit": None,
                    "counted": "Container",
                    "hedge": "rund",
                }
            ],
            mentions=[{"start": s2 + 4, "end": s2 + 19, "entity_id": "e-hafen"}],
        )
    )
    kinds = [u.kind for u in units]
    assert kinds == ["figure", "denial"]
    assert units[0].entities == frozenset({"e-hafen"})
    assert units[0].figures[0].value == 1200.0


def test_units_time_spans_are_not_figures() -> None:
    text = "Die Verhandlungen der beiden Tarifparteien dauerten insgesamt zwei Tage lang."
    at = text.index("zwei")
    units = article_units(
        _article(
            text,
            quantities=[
                {
                    "start": at,
                    "end": at + 9,
                    "text": "zwei Tage",
                    "value": 2.0,
                    "unit": None,
                    "counted": "Tage",
                    "hedge": None,
                }
            ],
            mentions=[{"start": 4, "end": 18, "entity_id": "e-x"}],
        )
    )
    assert units and units[0].kind == "statement" and units[0].figures == ()


def test_units_carry_the_speaker_of_the_widest_quote() -> None:
    text = "Die Ministerin sagte, man werde „alle Optionen prüfen“ und bald entscheiden."
    units = article_units(
        _article(
            text,
            quotes=[
                {
                    "start": 21,
                    "end": 75,
                    "kind": "indirect",
                    "speaker": "e-min",
                    "speaker_name": "Ministerin",
                    "via": "dem Sender",
                },
                {
                    "start": 33,
                    "end": 52,
                    "kind": "direct",
                    "speaker": "e-min",
                    "speaker_name": "Ministerin",
                    "via": None,
                },
            ],
        )
    )
    assert units[0].speaker == "e-min" and units[0].via == "dem Sender"


def test_actors_read_capitals_as_their_states() -> None:
    from storyline.compare.actors import actor_key

    assert actor_key("Pjöngjang") == actor_key("Nordkorea") == actor_key("North Korea")
    assert actor_key("Moskau") == actor_key("Russland")
    assert actor_key("Kim Jong Un") != actor_key("Nordkorea")
    assert actor_key("Hamburg") == actor_key("Hamburg")


def test_units_actors_use_entity_names() -> None:
    text = "Die Regierung in Moskau hat den Bericht über die Lieferungen dementiert."
    at = text.index("Moskau")
    units = article_units(
        _article(
            text, mentions=[{"start": at, "end": at + 6, "entity_id": "e-mos", "name": "Moskau"}]
        )
    )
    from storyline.compare.actors import actor_key

    assert units[0].actors == frozenset({actor_key("Russland")})
    assert units[0].entities == frozenset({"e-mos"})


@given(
    st.lists(st.tuples(st.integers(0, 300), st.integers(1, 40)), max_size=40),
    st.integers(0, 320),
    st.integers(1, 80),
)
def test_units_span_lookup_equals_a_scan(spans: list[tuple[int, int]], lo: int, width: int) -> None:
    from storyline.compare.units import _Spans

    rows = [{"start": s, "end": s + n, "i": i} for i, (s, n) in enumerate(spans)]
    hi = lo + width
    expected = [r for r in rows if r["start"] < hi and r["end"] > lo]
    assert _Spans(rows).within(lo, hi) == expected
