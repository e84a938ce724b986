"""Settings resolved once into a frozen object that is handed down.

Why: a threshold read from the environment where it is used (deep inside grouping, say)
is hard to find, differs between a worker process and its parent, and makes tests change
the process's environment. Here the settings file, the environment and the CLI's options
are read once, by :func:`resolve`, into a :class:`Config`; the CLI, the library, the web
app and the workers then pass that object down (the store carries it as
``store.config``), in the manner of datasette's ``Datasette(settings=...)``.

Precedence, lowest first: the default in :mod:`storyline.settings`, the settings file
(``--config FILE`` or ``STORYLINE_CONFIG``), the environment (``STORYLINE_<NAME>``), then
an explicit option. ``Config.source(setting)`` says which one gave a value, and
``storyline settings`` shows it.

The settings file is TOML with the settings' names as keys, at the top level or under a
``[storyline]`` table::

    profile = "fast"
    story_similarity = 0.62
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from storyline.errors import ConfigError
from storyline.settings import (
    PROFILE,
    PROFILE_BACKENDS,
    SETTINGS,
    Setting,
)

T = TypeVar("T", int, float, str)
Value = int | float | str

#: Environment variable naming the settings file (the CLI's ``--config``).
CONFIG_ENV = "STORYLINE_CONFIG"

#: Where a value came from, lowest precedence first.
DEFAULT, FILE, ENVIRONMENT, OPTION = "default", "file", "environment", "option"

#: Settings whose values are secrets: never shown in full by repr or `storyline settings`.
SECRET_NAMES = frozenset({"alert_webhook_secret"})

_BY_NAME: dict[str, Setting[Any]] = {s.name: s for s in SETTINGS}


def _setting(name: str) -> Setting[Any]:
    try:
        return _BY_NAME[name]
    except KeyError:
        close = difflib.get_close_matches(name, _BY_NAME, n=1)
        raise ConfigError(
            f"there is no setting {name!r}",
            hint=f"did you mean {close[0]!r}?" if close else "see `storyline settings`",
        ) from None


class Config:
    """Every setting's value, fixed when made. ``config[STORY_SIMILARITY]`` is typed by
    the setting (a float here). Change nothing in place: :meth:`replace` returns a new
    one. Picklable, so worker processes and Ray actors get the same values as their
    parent."""

    __slots__ = ("_sources", "_values")
    _values: dict[str, Value]
    _sources: dict[str, str]

    def __init__(
        self, values: Mapping[str, Value] | None = None, sources: Mapping[str, str] | None = None
    ) -> None:
        given = dict(values or {})
        checked: dict[str, Value] = {}
        for s in SETTINGS:
            checked[s.name] = s.parse(given.pop(s.name), "config") if s.name in given else s.default
        if given:
            _setting(next(iter(given)))  # raises, naming the closest setting
        known = dict(sources or {})
        origin = {
            s.name: known.get(s.name, OPTION) if s.name in (values or {}) else DEFAULT
            for s in SETTINGS
        }
        object.__setattr__(self, "_values", checked)
        object.__setattr__(self, "_sources", origin)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Config is frozen: use config.replace(name=value)")

    def __getitem__(self, setting: Setting[T]) -> T:
        value = self._values[setting.name]
        assert isinstance(value, type(setting.default))
        return value

    def source(self, setting: Setting[Any]) -> str:
        """Where this value came from: default, file, environment or option."""
        return self._sources[setting.name]

    def replace(self, **changes: Value | None) -> Config:
        """A copy with `changes` (by setting name; None leaves a setting as it is), each
        recorded as given by an option."""
        values = dict(self._values)
        sources = dict(self._sources)
        for name, value in changes.items():
            if value is None:
                continue
            values[name] = _setting(name).parse(value, "option")
            sources[name] = OPTION
        return Config(values, sources)

    @property
    def embed_backend(self) -> str:
        """The vector model of the profile in force ('e5' or 'static'): the name stored
        vectors are kept under."""
        return PROFILE_BACKENDS[self[PROFILE]]

    def items(self) -> Iterator[tuple[Setting[Any], Value, str]]:
        """(setting, value, source) for every setting, in the table's order."""
        for s in SETTINGS:
            yield s, self._values[s.name], self._sources[s.name]

    def shown(self, setting: Setting[Any]) -> Value:
        """The value as it may be displayed: secrets are masked."""
        value = self._values[setting.name]
        return "********" if setting.name in SECRET_NAMES and value else value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        changed = ", ".join(
            f"{s.name}={self.shown(s)!r}" for s, _, src in self.items() if src != DEFAULT
        )
        return f"Config({changed})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Config, (self._values, self._sources))


