"""The storyline command line: a thin layer over the library.

Exit codes: 0 ok, 1 some input failed (or the store could not be used),
2 usage error. With --json, results and errors go to stdout as JSON.
"""

from __future__ import annotations

from typing import Any

import click

from storyline import __version__
from storyline.cli import (
    admin,
    analysis,
    articles,
    compare,
    report,
    search,
    serve,
    stories,
    watch,
)
from storyline.cli.common import CONTEXT, for_terminal
from storyline.config import CONFIG_ENV, resolve
from storyline.errors import StorylineError


class StorylineGroup(click.Group):
    """Reports a StorylineError escaping a command (e.g. a bad setting) without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StorylineError as err:
            click.echo(f"error: {for_terminal(str(err))}", err=True)
            ctx.exit(1)


@click.group(cls=StorylineGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help=f"Settings file (TOML, setting = value; default: ${CONFIG_ENV} if set). "
    "Environment variables and options override it; see `storyline settings`.",
)
@click.pass_context
def main(ctx: click.Context, config_file: str | None) -> None:
    """storyline: turn a pile of news articles into a sourced picture of what happened.

    \b
    Example:
      storyline ingest articles/ --db news.db
      storyline list --db news.db
      storyline --config team.toml serve
    """
    # the one place the command line reads its settings; commands get them from here
    ctx.obj = resolve(file=config_file)


for _command in (
    *articles.COMMANDS,
    *analysis.COMMANDS,
    *stories.COMMANDS,
    *compare.COMMANDS,
    *report.COMMANDS,
    *search.COMMANDS,
    *serve.COMMANDS,
    *watch.COMMANDS,
    *admin.COMMANDS,
):
    main.add_command(_command)

__all__ = ["main"]
