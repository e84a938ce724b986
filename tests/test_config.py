"""Settings resolved once: precedence, the settings file, a frozen object, and no other
module reading the environment for a setting."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from storyline.config import (
    DEFAULT,
    ENVIRONMENT,
    FILE,
    OPTION,
    Config,
    defaults,
    read_file,
    resolve,
)
from storyline.errors import ConfigError
from storyline.settings import (
    ALERT_WEBHOOK_SECRET,
    BATCH_SIZE,
    DB_PATH,
    PROFILE,
    SETTINGS,
    STORY_SIMILARITY,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "storyline"


def test_config_defaults_ignore_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYLINE_BATCH_SIZE", "99")
    config = defaults()
    for s in SETTINGS:
        assert config[s] == s.default
        assert config.source(s) == DEFAULT


def test_config_precedence_file_then_environment_then_option(tmp_path: Path) -> None:
    toml = tmp_path / "team.toml"
    toml.write_text('batch_size = 3\nprofile = "fast"\nstory_similarity = 0.7\n')
    env = {"STORYLINE_BATCH_SIZE": "5", "STORYLINE_DB": "/srv/news.db"}
    config = resolve(environ=env, file=toml, options={"batch_size": 7, "profile": None})
    assert config[BATCH_SIZE] == 7 and config.source(BATCH_SIZE) == OPTION
    assert config[PROFILE] == "fast" and config.source(PROFILE) == FILE
    assert config[DB_PATH] == "/srv/news.db" and config.source(DB_PATH) == ENVIRONMENT
    assert config[STORY_SIMILARITY] == 0.7
    assert resolve(environ=env, file=toml)[BATCH_SIZE] == 5


def test_config_file_named_by_the_environment(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('[storyline]\nprofile = "fast"\n')
    config = resolve(environ={"STORYLINE_CONFIG": str(toml)})
    assert config[PROFILE] == "fast"
    assert config.embed_backend == "static"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("batch_sise = 3\n", "did you mean 'batch_size'"),
        ('batch_size = "drei"\n', "batch_size='drei' is not a valid int"),
        ("batch_size = \n", "not valid TOML"),
        ('profile = "bert"\n', "not one of accurate, fast"),
    ],
)
def test_config_bad_settings_file_names_file_and_setting(
    tmp_path: Path, text: str, message: str
) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        read_file(toml)
    assert str(toml) in str(info.value)


def test_config_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the settings file"):
        resolve(environ={}, file=tmp_path / "nope.toml")


def test_config_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="STORYLINE_BATCH_SIZE: batch_size='viele'"):
        resolve(environ={"STORYLINE_BATCH_SIZE": "viele"})


def test_config_is_frozen_and_replace_makes_a_copy() -> None:
    config = defaults()
    with pytest.raises(AttributeError):
        config.batch_size = 3  # type: ignore[attr-defined]
    changed = config.replace(batch_size="4", profile=None)
    assert changed[BATCH_SIZE] == 4 and changed.source(BATCH_SIZE) == OPTION
    assert config[BATCH_SIZE] == BATCH_SIZE.default
    assert changed != config and changed == defaults().replace(batch_size=4)
    with pytest.raises(ConfigError, match="there is no setting"):
        config.replace(batch=4)


def test_config_crosses_process_boundaries() -> None:
    config = defaults().replace(profile="fast", batch_size=3)
    back = pickle.loads(pickle.dumps(config))
    assert back == config and back[PROFILE] == "fast"
    assert back.source(BATCH_SIZE) == OPTION


def test_config_never_shows_a_secret() -> None:
    config = Config({"alert_webhook_secret": "hunter2-very-secret"})
    assert "hunter2" not in repr(config)
    assert config.shown(ALERT_WEBHOOK_SECRET) == "********"
    assert config[ALERT_WEBHOOK_SECRET] == "hunter2-very-secret"


#: modules allowed to read the process environment, and why: config.py is the one place
#: for settings; the others read paths the platform defines (XDG folders), not settings
ENV_READERS = {"config.py", "web/auth.py", "store/db.py"}


def test_config_only_config_reads_the_environment() -> None:
    readers = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ|os\.getenv|getenv\(", text):
            readers.add(str(path.relative_to(SRC)))
    assert readers == ENV_READERS


def test_config_toml_files_that_cannot_be_read_are_config_errors(tmp_path: Path) -> None:
    """The settings file and the watch sources file share one reader: a file that is not
    UTF-8 or not TOML is named, whichever it is."""
    from storyline.watch.sources import read_sources_file

    latin = tmp_path / "quellen.toml"
    latin.write_bytes(b'[[source]]\nurl = "https://example.org/f\xfcr.xml"\n')
    with pytest.raises(ConfigError, match=r"the sources file .*quellen\.toml is not valid TOML"):
        read_sources_file(latin)
    with pytest.raises(ConfigError, match=r"the settings file .*quellen\.toml is not valid TOML"):
        read_file(latin)
