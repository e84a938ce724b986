"""Security headers on every response the app sends.

Why so strict: article text comes from scraped pages and is hostile by assumption. The
pages escape it, and the Content-Security-Policy is the second wall: no inline script,
no inline style, nothing from another origin, no framing, forms only to this server. So
even markup that slipped past escaping could neither run nor call home.

Why a plain ASGI wrapper and not Starlette middleware: Starlette puts its own
ServerErrorMiddleware (500 pages) and body-size limit (413) outside all user middleware;
:class:`SecureApp` wraps the whole stack so those responses carry the headers too.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_RAW = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]
_NAMES = {k for k, _ in _RAW}


class SecurityHeaders:
    """ASGI wrapper that sets :data:`HEADERS` on every HTTP response, replacing any
    value an endpoint set for the same header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _NAMES]
                message["headers"] = kept + _RAW
            await send(message)

        await self.app(scope, receive, send_secure)


class SecureApp(Starlette):
    """A Starlette app whose outermost layer is :class:`SecurityHeaders`."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())
