"""Named entities (PER, ORG, LOC, MISC) in German and English news text.

Two taggers, chosen by the ``profile`` setting:

- ``accurate`` (default): a small head on the encoder's token states
  (encoder_tagger.py), the encoder that already runs for article vectors;
- ``fast``: the CRF trained by ``make train-ner`` with name lists as features
  (tagger.py), no encoder pass.

Both are followed by the same article-level consistency passes (document.py);
see MODEL_CARD.md in this folder for data, settings and scores.
"""

from __future__ import annotations

from storyline.analyse.model import Mention, Sentence, Token
from storyline.analyse.ner.encoder_tagger import tag as _encoder_tag
from storyline.analyse.ner.tagger import tag as _crf_tag
from storyline.settings import PROFILE

__all__ = ["Mention", "Sentence", "Token", "tag_entities"]


def tag_entities(text: str, sentences: list[Sentence], lang: str | None = "de") -> list[Mention]:
    """Entity mentions (start, end, text, label in PER/ORG/LOC/MISC, entity=None) as char
    offsets into text; the tagger is the profile's (read per call, like the vectors)."""
    if PROFILE.get() == "fast":
        return _crf_tag(text, sentences, lang)
    return _encoder_tag(text, sentences, lang)
