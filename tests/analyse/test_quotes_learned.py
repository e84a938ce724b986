"""The learned quote tagger (issue 15): decoding, assembly into one quote per utterance,
speaker linking on hand-made spans, the setting switch, and a quality gate.

The gate scores the first 40 files of the SpkAtt held-out part (sorted index % 5 == 0,
never trained or tuned on); full figures: bench/quotes.py and docs/benchmarks.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from storyline.analyse.model import Mention, Sentence
from storyline.analyse.quotes import find_quotes, use_learned
from storyline.analyse.quotes_learned import assemble, source_kind
from storyline.analyse.quotes_tagger import GROUPS, Span, decode
from storyline.config import defaults

NEG = -20.0


def _logp(rows: list[dict[str, str]]) -> np.ndarray:
    """[n, 3, 3] log-probabilities: per token the named tag of each group wins."""
    out = np.full((len(rows), len(GROUPS), 3), NEG, dtype=np.float32)
    for i, row in enumerate(rows):
        for g, kind in enumerate(GROUPS):
            out[i, g, "OBI".index(row.get(kind, "O"))] = 0.0
    return out


def test_decode_spans_and_continuation() -> None:
    offsets = np.array([[0, 3], [4, 9], [10, 13], [14, 18]])
    spans = decode(
        _logp([{"message": "I"}, {"message": "I"}, {"cue": "B"}, {"source": "B"}]), offsets, 100
    )
    by_kind = {s.kind: s for s in spans}
    assert (by_kind["message"].start, by_kind["message"].end) == (100, 109)
    assert by_kind["message"].continues  # a message may run on from the last sentence
    assert (by_kind["cue"].start, by_kind["source"].end) == (110, 118)
    assert not by_kind["cue"].continues


def test_decode_never_starts_a_source_inside() -> None:
    spans = decode(_logp([{"source": "I"}, {"source": "I"}]), np.array([[0, 2], [3, 5]]), 0)
    assert [(s.kind, s.continues) for s in spans] == [("source", False)]


def _sentences(text: str) -> list[Sentence]:
    out, pos = [], 0
    for part in text.split(". "):
        end = min(pos + len(part) + 1, len(text))
        out.append(Sentence(pos, end, text[pos:end]))
        pos = end + 1
    return out


def _span(text: str, words: str, kind: str, continues: bool = False, nth: int = 0) -> Span:
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return Span(at, at + len(words), kind, 0.9, continues)


def test_one_quote_per_utterance_across_sentences() -> None:
    text = "Anna Berg sagte, die Lage sei ernst. Man müsse jetzt handeln."
    sents = _sentences(text)
    per = [
        [
            _span(text, "Anna Berg", "source"),
            _span(text, "sagte", "cue"),
            _span(text, "die Lage sei ernst", "message"),
        ],
        [_span(text, "Man müsse jetzt handeln", "message", continues=True)],
    ]
    ment = [Mention(0, 9, "Anna Berg", "PER", "e1")]
    quotes = assemble(text, sents, per, ment, "de")
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text == "die Lage sei ernst. Man müsse jetzt handeln"
    assert (q.speaker, q.speaker_name, q.cue, q.speaker_kind) == (
        "e1",
        "Anna Berg",
        "sagte",
        "person",
    )
    assert q.confidence is not None and 0.0 < q.confidence <= 1.0


def test_free_indirect_sentence_keeps_the_previous_speaker() -> None:
    text = "Anna Berg sagte, die Lage sei ernst. Man müsse jetzt handeln."
    sents = _sentences(text)
    per = [
        [_span(text, "Anna Berg", "source"), _span(text, "die Lage sei ernst", "message")],
        [_span(text, "Man müsse jetzt handeln", "message")],
    ]
    quotes = assemble(text, sents, per, [Mention(0, 9, "Anna Berg", "PER", "e1")], "de")
    assert [q.speaker for q in quotes] == ["e1", "e1"]


def test_person_named_only_inside_the_quote_is_no_speaker() -> None:
    text = "„Ich glaube, Paul Kern hat recht“, hieß es."
    sents = [Sentence(0, len(text), text)]
    per = [
        [
            _span(text, "Paul Kern", "source"),
            _span(text, "„Ich glaube, Paul Kern hat recht“", "message"),
            _span(text, "hieß", "cue"),
        ]
    ]
    quotes = assemble(text, sents, per, [Mention(13, 22, "Paul Kern", "PER", "e2")], "de")
    assert len(quotes) == 1 and quotes[0].kind == "direct"
    assert quotes[0].speaker is None and quotes[0].speaker_name is None
    assert quotes[0].text == "Ich glaube, Paul Kern hat recht"


def test_pronoun_takes_the_person_named_before() -> None:
    text = "Der Minister Jan Ober kam spät. Er sagte, das Gesetz komme."
    sents = _sentences(text)
    per = [[], [_span(text, "Er", "source"), _span(text, "das Gesetz komme", "message")]]
    quotes = assemble(text, sents, per, [Mention(13, 21, "Jan Ober", "PER", "e3")], "de")
    assert quotes[0].speaker == "e3" and quotes[0].speaker_name == "Jan Ober"


def test_documents_and_media_are_not_persons() -> None:
    assert source_kind("ein koreanisches Sprichwort", None) == "document"
    assert source_kind("Berichten", None) == "document"
    assert source_kind("einer neuen Studie", None) == "document"
    assert source_kind("the report", None) == "document"
    assert source_kind("Greenpeace", "ORG") == "organisation"
    assert source_kind("Anna Berg", "PER") == "person"
    text = "Er zitierte ein Sprichwort: „Alte Freunde sind die besten Freunde.“"
    per = [
        [
            _span(text, "ein Sprichwort", "source"),
            _span(text, "„Alte Freunde sind die besten Freunde.“", "message"),
        ]
    ]
    q = assemble(text, [Sentence(0, len(text), text)], per, [], "de")[0]
    assert q.speaker_kind == "document" and q.speaker is None


def test_lone_word_is_no_quote() -> None:
    text = "Das Flugzeug sei „flugfähig“ gewesen."
    per = [[_span(text, "„flugfähig“", "message")]]
    assert assemble(text, [Sentence(0, len(text), text)], per, [], "de") == []


def test_setting_picks_the_tagger() -> None:
    accurate = defaults().replace(profile="accurate")
    fast = defaults().replace(profile="fast")
    assert use_learned(accurate)  # the default: the learned tagger under the accurate profile
    assert not use_learned(fast)  # and the rules under fast
    assert not use_learned(fast.replace(quote_tagger="profile"))
    assert use_learned(accurate.replace(quote_tagger="profile"))
    assert use_learned(fast.replace(quote_tagger="encoder"))
    assert use_learned(fast, "encoder") and not use_learned(accurate, "rules")


def test_learned_tagger_end_to_end() -> None:
    text = (
        "Die Bürgermeisterin Eva Lind sagte am Montag, die Brücke werde im Mai eröffnet. "
        "„Wir sind im Zeitplan“, sagte sie."
    )
    quotes = find_quotes(text, [], [], "de", tagger="encoder")
    assert quotes, "the learned tagger finds the two quotes"
    for q in quotes:
        assert text[q.start : q.end] == q.text
        assert q.confidence is not None
        if q.speaker_name is not None:
            assert "Lind" in q.speaker_name or "Bürgermeisterin" in q.speaker_name


_SPKATT = Path(__file__).resolve().parents[3] / "shared" / "bench" / "spkatt2023" / "train"


@pytest.mark.skipif(not _SPKATT.exists(), reason=f"{_SPKATT} is absent (shared benchmark data)")
def test_learned_quality_gate_on_heldout_sample() -> None:
    """Joint and source F1 on the first 40 held-out SpkAtt files stay above pinned floors."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.quotes import evaluate, split_files

    result = evaluate(split_files(_SPKATT, "heldout")[:40], "encoder")
    assert result["joint"]["f1"] >= JOINT_FLOOR, result
    assert result["source"]["f1"] >= SOURCE_FLOOR, result


