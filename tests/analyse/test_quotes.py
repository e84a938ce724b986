"""Quote finding on hand-made German and English text (no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.analyse.model import Mention, Quote
from storyline.analyse.quotes import find_quotes
from storyline.analyse.sentences import split_sentences


def _quotes(text: str, lang: str = "de", mentions: list[Mention] | None = None) -> list[Quote]:
    return find_quotes(text, split_sentences(text), mentions or [], lang, tagger="rules")


def _find(quotes: list[Quote], fragment: str) -> Quote:
    for q in quotes:
        if fragment in q.text:
            return q
    raise AssertionError(f"no quote contains {fragment!r}: {[q.text for q in quotes]}")


def test_quotes_direct_german_marks_with_cue_after() -> None:
    text = (
        "Maria Schneider, eine Expertin an der Universität Bonn, warnte vor Folgen.\n\n"
        "„Die Lage ist ernster als gedacht, das wissen alle“, sagte Schneider gegenüber der Presse."
    )
    q = _find(_quotes(text), "Die Lage ist ernster")
    assert q.kind == "direct"
    assert q.speaker_name == "Maria Schneider"
    assert q.cue == "sagte"
    assert q.via == "der Presse"
    assert q.speaker_start is not None and q.speaker_end is not None
    assert text[q.speaker_start : q.speaker_end] == "Schneider"


@pytest.mark.parametrize(
    ("open_", "close"),
    [
        ("„", "“"),
        ('"', '"'),
        ("“", "”"),
        ("»", "«"),
        ("«", "»"),
        ("„", "”"),
        ("„", '"'),
        ("“", "“"),
    ],
)
def test_quotes_every_mark_style(open_: str, close: str) -> None:
    text = f"Der Minister Paul Weber trat vor die Presse. {open_}Wir werden das Gesetz ändern{close}, sagte Weber."
    q = _find(_quotes(text), "Wir werden das Gesetz")
    assert q.text == "Wir werden das Gesetz ändern"
    assert q.speaker_name == "Paul Weber"


def test_quotes_cue_before_with_colon() -> None:
    text = "Auf die Frage nach den Plänen antwortete Bürgermeisterin Eva Roth: „Genau deshalb sind wir hier.“"
    q = _find(_quotes(text), "Genau deshalb")
    assert q.speaker_name == "Eva Roth"
    assert q.cue == "antwortete"


def test_quotes_so_parenthetical() -> None:
    text = "„Der Plan wird scheitern, wenn niemand zahlt“, so Müller."
    assert _find(_quotes(text), "Der Plan").speaker_name == "Müller"


def test_quotes_continuation_paragraph_goes_to_previous_speaker() -> None:
    text = (
        "„Wir haben lange verhandelt“, sagte der Gewerkschaftschef Tom Berger.\n\n"
        "„Am Ende zählt nur, was für die Beschäftigten herauskommt. Das ist unser Auftrag.“\n\n"
        "Die Arbeitgeber äußerten sich nicht."
    )
    q = _find(_quotes(text), "Am Ende zählt")
    assert q.speaker_name == "Tom Berger"


def test_quotes_pronoun_resolves_to_most_recent_person() -> None:
    text = (
        "Regierungssprecher Jan Vogel sprach am Montag vor Journalisten.\n\n"
        "„Wir fordern eine schnelle Einigung aller Beteiligten“, sagte er."
    )
    q = _find(_quotes(text), "Wir fordern")
    assert q.speaker_name == "Jan Vogel"
    assert q.speaker_start is not None
    assert text[q.speaker_start : q.speaker_end] == "er"


def test_quotes_indirect_dass_clause() -> None:
    text = "Die Direktorin Anna Weiß sagte am Dienstag, dass die Schule im Herbst öffnen werde."
    q = _find(_quotes(text), "dass die Schule")
    assert q.kind == "indirect"
    assert q.speaker_name == "Anna Weiß"
    assert q.text.endswith("werde")


def test_quotes_indirect_konjunktiv_fronted_clause() -> None:
    text = "Der Präsident werde ab Dienstag nach Rom reisen, teilten beide Regierungen mit."
    q = _find(_quotes(text), "werde ab Dienstag")
    assert q.kind == "indirect"
    assert q.speaker_name == "beide Regierungen"
    assert q.cue == "teilten mit"


def test_quotes_indirect_prepositional_sources() -> None:
    quotes = _quotes(
        "Nach Angaben der Polizei wurden drei Menschen verletzt. "
        "Laut Innenministerium sei die Lage inzwischen ruhig."
    )
    assert _find(quotes, "wurden drei Menschen").speaker_name == "Polizei"
    assert _find(quotes, "sei die Lage").speaker_name == "Innenministerium"


def test_quotes_reporting_chain_is_kept() -> None:
    text = "Der Kanzler plane eine Reise nach Paris, sagte ein Regierungsbeamter dem Sender ARD der Zeitung."
    q = _find(_quotes(text), "plane eine Reise")
    assert q.speaker_name == "ein Regierungsbeamter"
    assert q.via == "dem Sender ARD der Zeitung"


def test_quotes_konjunktiv_continuation_keeps_speaker() -> None:
    text = (
        "Der Bürgermeister Karl Brandt sagte, die Brücke werde im Mai gesperrt. "
        "Eine Umleitung sei bereits eingerichtet."
    )
    q = _find(_quotes(text), "Eine Umleitung")
    assert q.kind == "indirect"
    assert q.speaker_name == "Karl Brandt"


def test_quotes_scare_quotes_are_not_quotes() -> None:
    text = "Das Projekt gilt in der Stadt als „neues Kapitel“ der Verkehrspolitik."
    assert _quotes(text) == []


def test_quotes_label_verb_gives_fragment_to_subject() -> None:
    text = "Die Ministerin Ulla Kern bezeichnete den Besuch als „wichtiges Zeichen“."
    q = _find(_quotes(text), "wichtiges Zeichen")
    assert q.kind == "direct"
    assert q.speaker_name == "Ulla Kern"


def test_quotes_english_said_after_and_pronoun() -> None:
    text = (
        "Andrew Miller, an analyst at the Brookings Institution, studied the deal.\n\n"
        '"There is never enough money in a war like this one," Miller told Reuters.\n\n'
        '"We will see more of these deals soon," he said.'
    )
    quotes = _quotes(text, "en")
    first = _find(quotes, "never enough")
    assert first.speaker_name == "Andrew Miller"
    assert first.via == "Reuters"
    assert _find(quotes, "We will see").speaker_name == "Andrew Miller"


def test_quotes_english_according_to_and_that_clause() -> None:
    quotes = _quotes(
        "According to the ministry, the plant will close in June. "
        "The mayor said that the city would appeal.",
        "en",
    )
    assert _find(quotes, "plant will close").speaker_name == "ministry"
    assert _find(quotes, "city would appeal").speaker_name == "mayor"


def test_quotes_mentions_supply_entity_ids() -> None:
    text = "„Das ist ein guter Tag für alle Bürger“, sagte Kanzlerin Petra Lang."
    start = text.index("Petra Lang")
    mention = Mention(start, start + len("Petra Lang"), "Petra Lang", "PER", "per:petra-lang")
    q = _find(_quotes(text, mentions=[mention]), "guter Tag")
    assert q.speaker == "per:petra-lang"
    assert q.speaker_name == "Petra Lang"


def test_quotes_empty_text() -> None:
    assert find_quotes("", [], [], "de", tagger="rules") == []
    assert find_quotes("   \n\n ", [], [], None, tagger="rules") == []


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abc XYZ„“”\"»«‚‘'.,:\n sagte er so laut dass")), max_size=200
    )
)
def test_quotes_never_crash_and_spans_index_text(text: str) -> None:
    for lang in ("de", "en", None):
        for q in find_quotes(text, split_sentences(text), [], lang, tagger="rules"):
            assert 0 <= q.start <= q.end <= len(text)
            assert text[q.start : q.end] == q.text
            if q.speaker_start is not None:
                assert q.speaker_end is not None
                assert 0 <= q.speaker_start < q.speaker_end <= len(text)


_SPKATT = Path(__file__).resolve().parents[3] / "shared" / "bench" / "spkatt2023" / "train"


@pytest.mark.skipif(not _SPKATT.exists(), reason=f"{_SPKATT} is absent (shared benchmark data)")
def test_quotes_quality_gate_on_heldout_sample() -> None:
    """Joint F1 on the first 40 held-out SpkAtt files stays above a pinned floor."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.quotes import evaluate, split_files

    result = evaluate(split_files(_SPKATT, "heldout")[:40])
    assert result["joint"]["f1"] >= JOINT_FLOOR, result
    assert result["message"]["f1"] >= MESSAGE_FLOOR, result


