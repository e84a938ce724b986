"""The objects that flow through the pipeline and into the store.

A :class:`Document` starts as what a reader could get from one input (bytes or
text plus metadata hints) and is filled in stage by stage. Fields are plain
data so that the store, the export and the API all show the same shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from storyline import records

if TYPE_CHECKING:
    from storyline.analyse.model import Analysis
    from storyline.clean.furniture import Furniture

PublishedSource = Literal["metadata", "text", "inferred"]


@dataclass(frozen=True)
class Hints:
    """What the user or the input's own metadata told us, before any guessing."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    lang: str | None = None
    published: str | None = None
    author: str | None = None
    #: An id carried by a record of storyline's own export, kept on re-ingest.
    article_id: str | None = None


@dataclass(frozen=True)
class RemovedLine:
    """A line taken out of the article text, kept so a user can audit and undo."""

    position: int
    line: str
    reason: str

    def to_dict(self) -> records.RemovedLine:
        return {"line": self.line, "reason": self.reason, "position": self.position}


@dataclass(frozen=True)
class Evidence:
    """Why a guessed value (outlet, date, language) was chosen."""

    method: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"method": self.method, "detail": self.detail}


@dataclass(frozen=True)
class LineVerdict:
    """What the cleaner decided about one non-empty input line.

    ``position`` is the 0-based line number in the raw text, so removed lines
    can be put back where they were.
    """

    position: int
    line: str
    reason: str | None  # None: kept as article text
    title: bool = False


@dataclass
class Document:
    """One article on its way through the pipeline.

    ``source`` names where it came from (a path, ``path#line``, a URL or
    ``<stdin>``) and is what every error message and provenance record uses.
    """

    source: str
    byte_hash: str
    hints: Hints = field(default_factory=Hints)
    html: str | None = None
    raw_text: str | None = None
    #: Link share of the page's short blocks by flattened text (HTML inputs only).
    line_links: dict[str, float] | None = None
    verdicts: list[LineVerdict] = field(default_factory=list)
    title: str | None = None
    text: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    outlet: str | None = None
    outlet_evidence: Evidence | None = None
    #: What the datelines, bylines and source lines say (clean/furniture.py).
    furniture: Furniture | None = None
    author: str | None = None
    #: The news agency the outlet took the report from ("dpa", "AFP"), not the outlet.
    agency: str | None = None
    lang: str | None = None
    lang_confidence: float | None = None
    published: str | None = None
    published_source: PublishedSource | None = None
    published_evidence: Evidence | None = None
    published_confidence: float | None = None  # 1.0 for metadata and datelines
    id: str | None = None
    text_hash: str | None = None
    duplicate_of: str | None = None
    #: Why the page is not an article (clean/quality.py); None for an article.
    quality: str | None = None
    analysis: Analysis | None = None

    @property
    def url(self) -> str | None:
        return self.hints.url
