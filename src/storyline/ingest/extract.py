"""HTML pages to main text and metadata, with trafilatura.

trafilatura is the best-measured main-text extractor we know; what it leaves
inside the body (paywall prompts, teasers) is handled by :mod:`storyline.clean`
like any other text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from storyline.errors import FormatError
from storyline.model import Document
from storyline.pipeline import stage

# Metadata dates only: htmldate's extensive search guesses from any date in the page.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


def extract_html_fields(html: str, url: str | None, source: str) -> dict[str, str | None]:
    """Main text, title and metadata of one page; raises FormatError when there is none."""
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=_DATE_PARAMS,
    )
    fields: dict[str, Any] = {}
    if isinstance(result, dict):
        fields = result
    elif result is not None:
        fields = result.as_dict()
    text = fields.get("text") or ""
    if not text.strip():
        raise FormatError(
            source,
            "HTML page has no recognisable article text",
            hint="check that the page is an article, not an index or a login page",
        )
    out: dict[str, str | None] = {}
    for key in ("title", "url", "sitename", "date", "author", "hostname"):
        value = fields.get(key)
        out[key] = str(value).strip() if value not in (None, "", "None") else None
    out["text"] = text
    return out


#: Elements whose text can become one line of the extracted text (divs are left out:
#: their text is every line below them, and measuring each nested one is quadratic).
_LINE_TAGS = (
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "a", "span",
    "figcaption", "blockquote", "strong", "b", "em", "label", "button", "caption",
)  # fmt: skip
#: Longer texts are paragraphs; their link share is not worth the cost of measuring.
_LINK_MAX_CHARS = 2000


def _flat(text: str) -> str:
    return " ".join(text.split())


def link_densities(html: str) -> dict[str, float]:
    """Share of link text in each short block of the page, keyed by its flattened text.

    Why: a line that was all link on the page (a menu, a teaser, "Mehr zum Thema") is
    rarely article text; trafilatura's text no longer says which words were links, so
    the junk model (:mod:`storyline.clean.junk_model`) looks its lines up here.
    """
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return {}
    found: dict[str, float] = {}
    for element in root.iter(*_LINE_TAGS):
        text = _flat(element.text_content())
        if not text or len(text) > _LINK_MAX_CHARS or text in found:
            continue
        if element.tag == "a":
            found[text] = 1.0
            continue
        linked = sum(len(_flat(a.text_content())) for a in element.iter("a"))
        found[text] = min(linked / len(text), 1.0)
    return found


def _run(doc: Document) -> None:
    if doc.html is None:
        return
    fields = extract_html_fields(doc.html, doc.hints.url, doc.source)
    h = doc.hints
    doc.hints = replace(
        h,
        title=h.title or fields["title"],
        url=h.url or fields["url"],
        outlet=h.outlet or fields["sitename"],
        published=h.published or fields["date"],
        author=h.author or fields["author"],
    )
    doc.raw_text = fields["text"]
    doc.line_links = link_densities(doc.html)


extract_stage = stage(
    "extract", requires={"html", "hints"}, assigns={"raw_text", "hints", "line_links"}
)(_run)
