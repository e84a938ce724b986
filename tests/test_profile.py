"""The analysis profile: chosen per run, recorded per article, deciding the vector model."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from storyline.settings import PROFILE
from storyline.store import Store


@pytest.fixture(autouse=True)
def _restore_profile() -> object:
    """--profile sets the setting for the process; put it back after each test."""
    before = os.environ.get(PROFILE.env_var)
    yield
    if before is None:
        os.environ.pop(PROFILE.env_var, None)
    else:
        os.environ[PROFILE.env_var] = before


def _profiles(db: Path) -> tuple[set[str], set[str]]:
    with Store(db) as store:
        profiles = {r[0] for r in store.conn.execute("SELECT profile FROM articles")}
        backends = {r[0] for r in store.conn.execute("SELECT backend FROM article_vectors")}
    return profiles, backends


def test_fast_profile_is_recorded_and_uses_the_static_model(
    cli: Callable[..., Result],
    write: Callable[[str, str], Path],
    make_article: Callable[..., str],
    db_path: Path,
) -> None:
    for i in range(3):
        write(f"pile/a{i}.txt", make_article(i))
    result = cli(
        "ingest",
        write("pile/a0.txt", make_article(0)).parent,
        "--db",
        db_path,
        "--no-progress",
        "--profile",
        "fast",
    )
    assert result.exit_code == 0, result.output
    assert _profiles(db_path) == ({"fast"}, {"static"})


def test_accurate_is_the_default_and_uses_the_encoder(
    cli: Callable[..., Result],
    write: Callable[[str, str], Path],
    make_article: Callable[..., str],
    db_path: Path,
) -> None:
    os.environ.pop(PROFILE.env_var, None)
    write("pile/a0.txt", make_article(0))
    result = cli(
        "ingest", write("pile/a1.txt", make_article(1)).parent, "--db", db_path, "--no-progress"
    )
    assert result.exit_code == 0, result.output
    assert _profiles(db_path) == ({"accurate"}, {"e5"})


def test_unknown_profile_is_a_usage_error(cli: Callable[..., Result], db_path: Path) -> None:
    result = cli("ingest", "x.txt", "--db", db_path, "--profile", "turbo")
    assert result.exit_code == 2
    assert "turbo" in result.output
