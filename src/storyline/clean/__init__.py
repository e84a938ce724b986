"""Clean stage: from scraped text to article text, title, outlet, language and date.

The stages here work on plain text, wherever it came from (a .txt file, a
JSON record, trafilatura's output for an HTML page). Each stage declares what
it reads and writes; :func:`clean_stages` returns them in a valid order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from storyline.clean.furniture import read_furniture
from storyline.clean.glue import repair_glue
from storyline.clean.junk import classify_lines
from storyline.clean.junk_model import (
    continues_sentence,
    is_statement,
    is_subheading,
    junk_scores,
    shipped_model,
)
from storyline.clean.lang import detect_language
from storyline.clean.outlet import detect_outlet
from storyline.clean.published import find_dateline, is_metadata_line, parse_date_value
from storyline.clean.quality import assess
from storyline.config import Config
from storyline.errors import FormatError
from storyline.model import Document, Evidence, RemovedLine
from storyline.pipeline import Stage, stage
from storyline.settings import QUALITY_MIN_WORDS, REPEAT_MAX_LINE_CHARS, REPEAT_MIN_ARTICLES

_DIGITS = re.compile(r"\d+")


class LineStats(Protocol):
    """How often lines were seen in other articles of one outlet (the store implements it)."""

    def line_counts(self, outlet: str, keys: Sequence[str]) -> dict[str, int]: ...

    def outlet_names(self) -> list[str]: ...


def line_key(line: str) -> str:
    """Key under which boilerplate lines are counted: case, digits and spacing ignored."""
    norm = _DIGITS.sub("0", " ".join(line.split()).casefold())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _junk(doc: Document) -> None:
    if doc.raw_text is None:
        raise FormatError(doc.source, "has no text to clean")
    entries = [(i, ln.strip()) for i, ln in enumerate(doc.raw_text.split("\n")) if ln.strip()]
    if not entries:
        raise FormatError(doc.source, "has no text", hint="remove the input or give it a body")
    doc.verdicts = classify_lines(
        [e[1] for e in entries], positions=[e[0] for e in entries], title=doc.hints.title
    )


def outlet_stage(stats: LineStats | None) -> Stage:
    """Outlet from metadata, URL or the text's own cues (outlets in the store count as known)."""

    def run(doc: Document) -> None:
        names = stats.outlet_names() if stats is not None else []
        said = doc.furniture
        doc.outlet, doc.outlet_evidence = detect_outlet(
            doc.hints.outlet,
            doc.hints.url,
            doc.verdicts,
            names,
            (said.outlet, said.outlet_evidence)
            if said is not None and said.outlet and said.outlet_evidence
            else None,
        )
        if doc.outlet is None and said is not None and said.agency:
            # an agency report with no outlet named: the agency is all we know of its source
            doc.outlet, doc.outlet_evidence = said.agency, Evidence("text:agency", said.agency)

    return stage(
        "outlet",
        requires={"verdicts", "hints", "furniture"},
        assigns={"outlet", "outlet_evidence"},
    )(run)


def _furniture(doc: Document) -> None:
    """Datelines, bylines and source lines: read, then taken out of the text with a reason."""
    doc.verdicts, doc.furniture = read_furniture(doc.verdicts)
    doc.author = (doc.hints.author or "").strip() or doc.furniture.author
    doc.agency = doc.furniture.agency


def repetition_stage(
    stats: LineStats | None,
    floor: int = REPEAT_MIN_ARTICLES.default,
    longest: int = REPEAT_MAX_LINE_CHARS.default,
) -> Stage:
    """Remove lines this outlet repeats across articles (its boilerplate): seen in `floor`
    other articles of the outlet and at most `longest` characters long."""

    def run(doc: Document) -> None:
        if stats is None or doc.outlet is None:
            return
        keys = [line_key(v.line) for v in doc.verdicts]
        counts = stats.line_counts(doc.outlet, keys)
        body = [i for i, v in enumerate(doc.verdicts) if v.reason is None and not v.title]
        hits = [
            i
            for i in body
            if counts.get(keys[i], 0) >= floor and len(doc.verdicts[i].line) <= longest
        ]
        # An article that shares most of its body with earlier ones is a copy or an
        # update of them, not boilerplate: leave it to duplicate detection.
        if not hits or len(hits) * 2 > len(body):
            return
        for i in hits:
            doc.verdicts[i] = replace(doc.verdicts[i], reason="repeated-boilerplate")

    return stage("repetition", requires={"verdicts", "outlet"}, assigns={"verdicts"})(run)


def model_stage(stats: LineStats | None) -> Stage:
    """Lines the rules kept but the learned line classifier scores as junk (see junk_model)."""

    def run(doc: Document) -> None:
        lines = [v.line for v in doc.verdicts]
        repeats: list[int] | None = None
        if stats is not None and doc.outlet is not None:
            keys = [line_key(line) for line in lines]
            counts = stats.line_counts(doc.outlet, keys)
            repeats = [counts.get(k, 0) for k in keys]
        found = doc.line_links
        links = [found.get(" ".join(ln.split())) for ln in lines] if found is not None else None
        scores = junk_scores(lines, repeats, links)
        body = [i for i, v in enumerate(doc.verdicts) if v.reason is None and not v.title]
        flagged = [
            i
            for i in body
            if scores[i] >= _model_threshold()
            and not is_statement(doc.verdicts[i].line)
            and not is_metadata_line(doc.verdicts[i].line)  # a date or byline for later stages
            and not continues_sentence(lines[i - 1] if i else None, lines[i])
            and not is_subheading(
                lines[i - 1] if i else None,
                lines[i],
                lines[i + 1] if i + 1 < len(lines) else None,
            )
        ]
        # Never the whole body: a page the model dislikes entirely is for the quality flag.
        if len(flagged) == len(body):
            return
        for i in flagged:
            doc.verdicts[i] = replace(doc.verdicts[i], reason=f"junk-model p={scores[i]:.2f}")

    return stage("junk-model", requires={"verdicts", "outlet"}, assigns={"verdicts"})(run)


