"""(Re-)analyse articles already in the store.

Needed when a store was filled before the analysis existed (schema 1), after a model
update (``redo``), or to finish a run that was interrupted between batches.

Why a queue for ``redo``: a re-analysis of a large store runs for hours; it is written in
batches, each in one transaction that also takes its articles out of the queue
(``reanalysis`` table), so a killed run is resumed by the next ``storyline analyse``
(with or without ``--redo``) where it stopped, and no article is analysed twice.
Analysis runs on the engine asked for: here (with the local worker processes) or on
Ray's actors (engine/ray_actors.py); the store is written only from this process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from storyline.analyse.model import Analysis
from storyline.engine import Job, engine_for
from storyline.errors import InputError
from storyline.settings import INFER_MIN_CONFIDENCE, PROFILE
from storyline.store import Store
from storyline.store.analysis import (
    analysis_input,
    pending_reanalysis,
    queue_reanalysis,
    reanalysed,
    save_analysis,
    unanalysed,
)

#: articles analysed and written per transaction: what a killed run can lose
ANALYSE_BATCH = 100


@dataclass
class AnalyseReport:
    """What a (re-)analysis did: how many articles it analysed, which failed and why."""

    analysed: int = 0
    failed: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def analyse_stored(
    store: Store,
    *,
    redo: bool = False,
    batch_size: int = ANALYSE_BATCH,
    on_item: Callable[[str], None] | None = None,
    engine: str | None = None,
    address: str | None = None,
    limit: int | None = None,
) -> AnalyseReport:
    """Analyse stored articles: unanalysed ones, those a re-analysis still has queued, and
    with ``redo`` every article (resuming a queued re-analysis rather than restarting it).
    `limit` stops after that many articles (the rest stays queued for the next run)."""
    with store.transaction():
        if redo:
            queue_reanalysis(store)
        queued = pending_reanalysis(store)
        waiting = set(queued)
        ids = queued + [a for a in unanalysed(store) if a not in waiting]
    if limit is not None:
        ids = ids[:limit]
    report = AnalyseReport()
    with engine_for(store.config, engine, address) as analysers:
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            inputs = [analysis_input(store, a) for a in batch]
            results = analysers.run([Job(t, lang, published) for t, lang, published in inputs])
            with store.transaction():
                done = []
                for article_id, (_, _, published), result in zip(
                    batch, inputs, results, strict=True
                ):
                    if not isinstance(result, Analysis):
                        report.failed.append(result.error(article_id))
                        continue
                    _save(store, article_id, published, result)
                    done.append(article_id)
                reanalysed(store, done)
            report.analysed += len(done)
            if on_item is not None:
                for article_id in batch:
                    on_item(article_id)
    return report


def _save(store: Store, article_id: str, published: str | None, result: Analysis) -> None:
    inferred = result.published_inferred
    if published is None and inferred is not None:
        value, confidence, evidence = inferred
        if confidence >= store.config[INFER_MIN_CONFIDENCE]:
            store.set_inferred_published(article_id, value, confidence, evidence)
    save_analysis(store, article_id, result, store.config[PROFILE])
