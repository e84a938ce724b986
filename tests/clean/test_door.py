"""Text normalised at the door: no library entry point raises on a Python str."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import storyline
from storyline.clean.door import REPLACEMENT, repair_hints, repair_text
from storyline.errors import StorylineError
from storyline.ingest.readers import read_bytes
from storyline.model import Document, Hints

# Ordinary characters mixed with what JSON or surrogateescape decoding can put in a str.
ODD = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d\ude00", "\x00"])
HOSTILE = st.lists(st.one_of(st.characters(), ODD), max_size=300).map("".join)
SENTENCES = st.lists(
    st.sampled_from(
        [
            "Der Stadtrat tagte am Dienstag in Bremen.",
            "Anna Keller sagte: „Wir bauen 1.200 Wohnungen.“",
            "Die Kosten liegen bei 4,5 Millionen Euro.",
            "Am 3. Oktober beginnt der Umbau.",
            "\ud800",
            "\udfff\ud800",
            "\x00",
            "\ud83d\ude00",
        ]
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


def encodable(value: object) -> bool:
    """True when every string in ``value`` (nested) encodes as UTF-8."""
    try:
        json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def test_door_lone_surrogates_become_replacement_characters() -> None:
    text, repairs = repair_text("a\ud800b\udfffc")
    assert text == f"a{REPLACEMENT}b{REPLACEMENT}c"
    assert repairs == ["text: 2 unpaired surrogate(s) replaced with U+FFFD"]


def test_door_surrogate_pair_becomes_its_character() -> None:
    text, repairs = repair_text("Fest \ud83c\udf89!", "title")
    assert text == "Fest \U0001f389!"
    assert repairs == ["title: 1 surrogate pair(s) joined into one character each"]


def test_door_nul_removed_and_reported() -> None:
    assert repair_text("ab\x00c\x00") == ("abc", ["text: 2 NUL character(s) removed"])


def test_door_ordinary_text_is_returned_unchanged() -> None:
    text = "Größere Straße, „Zitat“ und 😀."
    fixed, repairs = repair_text(text)
    assert fixed is text and repairs == []


def test_door_hints_every_field_repaired() -> None:
    hints, repairs = repair_hints(Hints(title="T\ud800", outlet="O\x00", url="https://x.org"))
    assert hints == Hints(title=f"T{REPLACEMENT}", outlet="O", url="https://x.org")
    assert repairs == [
        "title: 1 unpaired surrogate(s) replaced with U+FFFD",
        "outlet: 1 NUL character(s) removed",
    ]


@settings(max_examples=200, deadline=None)
@given(HOSTILE)
def test_door_repaired_text_always_encodes(text: str) -> None:
    fixed, repairs = repair_text(text)
    fixed.encode("utf-8")
    assert "\x00" not in fixed
    assert repair_text(fixed) == (fixed, [])  # once is enough
    assert bool(repairs) == (fixed != text)


@settings(max_examples=40, deadline=None)
@given(HOSTILE, HOSTILE)
def test_door_clean_text_never_raises_but_storyline_errors(text: str, title: str) -> None:
    try:
        result = storyline.clean_text(text, title=title or None, outlet=title or None)
    except StorylineError:
        return
    assert encodable(result.__dict__)


@settings(max_examples=25, deadline=None)
@given(SENTENCES)
def test_door_clean_text_reports_the_repair(body: str) -> None:
    try:
        result = storyline.clean_text("Titel der Meldung\n\n" + body)
    except StorylineError:
        return
    assert encodable(result.__dict__)
    if any(c in body for c in "\ud800\udfff\x00"):
        assert result.repairs


@settings(max_examples=25, deadline=None)
@given(SENTENCES)
def test_door_extract_html_never_raises_but_storyline_errors(body: str) -> None:
    html = f"<html><head><title>T\ud800</title></head><body><article><p>{body}</p></article></body></html>"
    try:
        result = storyline.extract_html(html, url="https://example.org/\udcff")
    except StorylineError:
        return
    assert encodable(result.__dict__)
    assert result.repairs


@settings(max_examples=25, deadline=None)
@given(SENTENCES, st.sampled_from([None, "de", "en", "\ud800"]))
def test_door_analyze_never_raises_and_reports(text: str, lang: str | None) -> None:
    found = storyline.analyze(text, lang=lang, published="2024-05-0\udc00")
    assert encodable(found.to_dict()) and encodable(found.text)
    assert found.repairs  # published always needs one
    for s in found.sentences:
        assert found.text[s.start : s.end] == s.text


@settings(max_examples=60, deadline=None)
@given(HOSTILE, HOSTILE)
def test_door_json_records_repaired_not_refused(text: str, title: str) -> None:
    record = {"title": title, "text": "Ein Satz. " + text}
    data = json.dumps(record).encode("ascii")  # ensure_ascii writes lone surrogates as \udXXX
    (item,) = read_bytes(data, "feed.json", "json", Hints())
    assert isinstance(item, Document)
    assert encodable(item.raw_text) and encodable(item.hints.title)
    # What JSON hands over (escaped pairs already joined) is what needs repairing.
    _, expected = repair_text(json.loads(data)["text"])
    assert [r for r in item.repairs if r.startswith("text:")] == expected
