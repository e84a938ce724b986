"""The API token: made once, kept private in the config folder, read again, compared safely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.web.auth import (
    CONFIG_DIR_ENV,
    bearer_matches,
    config_dir,
    load_or_create_token,
    masked,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "konfig" / "storyline"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(folder))
    return folder


def test_web_token_is_created_private_then_read_again(config: Path) -> None:
    token, path, created = load_or_create_token()
    assert created and path == config / "token"
    assert len(token) >= 43  # 32 random bytes, base64url
    assert mode(path) == 0o600
    assert mode(config) == 0o700
    again, path2, created2 = load_or_create_token()
    assert (again, path2, created2) == (token, path, False)
    assert [p.name for p in config.iterdir()] == ["token"]  # no temporary file left


def test_web_token_differs_per_config_folder(tmp_path: Path) -> None:
    a, _, _ = load_or_create_token(tmp_path / "a")
    b, _, _ = load_or_create_token(tmp_path / "b")
    assert a != b


def test_web_token_file_readable_by_others_is_tightened(config: Path) -> None:
    token, path, _ = load_or_create_token()
    path.chmod(0o644)
    assert load_or_create_token()[0] == token
    assert mode(path) == 0o600


@pytest.mark.parametrize("content", ["", "kurz", "x" * 40 + " mit Leerzeichen", "ä" * 50])
def test_web_token_file_damaged_is_a_config_error(config: Path, content: str) -> None:
    config.mkdir(parents=True)
    (config / "token").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="delete"):
        load_or_create_token()


def test_web_token_folder_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "datei").write_text("x")
    with pytest.raises(ConfigError):
        load_or_create_token(tmp_path / "datei" / "storyline")


def test_web_config_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CONFIG_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "xdg" / "storyline"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "heim"))
    assert config_dir() == tmp_path / "heim" / ".config" / "storyline"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "eigen"))
    assert config_dir() == tmp_path / "eigen"


def test_web_token_umask_does_not_loosen_the_file(config: Path) -> None:
    old = os.umask(0)
    try:
        _, path, _ = load_or_create_token()
    finally:
        os.umask(old)
    assert mode(path) == 0o600 and mode(config) == 0o700


def test_web_bearer_matches_only_the_exact_token() -> None:
    token = "abcDEF123-_" * 4
    assert bearer_matches(f"Bearer {token}", token)
    assert bearer_matches(f"bearer   {token} ", token)
    assert not bearer_matches(f"Bearer {token[:-1]}", token)
    assert not bearer_matches(f"Basic {token}", token)
    assert not bearer_matches(token, token)
    assert not bearer_matches(None, token)
    assert not bearer_matches("Bearer ", "")
    assert not bearer_matches(f"Bearer {token}", None)
    assert not bearer_matches("Bearer Üñí", token)


def test_web_masked_shows_only_a_prefix() -> None:
    token = "geheim-" * 7
    shown = masked(token)
    assert token not in shown and len(shown) <= 5
