"""The claims command: who reports what, who disputes it, where figures differ."""

from __future__ import annotations

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
from storyline.records import Comparison

KINDS = ("statement", "figure", "denial", "hedged")


def _print(result: Comparison, limit: int, shared: bool, kind: str | None) -> None:
    result = for_terminal(result)
    by_id = {c["id"]: c for c in result["claims"]}
    click.echo(f"{result['kind']} {result['id']}: {len(result['claims'])} claims")
    for o in result["outlets"]:
        click.echo(
            f"  {o['outlet']}: {o['articles']} article(s), {o['claims']} claims, "
            f"{o['unique']} only here, {o['echoes']} echoed"
        )
    shown = [
        c
        for c in result["claims"]
        if (not shared or len(c["outlets"]) > 1) and (kind is None or c["kind"] == kind)
    ][:limit]
    for c in shown:
        hedge = f" [{c['hedge']}]" if c["hedge"] else ""
        click.echo(
            f"\n{c['id']} {c['kind']}{hedge} · {c['independent_sources']} independent, "
            f"{c['echoes']} echoes · {', '.join(c['outlets'])}"
        )
        for s in c["sources"]:
            who = f" ({s['speaker_name']}" + (f", via {s['via']}" if s["via"] else "") + ")"
            click.echo(f"  {s['outlet'] or '?'}{who if s['speaker_name'] else ''}: {s['text']}")
        for d in c["disputes"]:
            click.echo(f"  disputes {d}: {by_id[d]['text'][:100]}")
        for d in c["disputed_by"]:
            click.echo(f"  disputed by {d}: {by_id[d]['text'][:100]}")
    for g in result["figures"][:limit]:
        mark = "differ" if g["differ"] else "agree"
        click.echo(
            f"\nfigures ({mark}): {g['subject']}" + (f", {g['speaker']}" if g["speaker"] else "")
        )
        for r in g["rows"]:
            hedge = f"{r['hedge']} " if r["hedge"] else ""
            click.echo(f"  {r['outlet'] or '?'}: {hedge}{r['text']}")


@click.command("claims", context_settings=CONTEXT)
@click.argument("cluster_id", metavar="STORY_OR_EVENT_ID")
@db_option
@click.option("--kind", type=click.Choice(KINDS), help="Only claims of this kind.")
@click.option("--shared", is_flag=True, help="Only claims carried by more than one outlet.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Claims and figure groups shown (text output).",
)
@json_option
def claims_cmd(
    cluster_id: str, db: str, kind: str | None, shared: bool, limit: int, as_json: bool
) -> None:
    """Compare the sources of a story or event claim by claim.

    Shows each claim with the passage from every outlet that carries it, how many
    sources are independent, denials linked to what they deny, hedges, and figures
    that differ between outlets. --json gives the full comparison (as the export).

    \b
    Example:
      storyline claims s-8554 --db news.db --shared
      storyline claims e-2ac2 --db news.db --kind denial --json
    """
    from storyline.compare import compare

    try:
        with open_store(db) as store:
            result = compare(store, cluster_id)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        if kind:
            result["claims"] = [c for c in result["claims"] if c["kind"] == kind]
        emit_json(result)
    else:
        _print(result, limit, shared, kind)


COMMANDS = (claims_cmd,)
