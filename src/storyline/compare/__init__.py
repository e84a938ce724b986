"""Cross-source comparison: which outlets carry which claim, who disputes it, where figures differ.

``storyline.compare("s-8554", db="news.db")`` (the module itself is callable) or
``storyline.compare.compare(store, "s-8554")`` return the comparison of a story or event:
claims with the passage from every source, independent and echoed sources, denials linked
to what they deny, hedges, and differing figures side by side. See docs/compare.md.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storyline.store import Store


def compare(store: Store, cluster_id: str, *, refresh: bool = True) -> dict[str, Any]:
    """Claims of a story or event with their sources, disputes and differing figures.

    Claims are read from the store; a story whose articles changed since its claims were
    made is compared again first (that embeds its new sentences and writes), unless
    `refresh` is False: then the last claims made are returned as they are, and
    ``claims_state`` says whether they are current and when they were made (the web
    layer reads that way, so a page never computes or waits for the write lock).
    """
    from storyline.compare.read import compare as _compare  # loads the embedding model lazily

    return _compare(store, cluster_id, refresh=refresh)


def compare_in(cluster_id: str, db: str | Path | None = None) -> dict[str, Any]:
    """The comparison of `cluster_id` in the store file `db` (default: the `db` setting)."""
    from storyline.settings import DB_PATH
    from storyline.store import Store

    with Store(db if db is not None else DB_PATH.get(), create=False) as store:
        return compare(store, cluster_id)


class _CallableModule(types.ModuleType):
    """Lets ``storyline.compare(id, db=...)`` work while ``storyline.compare`` stays a package."""

    def __call__(self, cluster_id: Any, db: Any = None) -> dict[str, Any]:
        from storyline.store import Store

        if isinstance(cluster_id, Store):  # storyline.compare(store, id)
            return compare(cluster_id, str(db))
        return compare_in(str(cluster_id), db)


sys.modules[__name__].__class__ = _CallableModule
