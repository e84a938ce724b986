"""Shared pieces of the command line: options, JSON output, errors, progress."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from storyline.clean.published import parse_date_value
from storyline.config import Config, resolve
from storyline.errors import StorylineError
from storyline.settings import DB_PATH, ENGINE, PROFILE, RAY_ADDRESS
from storyline.store import Store

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def config_of(ctx: click.Context | None = None) -> Config:
    """The settings of this command line, resolved once by the main group (its --config
    file, the environment) and changed only by options such as --profile. A command run
    on its own (not through `main`) resolves them here."""
    root = (ctx or click.get_current_context()).find_root()
    if not isinstance(root.obj, Config):
        root.obj = resolve()
    config: Config = root.obj
    return config


def set_options(ctx: click.Context, **options: str | int | float | None) -> Config:
    """Apply a command's explicit options to the settings (None: not given)."""
    config = config_of(ctx).replace(**options)
    ctx.find_root().obj = config
    return config


def _db_default(ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    return value if value is not None else config_of(ctx)[DB_PATH]


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        callback=_db_default,
        help=f"{DB_PATH.help} [default: {DB_PATH.default}, or STORYLINE_DB]",
    )(fn)


def _set_profile(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """The option sets the profile of this command's settings, as STORYLINE_PROFILE would."""
    if value is not None:
        set_options(ctx, profile=value)


def profile_option(fn: F) -> F:
    return click.option(
        "--profile",
        type=click.Choice(PROFILE.choices),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_profile,
        help=f"{PROFILE.help} [default: {PROFILE.default}, or STORYLINE_PROFILE]",
    )(fn)


def engine_options(fn: F) -> F:
    """--engine and --address: where analysis and encoding run (storyline.engine)."""
    fn = click.option(
        "--address",
        metavar="ADDR",
        default=None,
        help=f"{RAY_ADDRESS.help} [default: STORYLINE_RAY_ADDRESS or empty]",
    )(fn)
    return click.option(
        "--engine",
        type=click.Choice(ENGINE.choices),
        default=None,
        help=f"{ENGINE.help} [default: {ENGINE.default}, or STORYLINE_ENGINE]",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON on stdout.")(
        fn
    )


# A whole escape sequence (CSI "ESC [ … final", OSC "ESC ] … BEL/ST", a two-character
# escape; also their 8-bit C1 forms), bounded so a stray ESC cannot swallow the text after
# it, then any control character left: C0 but tab and newline, DEL, C1.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,16}[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]{0,1024}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -~]"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNESCAPED_CONTROL = re.compile(r"[\x7f-\x9f]")  # json.dumps escapes only C0


def for_terminal(value: T) -> T:
    """``value`` with every string in it safe to print on a terminal.

    Titles, outlets, article text, quotes, file names: anything an article or an input
    controls may hold escape sequences (clear the screen, recolour, set the window
    title, hide text). Every text the command line prints goes through here (strings in
    lists, tuples and dict values too): escape sequences and control characters other
    than newline and tab are removed. The JSON output escapes them instead.
    """
    if isinstance(value, str):
        if value.isprintable() or not _CONTROL.search(value):
            return value
        return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", value))  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: for_terminal(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [for_terminal(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(for_terminal(v) for v in value)  # type: ignore[return-value]
    return value


def emit_json(data: Any) -> None:
    """Data as JSON on stdout; DEL and C1 controls escaped too (json leaves them raw)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    click.echo(_JSON_UNESCAPED_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def fail(err: StorylineError, as_json: bool) -> NoReturn:
    if as_json:
        emit_json(err.to_dict())
    else:
        click.echo(f"error: {for_terminal(str(err))}", err=True)
    sys.exit(1)


def open_store(db: str, *, create: bool = False) -> Store:
    """The store at `db`, carrying this command line's settings (:func:`config_of`)."""
    return Store(db, create=create, config=config_of())


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
            source = for_terminal(source)
            name = source if len(source) < 50 else "…" + source[-49:]
            click.echo(
                f"\r\x1b[K{self.label}: {self.count} items, {rate:.0f}/s  {name}",
                nl=False,
                err=True,
            )

    def done(self) -> None:
        if self.enabled:
            click.echo("\r\x1b[K", nl=False, err=True)


#: The mark of a date inferred from the text rather than stated (metadata or dateline).
INFERRED_MARK = "≈"
INFERRED_LEGEND = f"{INFERRED_MARK} = date inferred from the text, not stated"


def shown_date(value: str | None, inferred: bool, missing: str = "????-??-??") -> str:
    """A date as the command line shows it: inferred ones carry the mark (see the legend)."""
    if not value:
        return missing
    return f"{INFERRED_MARK}{value}" if inferred else value
