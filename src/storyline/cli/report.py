"""The report command: the briefing of a story or event as Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from storyline.cli.common import CONTEXT, db_option, fail, for_terminal, open_store
from storyline.errors import StorylineError


@click.command("report", context_settings=CONTEXT)
@click.argument("cluster_id", metavar="STORY_OR_EVENT_ID")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"], case_sensitive=False),
    default="md",
    show_default=True,
    help="Markdown, or one self-contained HTML page (prints well).",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"], case_sensitive=False),
    default="de",
    show_default=True,
    help="Language of the headings and labels (article text stays as written).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to FILE instead of stdout (Markdown: the chart goes to FILE.timeline.svg).",
)
@db_option
def report_cmd(cluster_id: str, fmt: str, lang: str, output: str | None, db: str) -> None:
    """A briefing on one story or event: summary with sources, timeline chart, events, key
    actors, quotes by speaker, figures, source comparison, disputed claims and every
    article used.

    STORY_OR_EVENT_ID is a story id (s-...) or an event id (e-...), or an unambiguous
    prefix of one.

    \b
    Example:
      storyline report s-8554 --db news.db > briefing.md
      storyline report s-8554 --format html --lang en -o briefing.html --db news.db
    """
    from storyline.report import write_report

    try:
        with open_store(db) as store:
            result = write_report(store, cluster_id, fmt.lower(), lang.lower(), output)
    except StorylineError as err:
        fail(err, False)
    except OSError as err:
        fail(StorylineError(f"cannot write {output}: {err.strerror or err}",
                            hint="check the path and its folder"), False)  # fmt: skip
    if isinstance(result, Path):
        click.echo(f"report: wrote {result}", err=True)
    else:
        click.echo(for_terminal(result), nl=False)


COMMANDS = (report_cmd,)
