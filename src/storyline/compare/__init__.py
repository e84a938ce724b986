"""Cross-source comparison: which outlets carry which claim, who disputes it, where figures differ.

``storyline.compare(db, "s-8554")`` (db: an open store or a path; :mod:`storyline.library`)
returns the comparison of a story or event:
claims with the passage from every source, independent and echoed sources, denials linked
to what they deny, hedges, and differing figures side by side. See docs/compare.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storyline.records import Comparison
    from storyline.store import Store


def compare(store: Store, cluster_id: str, *, refresh: bool = True) -> Comparison:
    """Claims of a story or event with their sources, disputes and differing figures.

    Claims are read from the store; a story whose articles changed since its claims were
    made is compared again first (that embeds its new sentences and writes), unless
    `refresh` is False: then the last claims made are returned as they are, and
    ``claims_state`` says whether they are current and when they were made (the web
    layer reads that way, so a page never computes or waits for the write lock).
    """
    from storyline.compare.read import compare as _compare  # loads the embedding model lazily

    return _compare(store, cluster_id, refresh=refresh)