# Measured on this sample: joint 0.641, source 0.553 (full held-out part: joint 0.651,
# source 0.556; docs/benchmarks.md).
JOINT_FLOOR = 0.62
SOURCE_FLOOR = 0.52


def test_unsure_quotes_are_stored_but_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """quote_min_confidence: the learned tagger's unsure quotes stay in the store (with
    confidence and speaker kind) but speaker look-ups leave them out; the rules' quotes
    (no confidence) always show."""
    from storyline.analyse.model import Analysis, Quote
    from storyline.store import Store
    from storyline.store.analysis import article_analysis, quotes_by_speaker, save_analysis

    text = "Anna Berg sagte, es regne. Anna Berg sagte, es schneie. Anna Berg sagte, es hagle."
    quotes = [
        Quote(
            17, 25, "es regne", "indirect", None, "Anna Berg", "sagte", 0, 9, None, 0.9, "person"
        ),
        Quote(
            44,
            54,
            "es schneie",
            "indirect",
            None,
            "Anna Berg",
            "sagte",
            27,
            36,
            None,
            0.3,
            "person",
        ),
        Quote(73, 81, "es hagle", "indirect", None, "Anna Berg", "sagte", 56, 65),
    ]
    with Store(tmp_path / "q.db") as store:
        store.conn.execute(
            "INSERT INTO articles(id, text, raw_text, text_hash, created_at) "
            "VALUES ('a1', ?, ?, 'h', '')",
            (text, text),
        )
        save_analysis(store, "a1", Analysis(text, "de", None, quotes=quotes), "accurate")
        stored = article_analysis(store, "a1")["quotes"]
        assert [(q["confidence"], q["speaker_kind"]) for q in stored] == [
            (0.9, "person"),
            (0.3, "person"),
            (None, None),
        ]
    strict = defaults().replace(quote_min_confidence=0.5)
    with Store(tmp_path / "q.db", config=strict) as store:
        assert {q["text"] for q in quotes_by_speaker(store, "Anna Berg")} == {
            "es regne",
            "es hagle",
        }
    with Store(tmp_path / "q.db", config=defaults().replace(quote_min_confidence=0)) as store:
        assert len(quotes_by_speaker(store)) == 3


def test_english_regression_set() -> None:
    """bench/data/quotes_en.json (written here, invented people): the learned tagger keeps
    its measured attributions (10 of 19 right, none wrong, no false quote)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.quotes_en import evaluate

    result = evaluate("encoder")
    assert result["right"] >= EN_RIGHT_FLOOR, result
    assert result["wrong"] <= 1 and result["false_quotes"] == 0, result


EN_RIGHT_FLOOR = 9
