"""Commands on the analysis: entities, quotes, analyse."""

from __future__ import annotations

import sys

import click

from storyline.cli.common import (
    CONTEXT,
    Progress,
    db_option,
    emit_json,
    engine_options,
    fail,
    for_terminal,
    json_option,
    open_store,
    profile_option,
)
from storyline.errors import StorylineError
from storyline.store.analysis import explain_entity, list_entities, quotes_by_speaker

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


@click.command("entities", context_settings=CONTEXT)
@db_option
@click.option(
    "--type",
    "etype",
    type=click.Choice(ENTITY_TYPES, case_sensitive=False),
    help="Only entities of this type.",
)
@click.option(
    "--explain",
    "explain",
    metavar="NAME",
    help="Show the entity named NAME with every merge of a name variant and why.",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), help="At most this many.")
@json_option
def entities_cmd(
    db: str, etype: str | None, explain: str | None, limit: int | None, as_json: bool
) -> None:
    """People, organisations, places and other names in the store, with their variants.

    \b
    Example:
      storyline entities --db news.db --type PER
      storyline entities --db news.db --explain Shoigu
    """
    try:
        with open_store(db) as store:
            rows = explain_entity(store, explain) if explain else list_entities(store, etype)
    except StorylineError as err:
        fail(err, as_json)
    rows = rows[:limit] if limit else rows
    if as_json:
        emit_json(rows)
        return
    for e in for_terminal(rows):
        aliases = f"  aka {', '.join(e['aliases'])}" if e["aliases"] else ""
        click.echo(
            f"{e['id']}  {e['type']:<4} {e['name']}{aliases}  "
            f"({e['mention_count']} mentions, {len(e['articles'])} articles)"
        )
        for d in e["descriptions"][:3]:
            click.echo(f"      – {d}")
        for m in e.get("merges", []):
            click.echo(f"      merged {m['alias']!r}: {m['reason']}  [article {m['article_id']}]")
    if explain and not rows:
        click.echo(f"no entity named {for_terminal(explain)!r}", err=True)


@click.command("quotes", context_settings=CONTEXT)
@db_option
@click.option("--speaker", metavar="NAME", help="Only quotes by this speaker (any name variant).")
@json_option
def quotes_cmd(db: str, speaker: str | None, as_json: bool) -> None:
    """Who said what: direct and indirect quotes with speaker, outlet and date.

    \b
    Example:
      storyline quotes --db news.db --speaker Peskow
    """
    try:
        with open_store(db) as store:
            rows = quotes_by_speaker(store, speaker)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(rows)
        return
    for q in for_terminal(rows):
        who = q["speaker_entity"] or q["speaker_name"] or "(unknown speaker)"
        mark = "»" if q["kind"] == "direct" else "~"
        click.echo(
            f"{q['published'] or '????-??-??'}  {q['outlet'] or '?'}  {who}: "
            f"{mark} {q['text'][:200]}"
        )
    click.echo(f"{len(rows)} quote(s)", err=True)


@click.command("analyse", context_settings=CONTEXT)
@db_option
@click.option(
    "--redo",
    is_flag=True,
    help="Analyse every article again (after a model update); a killed re-analysis is "
    "resumed by the next 'storyline analyse', not restarted.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), help="Stop after this many articles (resume later)."
)
@engine_options
@profile_option
@json_option
def analyse_cmd(
    db: str,
    redo: bool,
    limit: int | None,
    engine: str | None,
    address: str | None,
    as_json: bool,
) -> None:
    """Analyse stored articles that have no analysis yet (or all with --redo), then
    group articles that have no event yet into events and stories.

    \b
    Example:
      storyline analyse --db news.db
      storyline analyse --redo --engine ray --address auto --db archive.db
    """
    from storyline.compare.job import update_claims
    from storyline.jobs.analyse import analyse_stored
    from storyline.stories.job import update_stories

    bar = Progress(not as_json, "analyse")
    try:
        with open_store(db) as store:
            report = analyse_stored(
                store, redo=redo, on_item=bar, engine=engine, address=address, limit=limit
            )
            grouped = update_stories(store)
            compared = update_claims(store)
    except StorylineError as err:
        fail(err, as_json)
    bar.done()
    if as_json:
        emit_json(
            {
                "analysed": report.analysed,
                "failed": [e.to_dict() for e in report.failed],
                "stories": grouped.to_dict(),
                "claims": compared,
            }
        )
    else:
        for error in report.failed:
            click.echo(f"analyse: {error}", err=True)
        click.echo(
            f"analyse: {report.analysed} article(s) analysed, {len(report.failed)} failed; "
            f"{grouped.placed} placed into events; claims of {compared} stories compared"
        )
    if not report.ok:
        sys.exit(1)


COMMANDS = (entities_cmd, quotes_cmd, analyse_cmd)
