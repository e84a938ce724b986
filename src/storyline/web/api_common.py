"""What every endpoint of the HTTP API shares: parameter checks, paging, and the rule that
every failure leaves as the one JSON error shape.

Why the endpoints catch their own errors instead of relying only on the app's exception
handlers: the API is mounted into an app someone else builds; a handler forgotten there
must not turn an API error into an HTML page or a traceback. `api_exception_handlers`
(in api.py) is the safety net for what happens outside the endpoints.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from http import HTTPStatus
from typing import Any, Generic, TypedDict, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from storyline.errors import StorylineError
from storyline.web.deps import error_json, storyline_error_json

log = logging.getLogger("storyline.web.api")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
#: Longest text parameter accepted (a search query, a name); longer ones are refused
#: rather than handed to the full-text index.
MAX_TEXT = 1000

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_WHOLE = re.compile(r"[+-]?\d{1,12}", re.ASCII)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class ApiError(Exception):
    """A request the HTTP layer refuses (bad parameter, no token, body too large).

    Library errors stay StorylineErrors (their status comes from deps.STATUS); this is
    for what only HTTP has, so it carries its status itself.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        resp = error_json(self.status, self.code, self.message, self.hint)
        resp.headers.update(self.headers)
        return resp


def invalid(name: str, message: str, hint: str | None = None) -> ApiError:
    return ApiError(422, "invalid_parameter", f"parameter {name!r}: {message}", hint)


class Query:
    """Typed access to a request's query string; every bad value is a 422 naming the
    parameter, never a 500 from deeper down."""

    def __init__(self, request: Request) -> None:
        self.params = request.query_params

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.params.get(name, "").strip()
        if not value:
            if required:
                raise invalid(name, "is required", f"add ?{name}=...")
            return None
        if len(value) > MAX_TEXT:
            raise invalid(name, f"is longer than {MAX_TEXT} characters", "shorten it")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.params.get(name, "").strip()
        if not raw:
            return default
        if not _WHOLE.fullmatch(raw):
            raise invalid(name, f"{raw[:40]!r} is not a whole number", f"give {low} to {high}")
        value = int(raw)
        if not low <= value <= high:
            raise invalid(name, f"{value} is out of range", f"give {low} to {high}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self.params.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise invalid(name, f"{raw[:40]!r} is not true or false", "use true or false")

    def day(self, name: str) -> str | None:
        raw = self.params.get(name, "").strip()
        if not raw:
            return None
        try:
            if not _DAY.fullmatch(raw):
                raise ValueError(raw)
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise invalid(name, f"{raw[:40]!r} is not a date", "use YYYY-MM-DD") from None

    def span(self) -> tuple[str | None, str | None]:
        """The `from` and `to` days, checked to be in order."""
        first, last = self.day("from"), self.day("to")
        if first and last and first > last:
            raise invalid("from", f"{first} is after 'to' ({last})", "swap the dates")
        return first, last

    def choice(self, name: str, choices: Sequence[str]) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        if value.upper() not in choices:
            raise invalid(name, f"{value[:40]!r} is not one of {', '.join(choices)}")
        return value.upper()

    def page(self) -> tuple[int, int]:
        """(limit, offset): limit 1 to MAX_LIMIT (default DEFAULT_LIMIT), offset 0 or more."""
        return (
            self.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
            self.integer("offset", 0, 0, 10**12),
        )


T = TypeVar("T")


class Page(TypedDict, Generic[T]):
    """The one shape of every list the API returns."""

    items: list[T]
    #: how many there are in all
    total: int
    limit: int
    offset: int


def page(items: Sequence[T], total: int, limit: int, offset: int) -> Page[T]:
    """The one shape of every list the API returns."""
    return {"items": list(items), "total": total, "limit": limit, "offset": offset}


def sliced(rows: Sequence[T], limit: int, offset: int) -> Page[T]:
    """A page cut from a list computed whole (stories, timelines, claims)."""
    return page(rows[offset : offset + limit], len(rows), limit, offset)


#: Codes and hints for bare HTTP statuses, in the error shape's terms.
_HTTP_CODES = {
    400: ("bad_request", "check the request"),
    404: ("not_found", "see /api/v1/openapi.json for the routes"),
    405: ("method_not_allowed", None),
    413: ("too_large", "send less at once"),
    415: ("unsupported_media_type", None),
    500: ("internal_error", "the server log has the details"),
}


def http_error_json(
    status: int, headers: dict[str, str] | None = None, message: str | None = None
) -> JSONResponse:
    """The error shape for a bare HTTP status (404, 405, 413, 500 ...)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    code, hint = _HTTP_CODES.get(status, (phrase.lower().replace(" ", "_"), None))
    if status == 405 and headers and "Allow" in headers:
        hint = f"allowed here: {headers['Allow']}"
    resp = error_json(status, code, message or phrase, hint)
    resp.headers.update(headers or {})
    return resp


def internal_error_json() -> JSONResponse:
    return http_error_json(500)


def _respond(result: Any) -> Response:
    return result if isinstance(result, Response) else JSONResponse(result)


def error_response(exc: Exception, request: Request | None = None) -> Response:
    """The error shape for any exception. With `request` (inside an endpoint) an
    unexpected exception is logged with its traceback here; without (in an app-level
    handler) Starlette's ServerErrorMiddleware logs it."""
    if isinstance(exc, ApiError):
        return exc.response()
    if isinstance(exc, StorylineError):
        return storyline_error_json(exc)
    if isinstance(exc, HTTPException):
        # Starlette's own refusals, e.g. malformed multipart data (400, with a detail).
        detail = exc.detail if exc.status_code == 400 else None
        return http_error_json(exc.status_code, dict(exc.headers or {}), detail)
    if isinstance(exc, ClientDisconnect):  # nobody is left to read the answer
        log.info("client went away during %s", request.url.path if request else "a request")
        return error_json(400, "client_disconnected", "the client closed the connection")
    if request is not None:
        log.exception("internal error in %s %s", request.method, request.url.path)
    return internal_error_json()


Endpoint = Callable[[Request], Response]
AsyncEndpoint = Callable[[Request], Awaitable[Response]]


def json_endpoint(fn: Callable[[Request], Any]) -> Endpoint:
    """A plain (thread-pool) endpoint returning JSON data; every error becomes the shape."""

    @functools.wraps(fn)
    def run(request: Request) -> Response:
        try:
            return _respond(fn(request))
        except Exception as exc:  # turned into the error shape; unexpected ones are logged
            return error_response(exc, request)

    return run


def async_json_endpoint(fn: Callable[[Request], Awaitable[Any]]) -> AsyncEndpoint:
    """The same for endpoints that read the request body."""

    @functools.wraps(fn)
    async def run(request: Request) -> Response:
        try:
            return _respond(await fn(request))
        except Exception as exc:  # turned into the error shape; unexpected ones are logged
            return error_response(exc, request)

    return run
