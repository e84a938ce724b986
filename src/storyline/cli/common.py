"""Shared pieces of the command line: options, JSON output, errors, progress."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from storyline.clean.published import parse_date_value
from storyline.errors import StorylineError
from storyline.settings import DB_PATH
from storyline.store import Store

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        envvar=DB_PATH.env_var,
        default=DB_PATH.default,
        show_default=True,
        help=DB_PATH.help,
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")(
        fn
    )


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(err: StorylineError, as_json: bool) -> NoReturn:
    if as_json:
        emit_json(err.to_dict())
    else:
        click.echo(f"error: {err}", err=True)
    sys.exit(1)


def open_store(db: str, *, create: bool = False) -> Store:
    return Store(db, create=create)


def published_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    parsed = parse_date_value(value)
    if parsed is None:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD")
    return parsed


class Progress:
    """A one-line counter on stderr, redrawn at most ten times a second, only on a terminal."""

    def __init__(self, enabled: bool, label: str = "ingest") -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label = label
        self.count = 0
        self.started = time.monotonic()
        self._last = 0.0

    def __call__(self, source: str) -> None:
        self.count += 1
        now = time.monotonic()
        if self.enabled and now - self._last > 0.1:
            self._last = now
            rate = self.count / max(now - self.started, 1e-6)
            name = source if len(source) < 50 else "…" + source[-49:]
            click.echo(
                f"\r\x1b[K{self.label}: {self.count} items, {rate:.0f}/s  {name}",
                nl=False,
                err=True,
            )

    def done(self) -> None:
        if self.enabled:
            click.echo("\r\x1b[K", nl=False, err=True)
