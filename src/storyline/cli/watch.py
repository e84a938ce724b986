"""`storyline watch` (follow feeds, sitemaps and pages) and `storyline alert`."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
from storyline.settings import WATCH_EVERY
from storyline.store import alerts as alert_db
from storyline.store.watch import WatchSource, list_sources, make_all_due
from storyline.stories.read import resolve_cluster
from storyline.watch import sources
from storyline.watch.alerts import DIGESTS, check_deliver
from storyline.watch.run import PollReport, poll_once, run_loop


def _say(line: str) -> None:
    click.echo(for_terminal(line), err=True)


def _source_line(s: WatchSource) -> str:
    state = (
        f"PAUSED: {s.paused_reason}"
        if s.paused_reason
        else (f"{s.failures} failure(s), last: {s.last_error}" if s.failures else "ok")
    )
    name = f" ({s.name})" if s.name else ""
    return (
        f"{s.id:4d}  {s.kind:<8} every {sources.format_every(s.every_s):<5} {s.url}{name}\n"
        f"      {state}; next {s.next_due}" + ("; robots.txt ignored" if s.ignore_robots else "")
    )


@click.group("watch", context_settings=CONTEXT)
def watch_group() -> None:
    """Follow feeds, sitemaps and pages on a schedule and ingest what is new.

    \b
    Example:
      storyline watch add https://example.org/feed.xml --every 15m --db news.db
      storyline watch run --db news.db
    """


@watch_group.command("add", context_settings=CONTEXT)
@click.argument("url")
@click.option("--every", help=f"Poll interval (30s, 15m, 2h, 1d). [default: {WATCH_EVERY.default}]")
@click.option("--name", help="A name for the source.")
@click.option(
    "--ignore-robots",
    is_flag=True,
    help="Fetch even where robots.txt forbids it (logged on every fetch; only if you may).",
)
@db_option
@json_option
def watch_add(
    url: str, every: str | None, name: str | None, ignore_robots: bool, db: str, as_json: bool
) -> None:
    """Watch a feed (RSS, Atom, JSON Feed), a (news) sitemap or a page's article links.

    Adding a URL already watched updates it, and resumes it when it was paused.

    \b
    Example:
      storyline watch add https://example.org/rss --every 15m --name Beispiel --db news.db
    """
    try:
        with open_store(db, create=True) as store:
            source, new = sources.add(
                store, url, every=every, name=name, ignore_robots=ignore_robots
            )
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json({**source.to_dict(), "new": new})
    else:
        click.echo(f"watch: {'added' if new else 'updated'} source {source.id} {source.url}")


@watch_group.command("list", context_settings=CONTEXT)
@db_option
@json_option
def watch_list(db: str, as_json: bool) -> None:
    """List watched sources with their health (failures, pause reason, next poll).

    \b
    Example:
      storyline watch list --db news.db
    """
    try:
        with open_store(db) as store:
            found = list_sources(store)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json([s.to_dict() for s in found])
        return
    for s in found:
        click.echo(for_terminal(_source_line(s)))
    click.echo(f"{len(found)} source(s)", err=True)


@watch_group.command("remove", context_settings=CONTEXT)
@click.argument("source")
@db_option
@json_option
def watch_remove(source: str, db: str, as_json: bool) -> None:
    """Stop watching a source (by id or URL); what it brought in stays.

    \b
    Example:
      storyline watch remove 3 --db news.db
    """
    try:
        with open_store(db) as store:
            gone = sources.remove(store, source)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json({"removed": gone.to_dict()})
    else:
        click.echo(f"watch: removed source {gone.id} {gone.url}")


def _summary(report: PollReport) -> str:
    fetched = len(report.sources)
    failed = sum(1 for s in report.sources if s.status in ("failed", "paused"))
    alerts = report.alerts
    fired = f"; alerts: {alerts.matched} matched, {alerts.delivered} delivered" if alerts else ""
    return (
        f"watch: {fetched} source(s) polled ({failed} failed), {len(report.stored)} article(s) "
        f"stored, {report.versions} new version(s), {len(report.item_errors)} item(s) failed"
        + fired
    )


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and Ctrl-C end the loop after the batch being written."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(_sig: int, _frame: object) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handler)
    previous_int = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


@watch_group.command("run", context_settings=CONTEXT)
@click.option("--once", is_flag=True, help="Poll the due sources once, then stop.")
@click.option("--all", "due_all", is_flag=True, help="With --once: poll every source now.")
@db_option
@json_option
def watch_run(once: bool, due_all: bool, db: str, as_json: bool) -> None:
    """Poll the due sources and ingest new items (one line per fetch on stderr); then
    check and deliver alerts. Without --once it keeps polling until stopped (Ctrl-C,
    SIGTERM). Exit code 1 when a source or an item failed (with --once).

    \b
    Example:
      storyline watch run --once --db news.db
      storyline watch run --db news.db 2> watch.log
    """
    say = None if as_json else _say
    stop = threading.Event()
    try:
        with open_store(db, create=True) as store, _stop_on_signals(stop):
            if due_all:
                make_all_due(store)
            if once:
                report = poll_once(store, say=say, stop=stop)
            else:
                polls = run_loop(
                    store,
                    stop,
                    say=say,
                    on_poll=lambda r: _say(_summary(r)) if r.sources and say else None,
                )
                click.echo(f"watch: stopped after {polls} poll(s)", err=True)
                return
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(_summary(report))
    if not report.ok:
        sys.exit(1)


# -- alerts -----------------------------------------------------------------------------


@click.group("alert", context_settings=CONTEXT)
def alert_group() -> None:
    """Be told when a watched entity, query or story moves.

    \b
    Example:
      storyline alert add --entity "Hanna Vogt" --deliver jsonl:alerts.jsonl --db news.db
    """


@alert_group.command("add", context_settings=CONTEXT)
@click.option("--entity", help="An entity's name (its variants match too).")
@click.option("--query", help="Words that must all occur in one sentence (stemmed, folded).")
@click.option("--story", "story", help="A story id (or prefix): new articles in that story.")
@click.option(
    "--min-sources",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Only once the article's story has this many distinct outlets.",
)
@click.option(
    "--deliver",
    default="stdout",
    show_default=True,
    help="stdout, jsonl:PATH, webhook:URL or email:ADDRESS.",
)
@click.option("--digest", type=click.Choice(sorted(DIGESTS)), help="Collect into one message.")
@db_option
@json_option
def alert_add(
    entity: str | None,
    query: str | None,
    story: str | None,
    min_sources: int,
    deliver: str,
    digest: str | None,
    db: str,
    as_json: bool,
) -> None:
    """Add an alert: on an entity, a query or a story (give exactly one).

    \b
    Example:
      storyline alert add --query Hafenstreik --min-sources 2 --db news.db
      storyline alert add --story s-8554 --deliver webhook:https://hooks.example.org/x
      storyline alert add --entity "Kim Jong Un" --deliver email:desk@example.org --digest daily
    """
    given = [(k, v) for k, v in (("entity", entity), ("query", query), ("story", story)) if v]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --entity, --query, --story")
    kind, value = given[0]
    try:
        check_deliver(deliver)
        with open_store(db, create=True) as store:
            if kind == "story":
                value = resolve_cluster(store, "story", value)
            alert = alert_db.add_alert(store, kind, value.strip(), min_sources, deliver, digest)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(alert.to_dict())
    else:
        click.echo(f"alert: added alert {alert.id} ({alert.kind} {alert.value!r})")


@alert_group.command("list", context_settings=CONTEXT)
@db_option
@json_option
def alert_list(db: str, as_json: bool) -> None:
    """List alerts and the latest matches.

    \b
    Example:
      storyline alert list --db news.db --json
    """
    try:
        with open_store(db) as store:
            alerts = alert_db.list_alerts(store)
            recent = alert_db.recent_matches(store)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(
            {"alerts": [a.to_dict() for a in alerts], "recent": [m.to_dict() for m in recent]}
        )
        return
    for a in alerts:
        extra = f", min {a.min_sources} sources" if a.min_sources > 1 else ""
        digest = f", {a.digest} digest" if a.digest else ""
        line = f"{a.id:4d}  {a.kind:<6} {a.value!r} -> {a.deliver}{extra}{digest}"
        click.echo(for_terminal(line))
    for m in for_terminal([m.to_dict() for m in recent]):
        click.echo(f"  match {m['alert']}: {m['title'] or m['article']} [{m['outlet'] or '?'}]")
    click.echo(f"{len(alerts)} alert(s)", err=True)


@alert_group.command("remove", context_settings=CONTEXT)
@click.argument("alert_id", type=int)
@db_option
@json_option
def alert_remove(alert_id: int, db: str, as_json: bool) -> None:
    """Remove an alert (its matches go with it).

    \b
    Example:
      storyline alert remove 2 --db news.db
    """
    try:
        with open_store(db) as store:
            alert_db.remove_alert(store, alert_id)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json({"removed": alert_id})
    else:
        click.echo(f"alert: removed alert {alert_id}")


COMMANDS = (watch_group, alert_group)
