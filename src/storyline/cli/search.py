"""The search command: full text (German-aware) and, with --semantic, by meaning."""

from __future__ import annotations

from datetime import datetime

import click

from storyline.cli.common import (
    CONTEXT,
    db_option,
    emit_json,
    fail,
    for_terminal,
    json_option,
    open_store,
)
from storyline.errors import StorylineError
from storyline.records import SearchHit

_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _print(rows: list[SearchHit]) -> None:
    for n, r in enumerate(for_terminal(rows), start=1):
        how = "+".join(r["matched_by"])
        click.echo(
            f"{n:2d}. {r['id']}  {r['published'] or '????-??-??'}  {r['outlet'] or '?'} "
            f"[{r['lang'] or '?'}, {how}]\n"
            f"    {r['title'] or '(untitled)'}"
        )
        if r["snippet"]:
            click.echo(f"    {r['snippet']}")


@click.command("search", context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--semantic", is_flag=True, help="Also search by meaning (e5, any language) and fuse both."
)
@click.option("--outlet", help="Only articles of this outlet (case-insensitive).")
@click.option("--lang", help="Only articles in this language (de, en, ...).")
@click.option("--since", type=_DAY, metavar="YYYY-MM-DD", help="Published on or after this day.")
@click.option("--until", type=_DAY, metavar="YYYY-MM-DD", help="Published on or before this day.")
@click.option("--entity", metavar="ID", help="Only articles naming this entity (see 'entities').")
@click.option("--story", metavar="ID", help="Only articles of this story (see 'stories').")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1, max=500),
    default=20,
    show_default=True,
    help="At most this many results.",
)
@json_option
@db_option
def search_cmd(
    query: tuple[str, ...],
    semantic: bool,
    outlet: str | None,
    lang: str | None,
    since: datetime | None,
    until: datetime | None,
    entity: str | None,
    story: str | None,
    limit: int,
    as_json: bool,
    db: str,
) -> None:
    """Find articles by words: "Streiks" also finds "Streik", "Strasse" finds "Straße".

    All words must occur; "quoted words" are a phrase, word* is a prefix. With
    --semantic, articles about the same thing in other words or languages are found too
    (embeds the query with e5). Dated filters leave out undated articles.

    \b
    Example:
      storyline search Hafenstreik --db news.db
      storyline search '"Hamburger Hafen"' streik* --since 2025-03-01 --db news.db
      storyline search "dock workers walk out" --semantic --lang de --json --db news.db
    """
    from storyline.search import search  # the search modules load only for this command

    try:
        with open_store(db) as store:
            rows = search(
                store,
                " ".join(query),
                semantic=semantic,
                outlet=outlet,
                lang=lang,
                since=_day(since),
                until=_day(until),
                entity=entity,
                story=story,
                limit=limit,
            )
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(rows)
        return
    _print(rows)
    if not rows:
        hint = "" if semantic else "; try --semantic to search by meaning"
        click.echo(f"no articles match {for_terminal(' '.join(query))!r}{hint}", err=True)


COMMANDS = (search_cmd,)
