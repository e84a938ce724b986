"""(Re-)analyse articles already in the store.

Needed when a store was filled before the analysis existed (schema 1), after
a model update, or to finish a run that was interrupted between batches.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.analyse.run import analyze
from storyline.settings import INFER_MIN_CONFIDENCE, PROFILE
from storyline.store import Store
from storyline.store.analysis import save_analysis, unanalysed


def analyse_stored(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 100,
    on_item: Callable[[str], None] | None = None,
) -> int:
    """Analyse stored articles (only unanalysed ones unless ``redo``); returns how many."""
    if redo:
        ids = [str(r[0]) for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid")]
    else:
        ids = unanalysed(store)
    for start in range(0, len(ids), batch_size):
        with store.transaction():
            for article_id in ids[start : start + batch_size]:
                row = store.conn.execute(
                    "SELECT text, lang, published FROM articles WHERE id=?", (article_id,)
                ).fetchone()
                result = analyze(row["text"], lang=row["lang"], published=row["published"])
                inferred = result.published_inferred
                if row["published"] is None and inferred is not None:
                    value, confidence, evidence = inferred
                    if confidence >= INFER_MIN_CONFIDENCE.get():
                        store.set_inferred_published(article_id, value, confidence, evidence)
                save_analysis(store, article_id, result, PROFILE.get())
                if on_item is not None:
                    on_item(article_id)
    return len(ids)
