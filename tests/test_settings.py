"""The settings table: names, defaults, parsing of raw values, the docs table."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.config import settings_markdown
from storyline.errors import ConfigError
from storyline.settings import (
    BATCH_SIZE,
    DB_PATH,
    MAX_FILE_BYTES,
    PROFILE,
    SETTINGS,
    STORY_SIMILARITY,
    Setting,
)


def test_settings_env_var_names() -> None:
    assert MAX_FILE_BYTES.env_var == "STORYLINE_MAX_FILE_BYTES"
    assert BATCH_SIZE.env_var == "STORYLINE_BATCH_SIZE"
    assert DB_PATH.env_var == "STORYLINE_DB"


def test_settings_parse_gives_the_setting_type() -> None:
    assert MAX_FILE_BYTES.parse("1234", "env") == 1234
    assert isinstance(MAX_FILE_BYTES.parse("1234", "env"), int)
    assert STORY_SIMILARITY.parse("0.25", "env") == 0.25
    assert STORY_SIMILARITY.parse(1, "file") == 1.0  # TOML's 1 for a float setting
    assert BATCH_SIZE.parse(3.0, "file") == 3


@pytest.mark.parametrize(
    ("setting", "raw"),
    [
        (BATCH_SIZE, "zweihundert"),
        (BATCH_SIZE, ""),
        (BATCH_SIZE, 2.5),
        (BATCH_SIZE, True),  # TOML's true is not a number
        (STORY_SIMILARITY, "viel"),
        (DB_PATH, 5),  # a path must be a string in the settings file
        (BATCH_SIZE, [8]),
    ],
)
def test_settings_invalid_value_raises_config_error(setting: Setting[int], raw: object) -> None:
    with pytest.raises(ConfigError) as info:
        setting.parse(raw, "STORYLINE_X")
    assert "STORYLINE_X" in str(info.value)
    assert setting.name in str(info.value)
    assert info.value.hint and str(setting.default) in info.value.hint


def test_settings_choice_outside_the_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="accurate, fast"):
        PROFILE.parse("bert", "STORYLINE_PROFILE")
    assert PROFILE.parse("fast", "STORYLINE_PROFILE") == "fast"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_settings_int_round_trips_through_text(value: int) -> None:
    assert BATCH_SIZE.parse(str(value), "env") == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_settings_float_round_trips_through_text(value: float) -> None:
    assert STORY_SIMILARITY.parse(repr(value), "env") == value


def test_settings_names_are_unique() -> None:
    names = [s.name for s in SETTINGS]
    assert len(set(names)) == len(names)
    assert all(s.help.strip() for s in SETTINGS)


def test_settings_markdown_lists_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "77")  # the table shows defaults, not the env
    table = settings_markdown()
    lines = table.strip().splitlines()
    assert lines[0] == "# Settings" and "STORYLINE_CONFIG" in table
    rows = [line for line in lines if line.startswith("| `")]
    assert len(rows) == len(SETTINGS)
    for s in SETTINGS:
        assert f"`{s.env_var}`" in table
        assert f"`{s.default}`" in table
    assert "`77`" not in table
