"""Fixtures of the watch tests: a loopback site, a store, quick politeness settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from watch_site import Site, policy, serve

from storyline.store import Store
from storyline.watch.fetch import Fetcher


@pytest.fixture(autouse=True)
def quick_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The static vectors (fast profile), no waiting between requests, short backoffs."""
    monkeypatch.setenv("STORYLINE_PROFILE", "fast")
    monkeypatch.setenv("STORYLINE_WATCH_HOST_INTERVAL", "0")
    monkeypatch.setenv("STORYLINE_WATCH_BACKOFF", "0.01")
    monkeypatch.setenv("STORYLINE_WATCH_TIMEOUT", "5")
    monkeypatch.setenv("STORYLINE_ANALYSE_WORKERS", "1")
    monkeypatch.setenv("STORYLINE_ALERT_BASE_URL", "http://127.0.0.1:8000")


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as s:
        yield s


@pytest.fixture
def wstore(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "watch.db") as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as f:
        yield f
