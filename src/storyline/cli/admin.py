"""Commands that look after stores themselves: `storyline migrate`."""

from __future__ import annotations

import click

from storyline.cli.common import CONTEXT, config_of, emit_json, fail, json_option
from storyline.errors import StorylineError
from storyline.jobs.migrate import migrate_store
from storyline.store.postgres import redact


@click.command("migrate", context_settings=CONTEXT)
@click.argument("source")
@click.argument("target")
@json_option
def migrate_cmd(source: str, target: str, as_json: bool) -> None:
    """Copy a whole store to another engine: SQLite to PostgreSQL, or back.

    SOURCE and TARGET are SQLite files or postgresql:// URLs. TARGET must be empty (a new
    file, or a database without storyline articles); it is created and migrated to the
    current schema first. Every row is copied as it is (ids, analysis, stories, claims,
    logs, watch state) in one transaction, and the search index is rebuilt.

    \b
    Example:
      storyline migrate news.db postgresql://newsroom@db.example/storyline
      storyline migrate postgresql:///storyline copy.db
    """

    def shown(table: str, n: int) -> None:
        if not as_json and n:
            click.echo(f"  {table}: {n} rows", err=True)

    try:
        report = migrate_store(source, target, on_table=shown, config=config_of())
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json({"source": redact(source), "target": redact(target), "rows": report.rows})
        return
    click.echo(f"migrate: {report.total} rows copied from {redact(source)} to {redact(target)}")


COMMANDS = [migrate_cmd]
