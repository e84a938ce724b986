"""What every web request needs: a store of its own, and one JSON shape for errors.

Why a store per request: SQLite connections must not cross threads, and Starlette runs
plain (sync) endpoints in a thread pool. Opening a connection costs well under a
millisecond; the schema is migrated once, when the app starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from storyline.errors import StoreBusyError, StorylineError
from storyline.store import Store

#: seconds an API request waits for another writer's lock before answering 503
REQUEST_STORE_WAIT = 5.0
#: what a 503 for a busy store tells the client to wait before trying again
RETRY_AFTER_SECONDS = 10

#: HTTP status for each error code the library raises; anything else is a 400.
#: where the HTTP API is mounted: pages and API tell their requests apart by it
API_PREFIX = "/api/v1"


def is_api(request: Request) -> bool:
    """Whether the request is for the HTTP API (JSON errors) rather than a page."""
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


STATUS = {
    "not_found": 404,
    "query_error": 400,
    "config_error": 400,
    "input_error": 422,
    "empty_input": 422,
    "binary_input": 422,
    "input_too_large": 413,
    "decode_error": 422,
    "format_error": 422,
    "store_error": 500,
    "store_busy": 503,
    "schema_error": 500,
    "pipeline_error": 500,
}


@contextmanager
def store_for(request: Request) -> Iterator[Store]:
    """The app's store, opened for this request and closed after it. A request waits at
    most REQUEST_STORE_WAIT for another writer's lock, then answers 503 with Retry-After
    (reads never wait: the store is in WAL mode)."""
    state = request.app.state
    store = Store(state.db_path, create=False, wait=REQUEST_STORE_WAIT, config=state.config)
    try:
        yield store
    finally:
        store.close()


def error_json(
    status: int, code: str, message: str, hint: str | None = None, **extra: Any
) -> JSONResponse:
    """The one error shape of the API: the CLI's ``--json`` error plus the HTTP status."""
    body: dict[str, Any] = {"error": code, "message": message, "hint": hint, "status": status}
    body.update(extra)
    return JSONResponse(body, status_code=status)


def storyline_error_json(err: StorylineError) -> JSONResponse:
    status = STATUS.get(err.code, 400)
    if isinstance(err, StoreBusyError):
        resp = error_json(status, err.code, err.message, err.hint)
        resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return resp
    return error_json(
        status,
        err.code,
        err.message,
        err.hint,
        **{k: v for k, v in err.to_dict().items() if k not in {"error", "message", "hint"}},
    )
