"""Moving a store to another engine: `storyline migrate SOURCE TARGET`.

SQLite to PostgreSQL when a laptop's archive becomes a team's, and back for a copy to
take along. Every row is copied as it is (storyline.store.transfer); the search index
is then rebuilt on the target, as it is derived from the articles.
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike

from storyline.config import Config, resolve
from storyline.search.index import reindex
from storyline.store.db import Store
from storyline.store.transfer import TransferReport, copy_store


def migrate_store(
    source: str | PathLike[str],
    target: str | PathLike[str],
    *,
    on_table: Callable[[str, int], None] | None = None,
    config: Config | None = None,
) -> TransferReport:
    """Copy the store at `source` into the empty store at `target` (a SQLite file or a
    postgresql:// URL; created and migrated to the current schema when new), both opened
    with `config` (default: resolved from the environment and the settings file)."""
    cfg = config if config is not None else resolve()
    with Store(source, create=False, config=cfg) as src, Store(target, config=cfg) as dst:
        report = copy_store(src, dst, on_table=on_table)
        reindex(dst, full=True)
    return report
