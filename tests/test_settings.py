"""The settings table: defaults, environment overrides, invalid values, the docs table."""

from __future__ import annotations

import pytest

from storyline.errors import ConfigError
from storyline.settings import (
    BATCH_SIZE,
    DB_PATH,
    MAX_FILE_BYTES,
    REPEAT_MAX_LINE_CHARS,
    REPEAT_MIN_ARTICLES,
    SETTINGS,
    Setting,
    settings_markdown,
)


def test_settings_env_var_names() -> None:
    assert MAX_FILE_BYTES.env_var == "STORYLINE_MAX_FILE_BYTES"
    assert BATCH_SIZE.env_var == "STORYLINE_BATCH_SIZE"
    assert DB_PATH.env_var == "STORYLINE_DB"


def test_settings_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for s in SETTINGS:
        monkeypatch.delenv(s.env_var, raising=False)
    assert MAX_FILE_BYTES.get() == 20_000_000
    assert BATCH_SIZE.get() == 8
    assert REPEAT_MIN_ARTICLES.get() == 3
    assert REPEAT_MAX_LINE_CHARS.get() == 400
    assert DB_PATH.get() == "storyline.db"


def test_settings_environment_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_MAX_FILE_BYTES", "1234")
    monkeypatch.setenv("STORYLINE_DB", "/tmp/nachrichten.db")
    assert MAX_FILE_BYTES.get() == 1234
    assert isinstance(MAX_FILE_BYTES.get(), int)
    assert DB_PATH.get() == "/tmp/nachrichten.db"


def test_settings_invalid_value_raises_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "zweihundert")
    with pytest.raises(ConfigError) as info:
        BATCH_SIZE.get()
    assert "STORYLINE_BATCH_SIZE" in str(info.value)
    assert "zweihundert" in str(info.value)
    assert info.value.hint and "8" in info.value.hint


def test_settings_float_setting_parses_floats(monkeypatch: pytest.MonkeyPatch) -> None:
    ratio: Setting[float] = Setting("test_ratio", 0.5, "a ratio")
    monkeypatch.setenv("STORYLINE_TEST_RATIO", "0.25")
    assert ratio.get() == 0.25


def test_settings_names_are_unique() -> None:
    names = [s.name for s in SETTINGS]
    assert len(set(names)) == len(names)
    assert all(s.help.strip() for s in SETTINGS)


def test_settings_markdown_lists_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "77")  # the table shows defaults, not the env
    table = settings_markdown()
    lines = table.strip().splitlines()
    assert lines[0].startswith("| name |")
    assert len(lines) == 2 + len(SETTINGS)
    for s in SETTINGS:
        assert f"`{s.env_var}`" in table
        assert f"`{s.default}`" in table
    assert "`77`" not in table


def test_settings_choice_outside_the_list_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.settings import PROFILE, embed_backend

    monkeypatch.setenv(PROFILE.env_var, "bert")
    with pytest.raises(ConfigError, match="accurate, fast"):
        PROFILE.get()
    monkeypatch.setenv(PROFILE.env_var, "fast")
    assert PROFILE.get() == "fast"
    assert embed_backend() == "static"
