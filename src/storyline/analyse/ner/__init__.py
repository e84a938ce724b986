"""Named entities (PER, ORG, LOC, MISC) in German and English news text.

Three choices, by the ``entity_tagger`` setting:

- ``profile`` (default): the encoder tagger under the ``accurate`` profile, the CRF
  under ``fast``, as issue 14 asks;
- ``encoder``: a small head on the encoder's token states (encoder_tagger.py); it
  reads an article's prose sentences up to ENCODER_MAX_TOKENS encoder tokens and hands
  the rest (and non-prose lines: tables, symbol runs) to the CRF, so an article's
  cost is bounded whatever its length;
- ``crf``: the CRF trained by ``make train-ner`` with name lists as features
  (tagger.py), no encoder pass; about 40 times faster.

Both are followed by the same article-level consistency passes (document.py);
see MODEL_CARD.md in this folder for data, settings, scores and cost.
"""

from __future__ import annotations

from storyline.analyse.model import Mention, Sentence, Token
from storyline.analyse.ner.encoder_tagger import tag as _encoder_tag
from storyline.analyse.ner.tagger import tag as _crf_tag
from storyline.config import Config, defaults
from storyline.settings import ENTITY_TAGGER, PROFILE

__all__ = ["Mention", "Sentence", "Token", "tag_entities"]


def tag_entities(
    text: str, sentences: list[Sentence], lang: str | None = "de", config: Config | None = None
) -> list[Mention]:
    """Entity mentions (start, end, text, label in PER/ORG/LOC/MISC, entity=None) as char
    offsets into text; the tagger is the one `config` picks (default: the defaults)."""
    cfg = config or defaults()
    if use_encoder(cfg):
        from storyline.encoder.runtime import encoder_options

        return _encoder_tag(text, sentences, lang, encoder_options(cfg))
    return _crf_tag(text, sentences, lang)


def use_encoder(config: Config) -> bool:
    """Whether ``entity_tagger`` (and, for 'profile', the profile) picks the encoder tagger."""
    choice = config[ENTITY_TAGGER]
    return choice == "encoder" or (choice == "profile" and config[PROFILE] == "accurate")
