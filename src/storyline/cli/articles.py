"""Commands on articles: ingest, list, show, export, clean, status, settings."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from storyline.api import clean_text, extract_html
from storyline.cli.common import (
    CONTEXT,
    INFERRED_LEGEND,
    Progress,
    config_of,
    db_option,
    emit_json,
    engine_options,
    fail,
    for_terminal,
    json_option,
    open_store,
    profile_option,
    published_option,
    shown_date,
)
from storyline.cli.render import highlight, show_analysis
from storyline.config import settings_markdown
from storyline.errors import StorylineError
from storyline.export import FORMATS, write_export
from storyline.ingest.decode import decode_with_repairs
from storyline.ingest.liveness import unfinished_runs
from storyline.ingest.readers import HTML_SUFFIXES
from storyline.jobs.ingest import IngestReport, ingest
from storyline.model import Hints
from storyline.settings import BATCH_SIZE, MAX_FILE_BYTES
from storyline.store import Store
from storyline.store.alerts import recent_matches
from storyline.store.analysis import article_analysis
from storyline.store.watch import list_sources


def _print_report(report: IngestReport, store: Store, seconds: float) -> None:
    for err in report.errors:
        click.echo(f"error: {for_terminal(str(err))}", err=True)
    for source in report.unanalysed:
        click.echo(
            f"warning: {for_terminal(source)}: stored without analysis (over the "
            "analyse_budget setting)",
            err=True,
        )
    parts = [f"{len(report.stored)} stored"]
    if report.duplicates:
        parts.append(f"{len(report.duplicates)} of them duplicates")
    if report.unchanged or report.known:
        parts.append(f"{len(report.unchanged) + len(report.known)} already in the store")
    parts.append(f"{len(report.errors)} failed")
    click.echo(
        f"ingest: {', '.join(parts)} in {seconds:.1f}s; {store.count()} articles in {store.name}"
    )
    if report.stories is not None:
        s = report.stories
        redated = f", {len(s.redated)} dated from their story" if s.redated else ""
        click.echo(
            f"stories: {s.placed} article(s) placed{redated}; "
            f"{s.events} events in {s.stories} stories (see 'storyline stories')"
        )
    if report.claims:
        click.echo(
            f"compare: claims of {report.claims} stories compared across their sources "
            "(see 'storyline claims')"
        )


@click.command("ingest", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--outlet", help="Outlet of every input (overrides detection).")
@click.option(
    "--published", callback=published_option, help="Publication date (YYYY-MM-DD) of every input."
)
@click.option("--lang", help="Language code of every input (overrides detection), e.g. de.")
@click.option("--url", help="URL of the input (with a single file or '-').")
@click.option(
    "--max-file-bytes",
    type=click.IntRange(min=1),
    default=None,
    help=f"{MAX_FILE_BYTES.help} [default: {MAX_FILE_BYTES.default}, or the setting]",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help=f"{BATCH_SIZE.help} [default: {BATCH_SIZE.default}, or the setting]",
)
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Progress line on stderr (only on a terminal).",
)
@click.option(
    "--stories/--no-stories",
    default=True,
    show_default=True,
    help="Group the articles into events and stories after reading them.",
)
@engine_options
@profile_option
@json_option
def ingest_cmd(
    paths: tuple[str, ...],
    db: str,
    outlet: str | None,
    published: str | None,
    lang: str | None,
    url: str | None,
    max_file_bytes: int | None,
    batch_size: int | None,
    progress: bool,
    stories: bool,
    engine: str | None,
    address: str | None,
    as_json: bool,
) -> None:
    """Read files, folders (recursively) or '-' (stdin) into the store.

    Formats: .txt/.md (first line is the title), .html, .json, .jsonl. Inputs that
    cannot be read are reported by name with the reason; the rest is stored and the
    exit code is 1.

    \b
    Example:
      storyline ingest ../shared/seeds/ --db news.db
      storyline ingest big-archive/ --profile fast --db archive.db
      storyline ingest big-archive/ --engine ray --address auto --db archive.db
      cat page.html | storyline ingest - --url https://example.org/a --db news.db
    """
    hints = Hints(outlet=outlet, published=published, lang=lang, url=url)
    bar = Progress(progress and not as_json)
    group_bar = Progress(progress and not as_json, "group: embed")
    compare_bar = Progress(progress and not as_json, "compare: stories")
    started = time.monotonic()
    stop = threading.Event()
    try:
        with open_store(db, create=True) as store, _stop_on_sigterm(stop):
            report = ingest(
                paths,
                store,
                hints,
                max_bytes=max_file_bytes,
                batch_size=batch_size,
                on_item=bar,
                stories=stories,
                on_group=group_bar,
                on_compare=compare_bar,
                stop=stop,
                engine=engine,
                address=address,
            )
            bar.done()
            group_bar.done()
            compare_bar.done()
            if as_json:
                emit_json({**report.to_dict(), "articles_in_store": store.count(), "db": str(db)})
            else:
                _print_report(report, store, time.monotonic() - started)
    except StorylineError as err:
        fail(err, as_json)
    if report.stopped:
        click.echo(
            "ingest: stopped (SIGTERM) after a committed batch; run the same ingest again to "
            "complete it",
            err=True,
        )
    if not report.ok or report.stopped:
        sys.exit(1)


@contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (a service manager, `kill`) sets `stop`: the ingest ends after the batch it
    is writing (or between two articles of grouping, two stories of claims), recorded as
    interrupted, instead of dying mid-batch. A second SIGTERM ends it at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread (e.g. the CLI run inside a test runner)
        return

    def first(_sig: int, _frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once

    previous = signal.signal(signal.SIGTERM, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command("list", context_settings=CONTEXT)
@db_option
@click.option("--outlet", help="Only this outlet.")
@click.option("--lang", help="Only this language code.")
@click.option("-q", "--query", help="Full-text query (SQLite FTS5 syntax).")
@click.option("-n", "--limit", type=click.IntRange(min=1), help="At most this many.")
@json_option
def list_cmd(
    db: str,
    outlet: str | None,
    lang: str | None,
    query: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored articles, oldest first.

    \b
    Example:
      storyline list --db news.db --outlet BBC
      storyline list --db news.db -q 'Pjöngjang' --json
    """
    try:
        with open_store(db) as store:
            rows = store.list_articles(outlet=outlet, lang=lang, query=query, limit=limit)
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(rows)
        return
    for r in for_terminal(rows):
        dup = f"  (duplicate of {r['duplicate_of'][:8]})" if r["duplicate_of"] else ""
        date = shown_date(r["published"], r["published_source"] == "inferred")
        click.echo(
            f"{r['id'][:12]}  {date:<11} {r['lang'] or '--':<3} "
            f"{(r['outlet'] or '?')[:18]:<18}  {r['title'] or '(no title)'}{dup}"
        )
    click.echo(f"{len(rows)} article(s)", err=True)
    if any(r["published_source"] == "inferred" for r in rows):
        click.echo(INFERRED_LEGEND, err=True)


