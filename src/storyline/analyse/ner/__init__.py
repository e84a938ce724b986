"""Named entities (PER, ORG, LOC, MISC) in German and English news text.

A CRF tagger trained by ``make train-ner`` on the German NER corpora in
../shared/bench, with name lists as features and article-level consistency
passes; see MODEL_CARD.md in this folder for data, settings and scores.
"""

from __future__ import annotations

from storyline.analyse.model import Mention, Sentence, Token
from storyline.analyse.ner.tagger import tag

__all__ = ["Mention", "Sentence", "Token", "tag_entities"]


def tag_entities(text: str, sentences: list[Sentence], lang: str | None = "de") -> list[Mention]:
    """Entity mentions (start, end, text, label in PER/ORG/LOC/MISC, entity=None) as char
    offsets into text."""
    return tag(text, sentences, lang)
