"""The serve command: the web UI and HTTP API of a store, on this machine by default."""

from __future__ import annotations

import ipaddress
import threading
from types import FrameType
from typing import Any

import click

from storyline.cli.common import CONTEXT, config_of, db_option, for_terminal
from storyline.errors import StorylineError

#: Largest stories whose timelines and comparisons are computed when the server starts.
WARM_STORIES = 16

#: Host names a browser on this machine uses for a loopback server.
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def _token_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A token given by option or environment must be as strong as a made one.

    A short token ("abc") can be guessed, and one with spaces or control characters
    cannot be sent in an Authorization header; both are usage errors (exit 2).
    """
    from storyline.web.auth import MIN_TOKEN_CHARS

    if value is None:
        return None
    if len(value) < MIN_TOKEN_CHARS:
        raise click.BadParameter(
            f"is {len(value)} characters long; a token needs at least {MIN_TOKEN_CHARS} "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    if not (value.isascii() and value.isprintable()) or " " in value:
        raise click.BadParameter("may hold only printable ASCII characters without spaces")
    return value


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve", context_settings=CONTEXT)
@db_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address exposes the store to the network.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="Default interface language (each page also takes ?lang=de|en).",
)
@click.option(
    "--token",
    envvar="STORYLINE_API_TOKEN",
    callback=_token_option,
    help="Write token of the HTTP API (env STORYLINE_API_TOKEN); default: the one kept in "
    "the config folder, made on first start.",
)
def serve_cmd(db: str, host: str, port: int, lang: str, token: str | None) -> None:
    """Browse a store in the browser: stories, timelines, articles, entities, search.

    Serves on 127.0.0.1 unless --host says otherwise; on a loopback address only
    requests for local host names are answered (no DNS rebinding).

    \b
    Example:
      storyline serve --db news.db
      storyline serve --db news.db --port 8080 --lang en   # then open http://127.0.0.1:8080/
    """

    from storyline.web.app import create_app
    from storyline.web.auth import load_or_create_token, masked

    try:
        if token is None:
            token, token_file, _created = load_or_create_token()
            click.echo(f"API write token {masked(token)} in {token_file}", err=True)
        app = create_app(
            db,
            token=token,
            lang=lang,
            allowed_hosts=LOCAL_NAMES if _loopback(host) else None,
            warm=WARM_STORIES,
            config=config_of(),
        )
    except StorylineError as err:
        click.echo(f"error: {for_terminal(str(err))}", err=True)
        raise SystemExit(1) from err
    if not _loopback(host):
        click.echo(f"warning: serving {db} to the network on {host}:{port}", err=True)
    click.echo(f"storyline: serving {db} on http://{host}:{port}/  (Ctrl-C stops)", err=True)
    _run_server(app, host, port)


def _run_server(app: Any, host: str, port: int) -> None:
    """uvicorn's server, which also tells running ingests to stop as soon as the signal
    comes: uvicorn itself first waits for open requests, and an ingest request can take
    minutes. The ingest then ends after the batch it is writing (web/api_jobs.py)."""
    import uvicorn

    stopping: threading.Event = app.state.stopping

    class StoppingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            stopping.set()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
    StoppingServer(config).run()


COMMANDS = (serve_cmd,)
