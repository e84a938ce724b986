"""The ingest job: read inputs, run the pipeline, write batches to the store.

Each batch is one transaction. An interrupted run (crash, Ctrl-C) leaves the
store as it was after the last committed batch; running the same command
again skips what is stored (same source, same bytes) and completes the rest.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, BinaryIO

from storyline.clean import line_key
from storyline.config import Config
from storyline.engine import Engine, Failed, Job, engine_for, internal_failure
from storyline.errors import ConfigError, InputError
from storyline.ingest.liveness import ingest_lock
from storyline.ingest.readers import Item, iter_inputs
from storyline.jobs.pipeline import build_pipeline
from storyline.model import Document, Hints
from storyline.pipeline import Pipeline, Stage, check_stage
from storyline.search.index import index_article
from storyline.settings import BATCH_SIZE, MAX_FILE_BYTES, PROFILE
from storyline.store import Store
from storyline.store import duplicates as dupes
from storyline.store.analysis import save_analysis
from storyline.stories.dedupe import BandedDuplicates, band_keys, from_bytes, signature, to_bytes

if TYPE_CHECKING:
    from storyline.stories.job import StoriesReport


@dataclass
class IngestReport:
    """What one ingest run did; the CLI prints it and the API returns it."""

    run_id: int
    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: sources stored without analysis because it ran over the time budget
    unanalysed: list[str] = field(default_factory=list)
    #: stopped on request (a server shutting down) after a committed batch
    stopped: bool = False
    stories: StoriesReport | None = None
    #: Stories whose claims were (re)computed after grouping (None: not compared).
    claims: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "run": self.run_id,
            "stored": self.stored,
            "unchanged": self.unchanged,
            "known": self.known,
            "duplicates": [{"article": a, "duplicate_of": b} for a, b in self.duplicates],
            "errors": [e.to_dict() for e in self.errors],
            "unanalysed": self.unanalysed,
            "stories": self.stories.to_dict() if self.stories else None,
            "claims": self.claims,
            "stopped": self.stopped,
        }


def analysis_stage(cleaning: Pipeline, config: Config) -> Stage:
    """The analysis stage, checked against what the cleaning pipeline provides."""
    from storyline.analyse.run import analyse_stage  # loads the models only when needed

    step = analyse_stage(config)
    Pipeline([step], provided=cleaning.assigns)
    return step


def load_duplicate_index(store: Store) -> BandedDuplicates:
    """Near-duplicate look-up through the store's band index (filled once for stores made
    before it existed): adding an article reads the few originals sharing a band with it,
    not every stored signature."""
    dupes.backfill_bands(store, lambda blob: band_keys(from_bytes(blob)))
    return BandedDuplicates(
        lambda keys: dupes.band_candidates(store, keys),
        lambda article_id, keys: dupes.save_bands(store, article_id, keys),
    )


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class PendingLines:
    """The lines of each outlet seen so far, for cleaning a whole batch before its writes:
    the store's counts plus those of this batch's new articles, cleaned but not yet
    written. Cleaning an article thus sees every article before it, as it would if each
    were written at once (an article whose analysis then fails was counted; it is one
    count among at least `repeat_min_articles`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seen: dict[str, Counter[str]] = {}

    def line_counts(self, outlet: str, keys: Sequence[str]) -> dict[str, int]:
        counts = dict(self.store.line_counts(outlet, keys))
        pending = self._seen.get(outlet)
        if pending:
            for key in set(keys) & pending.keys():
                counts[key] = counts.get(key, 0) + pending[key]
        return counts

    def outlet_names(self) -> list[str]:
        names = self.store.outlet_names()
        return names + [o for o in self._seen if o not in names]

    def add(self, doc: Document) -> None:
        if doc.outlet is not None:
            self._seen.setdefault(doc.outlet, Counter()).update(set(_line_keys(doc)))

    def clear(self) -> None:
        self._seen.clear()


def _line_keys(doc: Document) -> list[str]:
    return [line_key(v.line) for v in doc.verdicts if not v.title]


class _StopRequested(Exception):
    """Raised from a progress callback once `stop` is set, to leave grouping or claims."""


def _until(
    stop: threading.Event | None, callback: Callable[[str], None] | None
) -> Callable[[str], None] | None:
    """`callback`, checking `stop` first: grouping embeds article by article and claims are
    written story by story, so both can end between two items (what they committed stays;
    grouping's placing, one transaction, is then done by the next run)."""
    if stop is None:
        return callback

    def guarded(item: str) -> None:
        if stop.is_set():
            raise _StopRequested
        if callback is not None:
            callback(item)

    return guarded


@dataclass
class _Work:
    """One input of a batch on its way to the store."""

    doc: Document
    new: bool = False  #: content not stored before (nor earlier in this batch): analyse it
    failure: InputError | None = None


def _failure(source: str, exc: Exception) -> InputError:
    if isinstance(exc, InputError):
        return exc
    return internal_failure(exc).error(source)


def _clean(work: _Work, store: Store, pipeline: Pipeline, pending: PendingLines) -> str | None:
    """Clean one input; the id of its stored article when the same bytes came from the same
    source before (nothing more to do)."""
    doc = work.doc
    known = store.known_source(doc.source, doc.byte_hash)
    if known is not None:
        return known
    pipeline(doc)
    assert doc.id is not None
    work.new = not store.has_article(doc.id)
    if work.new:
        pending.add(doc)
    return None


#: Called inside a batch's transaction with each input's source and the id of its stored
#: article (None when it failed), so a caller's own bookkeeping commits with the article.
OnWritten = Callable[[Document | InputError, str | None], None]


def _write(doc: Document, store: Store, report: IngestReport, index: BandedDuplicates) -> str:
    """Store one cleaned (and analysed) article; written in batch order, so an earlier
    article of the same batch counts as stored. Returns the stored article's id."""
    known = store.known_source(doc.source, doc.byte_hash)
    if known is not None:  # the same input twice in one batch
        report.unchanged.append(known)
        return known
    assert doc.id is not None and doc.text_hash is not None and doc.text is not None
    if store.has_article(doc.id):
        store.add_source(doc.id, doc, report.run_id)
        report.known.append(doc.id)
        return doc.id
    doc.duplicate_of = store.find_duplicate(doc.text_hash, doc.id)
    minhash = signature(doc.text)
    if doc.duplicate_of is None:
        near = index.find(minhash)
        doc.duplicate_of = near[0] if near else None
    store.insert_article(doc, _line_keys(doc), report.run_id)
    index_article(store.conn, doc.id)
    store.save_signature(doc.id, to_bytes(minhash))
    if doc.duplicate_of is None:
        index.add(doc.id, minhash)
    if doc.analysis is not None:
        save_analysis(store, doc.id, doc.analysis, store.config[PROFILE])
    # Only in-memory bookkeeping from here: nothing below can fail half-way.
    report.stored.append(doc.id)
    if doc.duplicate_of:
        report.duplicates.append((doc.id, doc.duplicate_of))
    return doc.id


def _write_atomically(
    doc: Document,
    store: Store,
    report: IngestReport,
    index: BandedDuplicates,
    on_written: OnWritten | None,
) -> InputError | None:
    """Write one article inside a savepoint: on failure none of its rows remain (nor
    those `on_written` wrote for it)."""
    try:
        with store.savepoint():
            article_id = _write(doc, store, report, index)
            if on_written is not None:
                on_written(doc, article_id)
    except Exception as exc:  # a bug must not lose the rest of the batch; it is reported
        return _failure(doc.source, exc)
    return None


@dataclass
class _Batch:
    """What every batch of one run shares."""

    store: Store
    report: IngestReport
    pipeline: Pipeline
    pending: PendingLines
    index: BandedDuplicates
    analysers: Engine | None
    on_item: Callable[[str], None] | None
    on_written: OnWritten | None = None

    def run(self, batch: list[Item]) -> None:
        """Clean every input in order, analyse the new ones (on every core when there are
        workers), then write them in order; one transaction for the lot."""
        store, report = self.store, self.report
        self.pending.clear()
        works: list[_Work] = []
        for item in batch:
            if isinstance(item, InputError):
                self._failed(item)
                continue
            work = _Work(item)
            try:
                known = _clean(work, store, self.pipeline, self.pending)
            except Exception as exc:  # reported against its input; the batch goes on
                self._failed(_failure(item.source, exc))
                continue
            if known is not None:
                report.unchanged.append(known)
                if self.on_written is not None:
                    self.on_written(item, known)
                self._progress(item.source)
            else:
                works.append(work)
        self._analyse([w for w in works if w.new])
        for work in works:
            failure = work.failure or _write_atomically(
                work.doc, store, report, self.index, self.on_written
            )
            if failure is not None:
                self._failed(failure)
            else:
                self._progress(work.doc.source)

    def _analyse(self, works: list[_Work]) -> None:
        if self.analysers is None or not works:
            return
        from storyline.analyse.run import apply_analysis  # loads the models only when needed

        jobs = [Job(w.doc.text or "", w.doc.lang, w.doc.published) for w in works]
        for work, result in zip(works, self.analysers.run(jobs), strict=True):
            if isinstance(result, Failed) and result.timed_out:
                # stored cleaned, with the reason on the article; `storyline analyse` or a
                # larger budget can analyse it later
                work.doc.repairs.append(f"unanalysed: {result.reason}")
                self.report.unanalysed.append(work.doc.source)
            elif isinstance(result, Failed):
                work.failure = result.error(work.doc.source)
            else:
                apply_analysis(work.doc, result, self.store.config)

    def _failed(self, error: InputError) -> None:
        self.report.errors.append(error)
        self.store.record_error(self.report.run_id, error)
        if self.on_written is not None:
            self.on_written(error, None)
        self._progress(error.source)

    def _progress(self, source: str) -> None:
        if self.on_item is not None:
            self.on_item(source)


def ingest(
    paths: Iterable[str],
    store: Store,
    hints: Hints | None = None,
    *,
    max_bytes: int | None = None,
    batch_size: int | None = None,
    stdin: BinaryIO | None = None,
    on_item: Callable[[str], None] | None = None,
    analyse: bool = True,
    stories: bool | None = None,
    on_group: Callable[[str], None] | None = None,
    on_compare: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    documents: Iterable[Document | InputError] | None = None,
    on_written: OnWritten | None = None,
    engine: str | None = None,
    address: str | None = None,
) -> IngestReport:
    """Ingest files, folders or '-' (stdin) into ``store``; bad inputs are reported, not fatal.

    With `stories` (default: when analysing), every article without an event is then
    grouped into events and stories (stories/job.py), in a transaction of its own: an
    interrupted grouping is done by the next ingest or by `recluster`. `on_group` is
    called for each article embedded for grouping (about five a second with e5). Then the
    claims of every story that changed are compared across its sources (compare/job.py);
    `on_compare` is called per story.

    `stop`, once set, ends the run after the batch being written (a server shutting
    down): the run is recorded as interrupted, grouping and claims are left to the next
    ingest, and running the same ingest again completes it.

    `documents` (already read, e.g. pages `storyline watch` fetched; each with its
    `source`, `byte_hash` and `html` or `raw_text`) are ingested instead of `paths`.
    `on_written(item, article_id)` is called for every input inside the transaction of
    its batch (article_id None when it failed), so a caller's own record of the input
    commits, or rolls back, with the article.

    `engine` ('local' or 'ray'; default: the engine setting) says where analysis and the
    grouping's encoding run; `address` is the Ray cluster's (engine/ray_actors.py).
    """
    base = hints or Hints()
    config = store.config
    limit = max_bytes if max_bytes is not None else config[MAX_FILE_BYTES]
    size = batch_size if batch_size is not None else config[BATCH_SIZE]
    if size < 1 or limit < 1:
        raise ConfigError(
            f"batch size ({size}) and file size limit ({limit}) must be at least 1",
            hint=f"check {BATCH_SIZE.name} and {MAX_FILE_BYTES.name} (`storyline settings`)",
        )
    pending = PendingLines(store)
    pipeline = build_pipeline(config, stats=pending)
    analyse_step = analysis_stage(pipeline, config) if analyse else None
    group = analyse if stories is None else stories
    if group:
        from storyline.compare.job import REQUIRES as COMPARE_REQUIRES
        from storyline.stories.job import ASSIGNS, REQUIRES

        provided = pipeline.assigns | (analyse_step.assigns if analyse_step else frozenset())
        check_stage("stories", REQUIRES, provided)
        check_stage("compare", COMPARE_REQUIRES, provided | ASSIGNS)
    alive = ExitStack()  # held while the run lives: `status` tells a dead run from a live one
    try:  # a failure before the run's own try (a busy store) still lets the lock go
        alive.enter_context(ingest_lock(store))
        report = IngestReport(run_id=store.start_run())
        analysers = (
            alive.enter_context(engine_for(config, engine, address))
            if analyse_step is not None
            else None
        )
        batches = _Batch(
            store,
            report,
            pipeline,
            pending,
            load_duplicate_index(store),
            analysers,
            on_item,
            on_written,
        )
    except BaseException:
        alive.close()
        raise
    inputs = iter(documents) if documents is not None else iter_inputs(paths, base, limit, stdin)
    status = "interrupted"
    try:
        for batch in _batches(inputs, size):
            with store.transaction():
                batches.run(batch)
            if stop is not None and stop.is_set():
                report.stopped = True
                return report
        encode = analysers.encoder() if analysers is not None else None
        if analysers is not None and encode is None:
            analysers.close()  # the workers' memory is not needed for grouping
        if group:
            from storyline.compare.job import update_claims
            from storyline.store import vector_index
            from storyline.stories.job import update_stories  # loads the embedding model

            try:
                report.stories = update_stories(store, _until(stop, on_group), encode=encode)
                report.claims = update_claims(store, on_item=_until(stop, on_compare))
            except _StopRequested:  # grouping and claims are resumable: the next run ends them
                report.stopped = True
                return report
            if vector_index.wanted(store):
                vector_index.sync(store)
        status = "ok" if report.ok else "partial"
    finally:
        store.finish_run(
            report.run_id,
            status,
            len(report.stored),
            len(report.unchanged) + len(report.known),
            len(report.errors),
        )
        alive.close()
    return report
