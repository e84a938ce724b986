"""Terminal rendering of an article's analysis (colours vanish when not on a terminal)."""

from __future__ import annotations

from collections.abc import Sequence

import click

from storyline.cli.common import for_terminal
from storyline.records import ArticleAnalysis, ArticleMention

COLOURS = {"PER": "cyan", "ORG": "magenta", "LOC": "green", "MISC": "yellow"}


def highlight(text: str, mentions: Sequence[ArticleMention]) -> str:
    """The text with entity mentions coloured by type."""
    out, pos = [], 0
    for m in sorted(mentions, key=lambda m: m["start"]):
        if m["start"] < pos:
            continue
        out.append(for_terminal(text[pos : m["start"]]))
        mention = for_terminal(text[m["start"] : m["end"]])
        out.append(click.style(mention, fg=COLOURS.get(m["label"]), bold=True))
        pos = m["end"]
    out.append(for_terminal(text[pos:]))
    return "".join(out)


def show_analysis(found: ArticleAnalysis) -> None:
    found = for_terminal(found)
    if found["quotes"]:
        click.echo()
        click.secho(f"quotes ({len(found['quotes'])}):", bold=True)
        for q in found["quotes"]:
            who = q["speaker_name"] or "(unknown speaker)"
            via = f" via {q['via']}" if q["via"] else ""
            click.echo(f"  {who}{via} [{q['kind']}, {q['cue'] or '-'}]: {q['text'][:160]}")
    if found["dates"]:
        click.echo()
        click.secho(f"dates ({len(found['dates'])}):", bold=True)
        for d in found["dates"]:
            click.echo(f"  {d['value']:<23} {d['precision']:<6} {d['text']}")
    if found["quantities"]:
        click.echo()
        click.secho(f"figures ({len(found['quantities'])}):", bold=True)
        for f in found["quantities"]:
            value = f["value"]
            shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
            parts = [shown, f["unit"] or "", f["counted"] or ""]
            hedge = f" ({f['hedge']})" if f["hedge"] else ""
            click.echo(f"  {' '.join(p for p in parts if p):<40}{hedge}  ← {f['text']}")
