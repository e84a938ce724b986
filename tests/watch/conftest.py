"""Fixtures of the watch tests: a loopback site, a store, quick politeness settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from watch_site import Site, policy, serve

from storyline.config import defaults
from storyline.store import Store
from storyline.watch.fetch import Fetcher

#: The static vectors (fast profile), no waiting between requests, short backoffs.
QUICK = {
    "profile": "fast",
    "watch_host_interval": 0,
    "watch_backoff": 0.01,
    "watch_timeout": 5,
    "analyse_workers": 1,
    "alert_base_url": "http://127.0.0.1:8000",
}


@pytest.fixture(autouse=True)
def quick_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """QUICK for the command line, which reads its settings from the environment."""
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
def wstore(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A store with the QUICK settings and those of the test's `settings` marker."""
    marker = request.node.get_closest_marker("settings")
    config = defaults().replace(**QUICK, **(marker.kwargs if marker else {}))
    with Store(tmp_path / "watch.db", config=config) as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(policy()) as f:
        yield f
