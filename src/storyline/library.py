"""The library's one calling convention: a store first, then what to do with it.

    import storyline
    with storyline.open("news.db") as db:
        report = storyline.ingest(db, ["articles/"])
        hits = storyline.search(db, "Hafenstreik", semantic=True)
        claims = storyline.compare(db, "s-8554")
        html = storyline.report(db, "s-8554", format="html", lang="en")

Each function takes the store as `db`: a :class:`~storyline.store.Store` from
:func:`open` (used as it is and left open), or a path (opened for the call and closed
after it; None means the `db` setting). The CLI, the web layer and the API call the same
stage functions underneath, so what a script gets is what they show.

The heavy stages (models, the encoder) are imported when a function is first called, so
``import storyline`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.config import Config, resolve
from storyline.settings import DB_PATH
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.jobs.ingest import IngestReport
    from storyline.records import Comparison, SearchHit

#: A store as the library functions take it: an open Store, a path, or None (the setting).
StoreLike = Store | str | PathLike[str] | None


def open(
    db: str | PathLike[str] | None = None, *, create: bool = True, config: Config | None = None
) -> Store:
    """The store at `db` (default: the `db` setting), migrated to the current schema.

    `config` holds the settings every stage run on this store uses (``store.config``);
    by default they are resolved once, here, from the settings file and the environment
    (:func:`storyline.config.resolve`). `create=False` raises NotFoundError when there is
    no store there yet. The store is a context manager; close it (or leave the `with`
    block) when done.
    """
    cfg = config if config is not None else resolve()
    return Store(db if db is not None else cfg[DB_PATH], create=create, config=cfg)


@contextmanager
def _using(db: StoreLike, *, create: bool = False) -> Iterator[Store]:
    """`db` itself when it is an open store; otherwise the store at that path, closed
    at the end."""
    if isinstance(db, Store):
        yield db
        return
    with open(db, create=create) as store:
        yield store


def ingest(db: StoreLike, paths: Iterable[str | PathLike[str]], **options: Any) -> IngestReport:
    """Ingest files, folders or '-' (stdin) into the store: clean, analyse, group into
    events and stories, compare claims. Bad inputs are reported in the result, not
    raised. `options` are :func:`storyline.jobs.ingest.ingest`'s (batch_size, stories,
    stop, progress callbacks ...)."""
    from storyline.jobs.ingest import ingest as run

    with _using(db, create=True) as store:
        return run([str(p) for p in paths], store, **options)


def search(
    db: StoreLike,
    query: str,
    *,
    semantic: bool = False,
    outlet: str | None = None,
    lang: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    entity: str | None = None,
    story: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Articles matching `query`, best first (see :func:`storyline.search.engine.search`)."""
    from storyline.search.engine import search as run

    with _using(db) as store:
        return run(
            store,
            query,
            semantic=semantic,
            outlet=outlet,
            lang=lang,
            since=since,
            until=until,
            entity=entity,
            story=story,
            limit=limit,
        )


def compare(db: StoreLike, cluster_id: str, *, refresh: bool = True) -> Comparison:
    """Claims of a story or event with every source stating them, disputes and figures
    side by side (see :func:`storyline.compare.compare` and docs/compare.md)."""
    from storyline.compare.read import compare as run

    with _using(db) as store:
        return run(store, cluster_id, refresh=refresh)


def report(
    db: StoreLike,
    cluster_id: str,
    *,
    format: str = "html",
    lang: str = "de",
    out: str | PathLike[str] | None = None,
) -> str | Path:
    """The briefing of a story or event as text ("html" or "md"), or written to `out`
    (then its path is returned; see :func:`storyline.report.write_report`)."""
    from storyline.report import write_report

    with _using(db) as store:
        return write_report(store, cluster_id, format, lang, None if out is None else Path(out))