# Measured on this sample: joint 0.567, message 0.584 (full held-out part: see bench/quotes.py).
JOINT_FLOOR = 0.55
MESSAGE_FLOOR = 0.565


def test_speaker_name_drops_article_after_nach_angaben() -> None:
    text = "Nach Angaben des THW wurden am Morgen vier Brücken gesperrt."
    qs = find_quotes(text, [], [], "de", tagger="rules")
    assert qs and qs[0].speaker_name == "THW"


def test_fronted_time_phrase_is_not_the_speaker() -> None:
    text = (
        "Während einer Sitzung im Herbst sagte der bayerische Umweltminister Karl Brenner, "
        "der See sei nicht mehr zu retten."
    )
    qs = find_quotes(text, [], [], "de", tagger="rules")
    assert qs and qs[0].speaker_name == "Karl Brenner"
    assert qs[0].text == "der See sei nicht mehr zu retten"


def test_new_cue_verbs_govern_a_clause() -> None:
    text = "Die Gewerkschaft verlangte, die Löhne seien deutlich zu niedrig."
    qs = find_quotes(text, [], [], "de", tagger="rules")
    assert qs and qs[0].text == "die Löhne seien deutlich zu niedrig"
    assert qs[0].cue == "verlangte"


def test_weak_cue_with_dass_clause() -> None:
    text = "Der Trainer erwartet, dass seine Mannschaft am Samstag gewinnen wird."
    qs = find_quotes(text, [], [], "de", tagger="rules")
    assert qs and qs[0].speaker_name == "Trainer"
