"""HTML pages to main text and metadata, with trafilatura.

trafilatura is the best-measured main-text extractor we know; what it leaves
inside the body (paywall prompts, teasers) is handled by :mod:`storyline.clean`
like any other text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import trafilatura

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


extract_stage = stage("extract", requires={"html", "hints"}, assigns={"raw_text", "hints"})(_run)