def defaults() -> Config:
    """Every setting at its default: for code and tests that must not depend on the
    environment they run in."""
    return Config()


def read_toml(path: Path, what: str, *, missing: str, malformed: str) -> dict[str, Any]:
    """A TOML file's tables (the settings file, the watch sources file); a file that cannot
    be read or is not UTF-8 TOML is a ConfigError naming `what` and the file, with the hint
    `missing` or `malformed`."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"cannot read the {what} {path}: {exc.strerror or exc}", hint=missing
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"the {what} {path} is not valid TOML: {exc}", hint=malformed) from exc


def read_file(path: str | Path) -> dict[str, Value]:
    """The settings a TOML settings file gives, checked: an unknown name, a wrong type or
    a file that is not TOML is a ConfigError naming the file."""
    where = Path(path)
    data = read_toml(
        where,
        "settings file",
        missing=f"check the path given by --config or {CONFIG_ENV}",
        malformed='write one setting per line, e.g. profile = "fast"',
    )
    table = data.get("storyline", data)
    if not isinstance(table, dict):
        raise ConfigError(f"the settings file {where}: [storyline] is not a table")
    values: dict[str, Value] = {}
    for name, raw in table.items():
        try:
            setting = _setting(name)
        except ConfigError as exc:
            raise ConfigError(f"the settings file {where}: {exc.message}", hint=exc.hint) from None
        values[name] = setting.parse(raw, str(where))
    return values


def resolve(
    *,
    environ: Mapping[str, str] | None = None,
    file: str | Path | None = None,
    options: Mapping[str, Value | None] | None = None,
) -> Config:
    """The one place that reads settings from outside: the settings file (`file`, else
    ``$STORYLINE_CONFIG``), the environment (`environ`, default ``os.environ``) and
    explicit `options` (None values are ignored), in rising precedence."""
    env = os.environ if environ is None else environ
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    path = file if file is not None else env.get(CONFIG_ENV) or None
    if path is not None:
        for name, value in read_file(path).items():
            values[name], sources[name] = value, FILE
    for s in SETTINGS:
        raw = env.get(s.env_var)
        if raw is not None:
            values[s.name], sources[s.name] = s.parse(raw, s.env_var), ENVIRONMENT
    for name, given in (options or {}).items():
        if given is not None:
            values[name], sources[name] = _setting(name).parse(given, "option"), OPTION
    return Config(values, sources)


def secret_from_env(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A secret kept in the environment variable `name` (e.g. the SMTP password, whose
    variable the ``smtp_password_env`` setting names): read when needed, never stored in a
    Config, the store or a settings file."""
    return (os.environ if environ is None else environ).get(name, "")


#: How settings are given and resolved: the head of docs/settings.md.
SETTINGS_INTRO = """# Settings

Every tunable number and choice of storyline is one row of the table below (the table is
`storyline/settings.py`; `make docs` writes this page from it). A setting's value comes
from, lowest precedence first:

1. its default (the table);
2. the settings file: TOML, named by `storyline --config FILE` or `STORYLINE_CONFIG`,
   with the settings' names as keys, at the top level or under `[storyline]`;
3. its environment variable, `STORYLINE_<NAME>`;
4. a command-line option that sets it (`--db`, `--profile`, `--batch-size`, ...).

```toml
# team.toml
db = "postgresql://newsroom@db.internal/storyline"
profile = "fast"
story_similarity = 0.62
```

They are read once, in one place (`storyline.config.resolve`), into a frozen `Config`
that the command line, the web server and the library hand down to every stage (the
store carries it as `store.config`); no other module reads the environment for a
setting. `storyline settings` shows each value in force and where it came from
(`--json` for scripts). In Python, pass one explicitly:

```python
from storyline.config import defaults
import storyline

config = defaults().replace(profile="fast", batch_size=32)
with storyline.open("news.db", config=config) as db:
    storyline.ingest(db, ["articles/"])
```

Without a `config`, `storyline.open`, `Store`, `analyze`, `clean_text` and
`build_pipeline` resolve the settings file and the environment themselves. An unknown
name or a value of the wrong type, in the file or the environment, is an error that
names the file or variable.

"""


def settings_markdown() -> str:
    """Render docs/settings.md: how settings are resolved, then the table."""
    rows = ["| name | environment variable | default | help |", "|---|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.name}` | `{s.env_var}` | `{s.default}` | {s.help} |")
    return SETTINGS_INTRO + "\n".join(rows) + "\n"
