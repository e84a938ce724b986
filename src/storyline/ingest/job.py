"""The ingest job: read inputs, run the pipeline, write batches to the store.

Each batch is one transaction. An interrupted run (crash, Ctrl-C) leaves the
store as it was after the last committed batch; running the same command
again skips what is stored (same source, same bytes) and completes the rest.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, BinaryIO

from storyline.api import build_pipeline
from storyline.clean import line_key
from storyline.errors import ConfigError, InputError
from storyline.ingest.liveness import ingest_lock
from storyline.ingest.readers import Item, iter_inputs
from storyline.model import Document, Hints
from storyline.pipeline import Pipeline, Stage, check_stage
from storyline.search.index import index_article
from storyline.settings import BATCH_SIZE, MAX_FILE_BYTES, PROFILE
from storyline.store import Store
from storyline.store.analysis import save_analysis
from storyline.stories.dedupe import DuplicateIndex, from_bytes, signature, to_bytes

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
            "stories": self.stories.to_dict() if self.stories else None,
            "claims": self.claims,
        }


def analysis_stage(cleaning: Pipeline) -> Stage:
    """The analysis stage, checked against what the cleaning pipeline provides."""
    from storyline.analyse.run import analyse_stage  # loads the models only when needed

    Pipeline([analyse_stage], provided=cleaning.assigns)
    return analyse_stage


def load_duplicate_index(store: Store) -> DuplicateIndex:
    index = DuplicateIndex()
    for article_id, blob in store.original_signatures():
        index.add(article_id, from_bytes(blob))
    return index


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _process(
    doc: Document,
    store: Store,
    report: IngestReport,
    run_id: int,
    pipeline: Pipeline,
    index: DuplicateIndex,
    analyse: Stage | None,
) -> None:
    known = store.known_source(doc.source, doc.byte_hash)
    if known is not None:
        report.unchanged.append(known)
        return
    pipeline(doc)
    assert doc.id is not None and doc.text_hash is not None
    if store.has_article(doc.id):
        store.add_source(doc.id, doc, run_id)
        report.known.append(doc.id)
        return
    if analyse is not None:  # after the id check: known content is not analysed twice
        analyse(doc)
    doc.duplicate_of = store.find_duplicate(doc.text_hash, doc.id)
    assert doc.text is not None
    minhash = signature(doc.text)
    if doc.duplicate_of is None:
        near = index.find(minhash)
        doc.duplicate_of = near[0] if near else None
    store.insert_article(doc, [line_key(v.line) for v in doc.verdicts if not v.title], run_id)
    index_article(store.conn, doc.id)
    store.save_signature(doc.id, to_bytes(minhash))
    if doc.analysis is not None:
        save_analysis(store, doc.id, doc.analysis, PROFILE.get())
    # Only in-memory bookkeeping from here: nothing below can fail half-way.
    if doc.duplicate_of is None:
        index.add(doc.id, minhash)
    report.stored.append(doc.id)
    if doc.duplicate_of:
        report.duplicates.append((doc.id, doc.duplicate_of))


def _process_atomically(
    doc: Document,
    store: Store,
    report: IngestReport,
    pipeline: Pipeline,
    index: DuplicateIndex,
    analyse: Stage | None,
) -> InputError | None:
    """Process one document inside a savepoint: on failure none of its rows remain."""
    store.conn.execute("SAVEPOINT item")
    try:
        _process(doc, store, report, report.run_id, pipeline, index, analyse)
    except InputError as err:
        failure: InputError | None = err
    except Exception as exc:  # a bug must not lose the rest of the batch; it is reported
        failure = InputError(
            doc.source,
            f"internal error while processing: {exc!r}",
            hint="please report this with the input; details: "
            + traceback.format_exc(limit=3).strip().splitlines()[-1],
        )
    else:
        failure = None
    if failure is not None:
        store.conn.execute("ROLLBACK TO item")
    store.conn.execute("RELEASE item")
    return failure


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
) -> IngestReport:
    """Ingest files, folders or '-' (stdin) into ``store``; bad inputs are reported, not fatal.

    With `stories` (default: when analysing), every article without an event is then
    grouped into events and stories (stories/job.py), in a transaction of its own: an
    interrupted grouping is done by the next ingest or by `recluster`. `on_group` is
    called for each article embedded for grouping (about five a second with e5). Then the
    claims of every story that changed are compared across its sources (compare/job.py);
    `on_compare` is called per story.
    """
    base = hints or Hints()
    limit = max_bytes if max_bytes is not None else MAX_FILE_BYTES.get()
    size = batch_size if batch_size is not None else BATCH_SIZE.get()
    if size < 1 or limit < 1:
        raise ConfigError(
            f"batch size ({size}) and file size limit ({limit}) must be at least 1",
            hint=f"check {BATCH_SIZE.env_var} and {MAX_FILE_BYTES.env_var}",
        )
    pipeline = build_pipeline(stats=store)
    analyse_step = analysis_stage(pipeline) if analyse else None
    group = analyse if stories is None else stories
    if group:
        from storyline.compare.job import REQUIRES as COMPARE_REQUIRES
        from storyline.stories.job import ASSIGNS, REQUIRES

        provided = pipeline.assigns | (analyse_step.assigns if analyse_step else frozenset())
        check_stage("stories", REQUIRES, provided)
        check_stage("compare", COMPARE_REQUIRES, provided | ASSIGNS)
    index = load_duplicate_index(store)
    alive = ExitStack()  # held while the run lives: `status` tells a dead run from a live one
    alive.enter_context(ingest_lock(store.path))
    report = IngestReport(run_id=store.start_run())
    status = "interrupted"
    try:
        for batch in _batches(iter_inputs(paths, base, limit, stdin), size):
            with store.transaction():
                for item in batch:
                    if isinstance(item, InputError):
                        report.errors.append(item)
                        store.record_error(report.run_id, item)
                    else:
                        failure = _process_atomically(
                            item, store, report, pipeline, index, analyse_step
                        )
                        if failure is not None:
                            report.errors.append(failure)
                            store.record_error(report.run_id, failure)
                    if on_item is not None:
                        on_item(item.source)
        if group:
            from storyline.compare.job import update_claims
            from storyline.search import vector_index
            from storyline.stories.job import update_stories  # loads the embedding model

            report.stories = update_stories(store, on_group)
            report.claims = update_claims(store, on_item=on_compare)
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