@click.command("show", context_settings=CONTEXT)
@click.argument("article_id")
@db_option
@click.option(
    "--removed/--no-removed",
    default=True,
    show_default=True,
    help="Also list the lines removed as junk, with reasons.",
)
@json_option
def show_cmd(article_id: str, db: str, removed: bool, as_json: bool) -> None:
    """Show one article (id or a unique prefix of 4+ characters).

    \b
    Example:
      storyline show 3f2a --db news.db
    """
    try:
        with open_store(db) as store:
            art = store.get_article(article_id)
            found = article_analysis(store, art["id"])
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json({**art, **found})
        return
    text = art["text"]  # highlight() makes it safe piece by piece (offsets stay valid)
    art, found = for_terminal(art), for_terminal(found)
    ev: Mapping[str, object] = art["outlet_evidence"] or {}
    click.secho(art["title"] or "(no title)", bold=True)
    click.echo(f"id:        {art['id']}")
    click.echo(f"outlet:    {art['outlet'] or '?'}  [{ev.get('method', '-')}]")
    if art.get("author") or art.get("agency"):
        click.echo(f"byline:    {art.get('author') or '-'}  [agency: {art.get('agency') or '-'}]")
    click.echo(f"language:  {art['lang'] or '?'}")
    sure = art["published_confidence"]
    how: str = art["published_source"] or "-"
    if art["published_source"] == "inferred" and sure is not None:
        how += f", confidence {sure:.2f}"
    click.echo(f"published: {art['published'] or '?'}  [{how}]")
    for s in art["sources"]:
        click.echo(
            f"source:    {s['url'] or s['source']}  (sha256 {s['byte_hash'][:12]}, "
            f"{s['ingested_at']})"
        )
    if art["duplicate_of"]:
        click.echo(f"duplicate of: {art['duplicate_of']}")
    if art["event"]:
        click.echo(f"event:     {art['event']}  (story {art['story']})")
    if art["echo_of"]:
        click.echo(f"echoes:    {art['echo_of']}  {art['echo_evidence']}")
    click.echo()
    click.echo(highlight(text, found["mentions"]))
    show_analysis(found)
    if removed and art["removed"]:
        click.echo()
        click.secho(f"removed lines ({len(art['removed'])}):", bold=True)
        for r in art["removed"]:
            click.echo(f"  [{r['reason']}] {r['line'][:160]}")


@click.command("export", context_settings=CONTEXT)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: stdout).",
)
def export_cmd(db: str, fmt: str, output: str | None) -> None:
    """Export every article as JSON or JSON Lines (schema storyline.export/1).

    \b
    Example:
      storyline export --db news.db -o news.json
      storyline export --db news.db --format jsonl | head -2
    """
    try:
        with open_store(db) as store:
            if output:
                tmp = Path(output + ".part")
                try:
                    with tmp.open("w", encoding="utf-8") as fh:
                        n = write_export(store, fh, fmt)
                    tmp.replace(output)
                except OSError as exc:
                    tmp.unlink(missing_ok=True)
                    raise StorylineError(
                        f"cannot write the export to {output} ({exc.strerror or exc})",
                        hint="check that the folder exists and is writable",
                    ) from exc
                click.echo(f"export: {n} articles written to {output}", err=True)
            else:
                write_export(store, sys.stdout, fmt)
    except StorylineError as err:
        fail(err, False)


