"""The library functions behind every interface (CLI, web, API, notebooks)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from storyline.clean.door import repair_hints, repair_text
from storyline.config import Config
from storyline.jobs.pipeline import build_pipeline
from storyline.model import Document, Hints
from storyline.records import RemovedLine


@dataclass(frozen=True)
class CleanResult:
    """What :func:`clean_text` and :func:`extract_html` return."""

    title: str | None
    text: str
    removed: list[RemovedLine]
    outlet: str | None
    outlet_evidence: dict[str, str] | None
    language: str | None
    published: str | None
    published_source: str | None
    repairs: list[str] = field(default_factory=list)
    author: str | None = None
    agency: str | None = None
    #: Why the page is not an article (storyline.clean.quality); None for an article.
    quality: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> CleanResult:
        return cls(
            title=doc.title,
            text=doc.text or "",
            removed=[r.to_dict() for r in doc.removed],
            outlet=doc.outlet,
            outlet_evidence=doc.outlet_evidence.to_dict() if doc.outlet_evidence else None,
            language=doc.lang,
            published=doc.published,
            published_source=doc.published_source,
            repairs=list(doc.repairs),
            author=doc.author,
            agency=doc.agency,
            quality=doc.quality,
        )


def _run(doc: Document, config: Config | None) -> CleanResult:
    return CleanResult.from_document(build_pipeline(config)(doc))


def clean_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    lang: str | None = None,
    config: Config | None = None,
) -> CleanResult:
    """Clean already-extracted article text (first non-junk line is the title).

    Any ``str`` is accepted: unpaired surrogates and NULs are repaired first and
    listed in ``repairs`` (:mod:`storyline.clean.door`). `config`: the settings (default:
    as the environment and settings file give them).
    """
    text, repairs = repair_text(text)
    hints, hint_repairs = repair_hints(
        Hints(title=title, url=url, outlet=outlet, published=published, lang=lang)
    )
    data = text.encode("utf-8")
    doc = Document("<text>", hashlib.sha256(data).hexdigest(), hints, raw_text=text)
    doc.repairs = [*repairs, *hint_repairs]
    return _run(doc, config)


def extract_html(html: str, url: str | None = None, config: Config | None = None) -> CleanResult:
    """Main text and metadata of an HTML page, cleaned like any other text.

    Any ``str`` is accepted, repaired as in :func:`clean_text` (`config` likewise).
    """
    html, repairs = repair_text(html, "html")
    hints, hint_repairs = repair_hints(Hints(url=url))
    data = html.encode("utf-8")
    doc = Document(hints.url or "<html>", hashlib.sha256(data).hexdigest(), hints, html=html)
    doc.repairs = [*repairs, *hint_repairs]
    return _run(doc, config)
