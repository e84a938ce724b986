"""Analyse stage: sentences, entities, quotes, dates and figures of an article.

:func:`analyze` is the library entry point; :data:`analyse_stage` runs the same
analysis inside the ingest pipeline and infers a missing publication date
(never overwriting one from metadata or a dateline).
"""

from __future__ import annotations

from storyline.analyse.dates import find_dates, infer_published
from storyline.analyse.figures import find_quantities
from storyline.analyse.limits import (
    analysed_part,
    long_sentence_note,
    long_word_note,
    unrepeated,
)
from storyline.analyse.model import Analysis
from storyline.analyse.ner import tag_entities
from storyline.analyse.quotes import find_quotes
from storyline.analyse.resolve import resolve_mentions
from storyline.analyse.sentences import bounded_sentences
from storyline.clean.door import repair_optional, repair_text
from storyline.clean.lang import detect_language
from storyline.config import Config, resolve
from storyline.model import Document, Evidence
from storyline.pipeline import Stage, stage
from storyline.settings import INFER_MIN_CONFIDENCE


def analyze(
    text: str,
    *,
    lang: str | None = None,
    published: str | None = None,
    config: Config | None = None,
) -> Analysis:
    """Everything storyline reads from one article text; spans are offsets into ``text``.

    Without ``published`` the publication date is inferred from the text when it
    allows (``Analysis.published_inferred``) and relative dates resolve against it.
    Any ``str`` is accepted: lone surrogates become U+FFFD and NULs are dropped first
    (``Analysis.repairs`` says so; spans are then offsets into ``Analysis.text``).
    Work is bounded (:mod:`storyline.analyse.limits`): a text past ``MAX_ANALYSE_CHARS``
    is analysed up to there, overlong sentences and words are split, and a sentence
    repeated more than ``MAX_SENTENCE_REPEATS`` times is analysed that often (all copies
    stay in ``Analysis.sentences``), each noted in ``Analysis.repairs``.

    `config` picks the taggers and runs the encoder (default: the settings as the
    environment and settings file give them, resolved for this call).
    """
    cfg = config if config is not None else resolve()
    text, repairs = repair_text(text)
    lang, lang_repairs = repair_optional(lang, "lang")
    published, published_repairs = repair_optional(published, "published")
    repairs += lang_repairs + published_repairs
    full = text
    text, cut = analysed_part(full)  # spans into the part are spans into the full text
    if lang is None:
        lang = detect_language(text)[0]
    sentences, forced = bounded_sentences(text)
    repairs += cut + long_sentence_note(forced) + long_word_note(text)
    text, read, repeats = unrepeated(text, sentences)  # the analysers read `read` of `text`
    repairs += repeats
    inferred = None if published else infer_published(text, read, lang)
    anchor = published or (inferred[0] if inferred else None)
    mentions, entities = resolve_mentions(text, read, tag_entities(text, read, lang, cfg))
    return Analysis(
        text=full,
        lang=lang,
        published=anchor,
        published_inferred=inferred,
        sentences=sentences,
        mentions=mentions,
        entities=entities,
        quotes=find_quotes(text, read, mentions, lang, config=cfg),
        dates=find_dates(text, read, anchor, lang),
        quantities=find_quantities(text, read, lang),
        repairs=repairs,
    )


def apply_analysis(doc: Document, analysis: Analysis, config: Config) -> None:
    """Attach an analysis to its document: repairs, and an inferred publication date where
    the document has none and the inference is confident enough (``infer_min_confidence``).
    Separate from :func:`analyze` because the ingest job may analyse in worker processes."""
    doc.analysis = analysis
    doc.repairs.extend(analysis.repairs)  # e.g. limits the analysers cut the text to
    inferred = analysis.published_inferred
    if (
        doc.published is None
        and inferred is not None
        and inferred[1] >= config[INFER_MIN_CONFIDENCE]
    ):
        value, confidence, evidence = inferred
        doc.published, doc.published_source = value, "inferred"
        doc.published_confidence = confidence
        doc.published_evidence = Evidence(f"inferred (confidence {confidence:.2f})", evidence)


def analyse_stage(config: Config) -> Stage:
    """The analysis as a pipeline stage, with `config`'s taggers and thresholds."""

    def run(doc: Document) -> None:
        assert doc.text is not None
        found = analyze(doc.text, lang=doc.lang, published=doc.published, config=config)
        apply_analysis(doc, found, config)

    return stage(
        "analyse",
        requires={"text", "lang", "published"},
        assigns={
            "analysis",
            "repairs",
            "published",
            "published_source",
            "published_evidence",
            "published_confidence",
        },
    )(run)


__all__ = ["analyse_stage", "analyze", "apply_analysis"]
