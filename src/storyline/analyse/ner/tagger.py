"""The statistical entity tagger: a linear-chain CRF over storyline's own tokens.

Why a CRF and not a neural tagger: no German NER model loads offline, and a
CNN trained from scratch on the same small data reaches no better quality
while tagging several times slower (MODEL_CARD.md has the figures). CRFsuite
tags in C; the features are cheap string work in Python. The model file is
trained by ``make train-ner`` and loaded from the package, never downloaded.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pycrfsuite  # type: ignore[import-untyped]

from storyline.analyse.model import EntityType, Mention, Sentence
from storyline.analyse.ner.document import Tokens, article_passes, taggable
from storyline.analyse.ner.features import HERE, sentence_features

MODEL = HERE / "model.crfsuite"
_LABELS: frozenset[str] = frozenset({"PER", "ORG", "LOC", "MISC"})
_local = threading.local()  # CRFsuite taggers are not thread-safe: one per thread


def _tagger(path: Path = MODEL) -> pycrfsuite.Tagger:
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        _local.tagger = tagger
    return tagger


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans [i, j) with labels from BIO tags; a stray I- starts a span."""
    out: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if t == "O" or t.startswith("B-") or t[2:] != label:
            if label:
                out.append((start, i, label))
            start, label = (i, t[2:]) if t != "O" else (-1, "")
    return out


def tag_sentences(text: str, sentences: list[Sentence]) -> tuple[list[Tokens], list[Mention]]:
    """CRF mentions sentence by sentence (junk lines skipped), with the tokens seen."""
    seen = taggable(sentences)
    return seen, tag_tokens(text, seen)


def tag_tokens(text: str, seen: list[Tokens]) -> list[Mention]:
    """CRF mentions of sentences already tokenised (the encoder tagger hands it the
    sentences it leaves out)."""
    tagger = _tagger()
    mentions: list[Mention] = []
    for sentence in seen:
        toks = sentence.tokens
        tags = tagger.tag(sentence_features([t.text for t in toks]))
        for i, j, label in bio_spans(tags):
            if label in _LABELS:
                start, end = toks[i].start, toks[j - 1].end
                lab: EntityType = label  # type: ignore[assignment]
                mentions.append(Mention(start, end, text[start:end], lab))
    return mentions


def tag(text: str, sentences: list[Sentence], lang: str | None = "de") -> list[Mention]:
    """Entity mentions of one text: CRF per sentence, then the article-level passes."""
    seen, mentions = tag_sentences(text, sentences)
    return article_passes(text, seen, mentions, lang)
