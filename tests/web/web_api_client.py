"""The API mounted alone, as the API tests use it (no UI app in between)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from storyline.config import Config, defaults
from storyline.web.api import api_exception_handlers, api_routes
from storyline.web.deps import API_PREFIX


def api_client(db: Path, token: str | None = None, config: Config | None = None) -> TestClient:
    app = Starlette(
        routes=[Mount(API_PREFIX, routes=api_routes())],
        exception_handlers=api_exception_handlers(),
    )
    app.state.db_path = db
    app.state.token = token
    app.state.config = config or defaults()
    return TestClient(app, raise_server_exceptions=False)
