"""Search over the store: German-aware full text, by meaning (e5), or both fused.

The library entry point is :func:`search`. The normalised full-text table it reads is
kept current by :func:`index_article` (called by the ingest job for each new article)
and :func:`reindex` (backfill and repair; `search` runs it itself when rows are missing).
"""

from __future__ import annotations

from storyline.errors import QueryError
from storyline.search.engine import search
from storyline.search.index import ensure_index, index_article, reindex
from storyline.search.query import parse_query

__all__ = ["QueryError", "ensure_index", "index_article", "parse_query", "reindex", "search"]
