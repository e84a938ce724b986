"""Commands on events and stories: stories, story, event, timeline, recluster."""

from __future__ import annotations

import click

from storyline.cli.common import (
    CONTEXT,
    INFERRED_LEGEND,
    Progress,
    db_option,
    emit_json,
    fail,
    for_terminal,
    json_option,
    open_store,
    shown_date,
)
from storyline.errors import StorylineError
from storyline.records import TimelineEntryRecord
from storyline.stories.read import (
    cluster_log,
    event_record,
    list_stories,
    resolve_cluster,
    story_record,
)
from storyline.stories.timeline import build_timeline


def _span(first: str | None, last: str | None, inferred: bool = False) -> str:
    if not first:
        return "undated"
    first, last = shown_date(first, inferred), shown_date(last, inferred, "")
    return first if first == last or not last else f"{first} – {last}"


@click.command("stories", context_settings=CONTEXT)
@db_option
@click.option("-n", "--limit", type=click.IntRange(min=1), help="At most this many.")
@json_option
def stories_cmd(db: str, limit: int | None, as_json: bool) -> None:
    """Stories in the store, largest first: events, articles, outlets, dates, languages.

    \b
    Example:
      storyline stories --db news.db
    """
    try:
        with open_store(db) as store:
            rows = list_stories(store)
    except StorylineError as err:
        fail(err, as_json)
    rows = rows[:limit] if limit else rows
    if as_json:
        emit_json(rows)
        return
    for s in for_terminal(rows):
        click.echo(
            f"{s['id']}  {s['title']}\n"
            f"    {s['events']} events, {s['articles']} articles, {s['outlets']} outlets, "
            f"{_span(s['first'], s['last'], s['dates_inferred'])}, "
            f"{', '.join(s['languages']) or '?'}"
        )
    if any(s["dates_inferred"] for s in rows):
        click.echo(INFERRED_LEGEND, err=True)
    if not rows:
        click.echo("no stories yet: run 'storyline ingest' (or 'storyline recluster')", err=True)


@click.command("story", context_settings=CONTEXT)
@click.argument("story_id")
@db_option
@click.option("--log", "show_log", is_flag=True, help="Also show how the story was grouped.")
@json_option
def story_cmd(story_id: str, db: str, show_log: bool, as_json: bool) -> None:
    """One story: its events with their independent sources, outlets and timeline.

    STORY_ID may be shortened to an unambiguous prefix.

    \b
    Example:
      storyline story s-8554f0e1 --db news.db
    """
    try:
        with open_store(db) as store:
            full_id = resolve_cluster(store, "story", story_id)
            record = story_record(store, full_id, full=True)
            if show_log:
                rows = {
                    r["id"]: r for e in [full_id, *record["events"]] for r in cluster_log(store, e)
                }
                record["log"] = [rows[k] for k in sorted(rows)]
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(record)
        return
    record = for_terminal(record)
    click.echo(f"{record['id']}  {record['title']}")
    click.echo(f"    {len(record['articles'])} articles in {', '.join(record['languages'])}")
    click.echo("\nEvents:")
    for ev in record["event_details"]:
        click.echo(
            f"  {ev['id']}  {shown_date(ev['date'], ev['date_inferred'], 'undated')}  "
            f"{ev['title']}\n"
            f"      {len(ev['articles'])} articles, {ev['independent_sources']} independent "
            f"source(s): {', '.join(ev['outlets']) or '?'}"
        )
    if any(ev["date_inferred"] for ev in record["event_details"]):
        click.echo(f"  ({INFERRED_LEGEND})")
    click.echo("\nOutlets:")
    for outlet, n in record["outlets"].items():
        click.echo(f"  {n:3d}  {outlet}")
    click.echo("\nTimeline:")
    _print_timeline(record["timeline"])
    for row in record.get("log", []):
        click.echo(f"  log: {row['created_at']}  {row['kind']} {row['action']} {row['cluster']} "
                   f"{row['subject'] or ''} {row['evidence']}")  # fmt: skip


def _print_timeline(entries: list[TimelineEntryRecord]) -> None:
    for e in for_terminal(entries):
        sources = e["sources"]
        assert isinstance(sources, list)
        outlets = sorted({str(s["outlet"] or "?") for s in sources})
        when = shown_date(str(e["date"]), bool(e.get("inferred")))
        click.echo(f"  {when:<23} {e['text']}\n{'':25}[{', '.join(outlets)}]")


@click.command("event", context_settings=CONTEXT)
@click.argument("event_id")
@db_option
@json_option
def event_cmd(event_id: str, db: str, as_json: bool) -> None:
    """One event: its articles with outlet, date, duplicates and echoes.

    \b
    Example:
      storyline event e-2ac2d4b2 --db news.db
    """
    try:
        with open_store(db) as store:
            record = event_record(store, resolve_cluster(store, "event", event_id), full=True)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(record)
        return
    record = for_terminal(record)
    when = shown_date(record["date"], record["date_inferred"], "undated")
    click.echo(f"{record['id']}  {when}  {record['title']}")
    click.echo(
        f"    story {record['story']}; {record['independent_sources']} independent source(s)"
    )
    for a in record["article_details"]:
        note = ""
        if a["duplicate_of"]:
            note = f"  (copy of {a['duplicate_of']})"
        elif a["echo_of"]:
            note = f"  (echoes {a['echo_of']})"
        click.echo(
            f"  {a['id']}  {shown_date(a['published'], a['published_source'] == 'inferred')}  "
            f"{a['outlet'] or '?'}: "
            f"{a['title'] or ''}{note}"
        )


@click.command("timeline", context_settings=CONTEXT)
@click.argument("story_id")
@db_option
@json_option
def timeline_cmd(story_id: str, db: str, as_json: bool) -> None:
    """A story's timeline: dated sentences from its articles, with every outlet reporting them.

    \b
    Example:
      storyline timeline s-8554f0e1 --db news.db
    """
    try:
        with open_store(db) as store:
            entries = [
                e.to_dict()
                for e in build_timeline(store, resolve_cluster(store, "story", story_id))
            ]
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(entries)
        return
    _print_timeline(entries)


@click.command("recluster", context_settings=CONTEXT)
@db_option
@json_option
def recluster_cmd(db: str, as_json: bool) -> None:
    """Group every article into events and stories again, from scratch.

    Ids are kept wherever a new event or story overlaps an old one most; every merge
    and split is logged (see 'storyline story ID --log').

    \b
    Example:
      storyline recluster --db news.db
    """
    from storyline.compare.job import update_claims
    from storyline.stories.job import recluster

    bar = Progress(not as_json, "embed")
    try:
        with open_store(db) as store:
            report = recluster(store, on_item=bar)
            compared = update_claims(store)
    except StorylineError as err:
        fail(err, as_json)
    bar.done()
    if as_json:
        emit_json({**report.to_dict(), "claims": compared})
        return
    click.echo(
        f"recluster: {report.placed} articles in {report.events} events and "
        f"{report.stories} stories; {len(report.redated)} dated from their story; "
        f"claims of {compared} stories compared"
    )


COMMANDS = (stories_cmd, story_cmd, event_cmd, timeline_cmd, recluster_cmd)