@click.command("clean", context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", help="URL of the page (helps outlet detection).")
@json_option
def clean_cmd(path: str, url: str | None, as_json: bool) -> None:
    """Clean one file without storing it: show kept text and removed lines with reasons.

    \b
    Example:
      storyline clean article.txt
      storyline clean page.html --url https://example.org/a --json
    """
    try:
        text, _, decoding = decode_with_repairs(Path(path).read_bytes(), path)
        is_html = Path(path).suffix.lower() in HTML_SUFFIXES
        config = config_of()
        result = (
            extract_html(text, url, config=config)
            if is_html
            else clean_text(text, url=url, config=config)
        )
        result = replace(result, repairs=[*decoding, *result.repairs])
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(result.__dict__)
        return
    shown = for_terminal(result.__dict__)
    click.secho(shown["title"] or "(no title)", bold=True)
    click.echo(
        f"outlet: {shown['outlet'] or '?'}  language: {shown['language'] or '?'}  "
        f"published: {shown['published'] or '?'}"
    )
    if shown["quality"]:
        click.echo(f"not an article (kept out of stories): {shown['quality']}")
    click.echo()
    click.echo(shown["text"])
    click.echo()
    for r in shown["removed"]:
        click.echo(f"- [{r['reason']}] {r['line'][:160]}")
    for fix in shown["repairs"]:
        click.echo(f"~ repaired {fix}")


@click.command("status", context_settings=CONTEXT)
@db_option
@json_option
def status_cmd(db: str, as_json: bool) -> None:
    """Store summary: schema version and migrations, articles per outlet, unfinished runs.

    An ingest run that was killed (or stopped by Ctrl-C) is shown as interrupted with
    what it stored; running the same ingest again completes it.

    \b
    Example:
      storyline status --db news.db
    """
    try:
        with open_store(db) as store:
            outlets = store.outlet_counts()
            info: dict[str, Any] = {
                "db": store.name,
                "engine": store.dialect,
                "schema_version": store.schema_version,
                "migrations": store.migrations(),
                "articles": store.count(),
                "outlets": {name or "": n for name, n in outlets},
                "runs": unfinished_runs(store),
                "watch": [s.to_dict() for s in list_sources(store)],
                "alerts": [m.to_dict() for m in recent_matches(store)],
                "flagged": store.flagged_articles(),
            }
    except StorylineError as err:
        fail(err, as_json)
    if as_json:
        emit_json(info)
        return
    click.echo(f"store: {info['db']} (schema version {info['schema_version']})")
    click.echo(f"articles: {info['articles']}")
    for name, n in for_terminal(outlets):
        click.echo(f"  {n:5d}  {name or '(unknown outlet)'}")
    if info["flagged"]:
        click.echo(f"not articles (kept out of stories): {len(info['flagged'])}")
    for f in for_terminal(info["flagged"]):
        name = f"{f['title'] or '(no title)'} [{f['outlet'] or '?'}]"
        click.echo(f"  {f['id']}  {name}: {f['quality']}")
    for source in for_terminal(info["watch"]):
        health = (
            f"PAUSED ({source['paused_reason']})"
            if source["paused"]
            else f"{source['failures']} failure(s) in a row"
            if source["failures"]
            else "ok"
        )
        click.echo(f"watch {source['id']}: {source['url']} [{source['kind']}] {health}")
    for m in for_terminal(info["alerts"]):
        click.echo(
            f"alert {m['alert']} matched {m['title'] or m['article']} [{m['outlet'] or '?'}] "
            f"{'delivered' if m['delivered_at'] else 'not delivered yet'}"
        )
    for state, runs in info["runs"].items():
        for run in runs:
            click.echo(
                f"ingest run {run['id']} (started {run['started_at']}) {state}, "
                f"{run['articles']} article(s) stored"
                + ("; run the same ingest again to complete it" if state == "interrupted" else "")
            )


@click.command("settings", context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Print the table as Markdown (for the docs).")
@json_option
def settings_cmd(markdown: bool, as_json: bool) -> None:
    """Show every setting: its value in force, where that came from (default, file,
    environment), its environment variable and help.

    \b
    Example:
      storyline settings
      storyline --config team.toml settings --json
      STORYLINE_MAX_FILE_BYTES=5000000 storyline ingest big/
    """
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    config = config_of()
    if as_json:
        emit_json(
            [
                {
                    "name": s.name,
                    "value": config.shown(s),
                    "source": source,
                    "default": s.default,
                    "env_var": s.env_var,
                    "help": s.help,
                }
                for s, _value, source in config.items()
            ]
        )
        return
    for s, _value, source in config.items():
        shown = f"{config.shown(s)!s} ({source})"
        click.echo(f"{s.name:<24} {shown:<28} {s.env_var}\n{'':<24} {s.help}")


COMMANDS = (ingest_cmd, list_cmd, show_cmd, export_cmd, clean_cmd, status_cmd, settings_cmd)
