"""(Re-)analyse articles already in the store.

Needed when a store was filled before the analysis existed (schema 1), after
a model update, or to finish a run that was interrupted between batches.
"""

from __future__ import annotations

from collections.abc import Callable

from storyline.analyse.run import analyze
from storyline.settings import INFER_MIN_CONFIDENCE, PROFILE
from storyline.store import Store
from storyline.store.analysis import analysis_input, save_analysis, unanalysed


def analyse_stored(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = 100,
    on_item: Callable[[str], None] | None = None,
) -> int:
    """Analyse stored articles (only unanalysed ones unless ``redo``); returns how many."""
    ids = store.article_ids() if redo else unanalysed(store)
    for start in range(0, len(ids), batch_size):
        with store.transaction():
            for article_id in ids[start : start + batch_size]:
                text, lang, published = analysis_input(store, article_id)
                result = analyze(text, lang=lang, published=published)
                inferred = result.published_inferred
                if published is None and inferred is not None:
                    value, confidence, evidence = inferred
                    if confidence >= INFER_MIN_CONFIDENCE.get():
                        store.set_inferred_published(article_id, value, confidence, evidence)
                save_analysis(store, article_id, result, PROFILE.get())
                if on_item is not None:
                    on_item(article_id)
    return len(ids)
