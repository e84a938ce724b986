"""The web application: the pages, the HTTP API under /api/v1, static files, errors.

``create_app(db_path)`` is what ``storyline serve`` runs and what tests drive. The store
is opened once here, so a missing or too-new store fails at start (with the CLI's
message) and its schema is migrated before the first request; each request then opens
its own connection (:mod:`storyline.web.deps`).

Errors: under ``/api/`` every error is the API's JSON shape; everywhere else an HTML page
in the interface language. A 500 page says only that something failed; the traceback
goes to the server's log.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from storyline.config import Config, resolve
from storyline.errors import StorylineError
from storyline.i18n import pick_lang, translate
from storyline.settings import WEB_CACHE_MB, WEB_CACHE_REFRESH, WEB_MAX_BODY
from storyline.store import Store, postgres
from storyline.store.changes import ChangeWatch
from storyline.web.cache import PageCache, ResponseCache
from storyline.web.deps import API_PREFIX, STATUS, error_json, is_api, storyline_error_json
from storyline.web.pages import routes as page_routes
from storyline.web.render import lang_of, render
from storyline.web.security import SecureApp
from storyline.web.story_page import warm_stories

log = logging.getLogger("storyline.web")

STATIC = Path(__file__).resolve().parent / "static"


Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _api() -> ModuleType | None:
    """storyline.web.api, or None while that module does not exist. Once it exists, an
    import error in it propagates: a broken API must not turn into a missing one."""
    if importlib.util.find_spec("storyline.web.api") is None:
        return None
    return importlib.import_module("storyline.web.api")


def api_routes() -> list[BaseRoute]:
    """The HTTP API's routes, to be mounted at /api/v1 (none without the API)."""
    api = _api()
    found: list[BaseRoute] = api.api_routes() if api is not None else []
    return found


def exception_handlers() -> dict[Any, Handler]:
    """HTML error pages for the UI; under /api/ the API's JSON errors (the API's own
    handlers when it is there, which answer API paths and defer to ours elsewhere)."""
    pages: dict[Any, Handler] = {
        404: _http_error,
        405: _http_error,
        413: _http_error,
        HTTPException: _http_error,
        StorylineError: _storyline_error,
        500: _server_error,
    }
    api = _api()
    if api is None:
        return pages
    handlers: dict[Any, Handler] = api.api_exception_handlers(pages)
    return handlers


_TITLES = {"error.400", "error.404", "error.500"}


def _error_page(request: Request, status: int, message: str, hint: str | None) -> Response:
    lang = lang_of(request)
    title_key = f"error.{status}" if f"error.{status}" in _TITLES else "error.400"
    return render(
        request,
        "error.html",
        status=status,
        title=translate(title_key, lang),
        message=message,
        hint=hint,
    )


def _storyline_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StorylineError)
    if is_api(request):
        return storyline_error_json(exc)
    return _error_page(request, STATUS.get(exc.code, 400), exc.message, exc.hint)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = "not_found" if exc.status_code == 404 else f"http_{exc.status_code}"
    if is_api(request):
        return error_json(exc.status_code, code, str(exc.detail), None)
    lang = lang_of(request)
    message = translate("error.404", lang) if exc.status_code == 404 else str(exc.detail)
    return _error_page(request, exc.status_code, message, request.url.path)


def _server_error(request: Request, exc: Exception) -> Response:
    """The 500 answer. Runs inside Starlette's ServerErrorMiddleware, which then re-raises
    `exc` so the server logs its traceback; the page shows none of it."""
    if is_api(request):
        return error_json(500, "internal_error", "internal server error", None)
    return _error_page(request, 500, translate("error.500.text", lang_of(request)), None)


def _lifespan(warm: int) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """Start: warm the page cache in the background (`warm` > 0). Stop: end ingest jobs
    in a recorded state (web/api_jobs.py)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if warm > 0:
            thread = threading.Thread(
                target=_warm, args=(app, warm), name="storyline-warm", daemon=True
            )
            thread.start()
        yield
        app.state.stopping.set()
        app.state.responses.watch.close()
        jobs = getattr(app.state, "ingest_jobs", None)
        if jobs is not None:
            await jobs.shutdown()

    return lifespan


def _warm(app: Starlette, limit: int) -> None:
    try:
        warm_stories(app.state.db_path, app.state.config, app.state.cache, limit)
    except StorylineError as err:  # e.g. the store locked by an ingest: pages compute later
        log.warning("page cache not warmed: %s", err)


def create_app(
    db_path: str | Path,
    *,
    token: str | None = None,
    max_body: int | None = None,
    lang: str = "de",
    allowed_hosts: Sequence[str] | None = None,
    warm: int = 0,
    config: Config | None = None,
) -> Starlette:
    """The app serving the store at `db_path`, with the settings `config` (default:
    resolved from the environment and the settings file) for every request.

    `token` is the write token of the API (None: writes are refused there); `max_body`
    caps request bodies (413 beyond); `lang` is the default interface language;
    `allowed_hosts` (e.g. localhost names when serving on 127.0.0.1) refuses requests for
    other Host headers, which stops DNS-rebinding pages from reading the UI; `warm` > 0
    computes that many of the largest stories' timelines and comparisons in a background
    thread when the server starts, so their first visit is fast.
    """
    settings = config if config is not None else resolve()
    with Store(db_path, create=False, config=settings):
        pass  # opens (and migrates) once: a bad path fails here, not on every page
    routes: list[BaseRoute] = [
        *page_routes(),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
        Mount(API_PREFIX, routes=api_routes(), name="api"),
    ]
    middleware = []
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    app = SecureApp(
        routes=routes,
        middleware=middleware,
        exception_handlers=exception_handlers(),
        max_body_size=settings[WEB_MAX_BODY] if max_body is None else max_body,
        lifespan=_lifespan(warm),
    )
    app.state.db_path = db_path if postgres.is_url(db_path) else Path(db_path)
    app.state.config = settings
    app.state.token = token
    app.state.lang = pick_lang(lang)
    app.state.cache = PageCache(size=max(32, 3 * warm))
    app.state.responses = ResponseCache(
        ChangeWatch(db_path, settings),
        refresh=settings[WEB_CACHE_REFRESH],
        max_bytes=settings[WEB_CACHE_MB] * 1_000_000,
    )
    #: set when the server stops (lifespan end or the signal itself, cli/serve.py)
    app.state.stopping = threading.Event()
    return app