def _model_threshold() -> float:
    model = shipped_model()
    return model.threshold if model is not None else 1.0


def _published(doc: Document) -> None:
    if doc.hints.published:
        value = parse_date_value(doc.hints.published)
        if value:
            doc.published, doc.published_source = value, "metadata"
            doc.published_evidence = Evidence("metadata", doc.hints.published)
            return
    said = doc.furniture
    if said is not None and said.published and said.published_evidence:
        doc.published, doc.published_source = said.published, "text"
        doc.published_evidence = said.published_evidence
        return
    kept = [(i, v) for i, v in enumerate(doc.verdicts) if v.reason is None and not v.title]
    found = find_dateline([v.line for _, v in kept])
    if found is None:
        return
    value, index, kind = found
    i, verdict = kept[index]
    doc.published, doc.published_source = value, "text"
    doc.published_evidence = Evidence(f"text:{kind}", verdict.line)
    if kind == "metadata-line":
        doc.verdicts[i] = replace(verdict, reason="dateline")


def _assemble(doc: Document) -> None:
    title_line = next((v for v in doc.verdicts if v.title), None)
    doc.title = doc.hints.title or (title_line.line if title_line else None)
    doc.removed = [RemovedLine(v.position, v.line, v.reason) for v in doc.verdicts if v.reason]
    paragraphs = [v.line for v in doc.verdicts if v.reason is None and not v.title]
    if not paragraphs:
        raise FormatError(
            doc.source,
            f"nothing is left after removing {len(doc.removed)} junk line(s)",
            hint="see the reasons with 'storyline clean'; it may not be an article page",
        )
    doc.text = "\n\n".join(paragraphs)


def quality_stage(min_words: int) -> Stage:
    """Flag a page whose cleaned text is not an article (see clean/quality.py)."""

    def run(doc: Document) -> None:
        assert doc.text is not None
        title_line = next((v.line for v in doc.verdicts if v.title), None)
        title = doc.title or title_line
        doc.quality = assess(title, doc.text, doc.outlet, doc.hints.outlet, min_words)

    return stage("quality", requires={"title", "text", "outlet", "verdicts"}, assigns={"quality"})(
        run
    )


def _glue(doc: Document) -> None:
    """Repair glued words; repairs made earlier (at the door, when reading) are kept."""
    assert doc.text is not None
    paragraphs: list[str] = []
    for paragraph in doc.text.split("\n\n"):
        fixed, repairs = repair_glue(paragraph, doc.lang)
        paragraphs.append(fixed)
        doc.repairs.extend(repairs)
    doc.text = "\n\n".join(paragraphs)


def _language(doc: Document) -> None:
    if doc.hints.lang:
        doc.lang, doc.lang_confidence = doc.hints.lang.strip().lower(), 1.0
        return
    assert doc.text is not None
    doc.lang, doc.lang_confidence = detect_language(f"{doc.title or ''}\n{doc.text}")


def _identify(doc: Document) -> None:
    assert doc.raw_text is not None and doc.text is not None
    basis = _normalised(doc.hints.title or "") + "\n" + _normalised(doc.raw_text)
    doc.id = doc.hints.article_id or hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]
    doc.text_hash = hashlib.sha256(_normalised(doc.text).encode("utf-8")).hexdigest()


junk_stage = stage("junk", requires={"raw_text", "hints"}, assigns={"verdicts"})(_junk)
furniture_stage = stage(
    "furniture",
    requires={"verdicts", "hints"},
    assigns={"verdicts", "furniture", "author", "agency"},
)(_furniture)
published_stage = stage(
    "published",
    requires={"verdicts", "hints", "furniture"},
    assigns={"published", "published_source", "published_evidence", "verdicts"},
)(_published)
assemble_stage = stage(
    "assemble", requires={"verdicts", "hints"}, assigns={"title", "text", "removed"}
)(_assemble)
glue_stage = stage("glue", requires={"text", "lang"}, assigns={"text", "repairs"})(_glue)
language_stage = stage(
    "language", requires={"text", "title", "hints"}, assigns={"lang", "lang_confidence"}
)(_language)
identify_stage = stage(
    "identify", requires={"raw_text", "text", "hints"}, assigns={"id", "text_hash"}
)(_identify)


def clean_stages(config: Config, stats: LineStats | None = None) -> list[Stage]:
    """The cleaning stages in order, with `config`'s thresholds; ``stats`` enables the
    repetition rule."""
    return [
        junk_stage,
        furniture_stage,
        outlet_stage(stats),
        repetition_stage(stats, config[REPEAT_MIN_ARTICLES], config[REPEAT_MAX_LINE_CHARS]),
        published_stage,
        model_stage(stats),
        assemble_stage,
        quality_stage(config[QUALITY_MIN_WORDS]),
        language_stage,
        glue_stage,
        identify_stage,
    ]


__all__ = ["LineStats", "clean_stages", "line_key"]
