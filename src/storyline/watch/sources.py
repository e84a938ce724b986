"""Adding, listing and removing watched sources, from the CLI, the API or the settings file.

Why a settings file besides `watch add`: a newsroom's list of sources is configuration
that belongs in version control next to the other settings; `watch run` adds what the
file lists (``watch_sources`` names it) and leaves sources added by hand alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storyline.config import read_toml
from storyline.errors import ConfigError, InputError
from storyline.settings import WATCH_EVERY, WATCH_SOURCES
from storyline.store import Store
from storyline.store.watch import (
    WatchSource,
    add_source,
    get_source,
    remove_source,
    source_by_url,
)
from storyline.watch.urls import normalise

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"\s*(\d+)\s*([smhd]?)\s*", re.IGNORECASE)
#: Shortest poll interval accepted: faster polling is impolite and rarely finds more.
MIN_EVERY_S = 10
#: Longest: a week.
MAX_EVERY_S = 7 * 86400


def parse_every(value: str) -> int:
    """Seconds of an interval such as "30s", "15m", "2h", "1d" (a bare number: minutes)."""
    match = _DURATION.fullmatch(value)
    if match is None:
        raise ConfigError(f"{value!r} is not an interval", hint="give e.g. 30s, 15m, 2h or 1d")
    seconds = int(match.group(1)) * _UNITS[(match.group(2) or "m").lower()]
    if not MIN_EVERY_S <= seconds <= MAX_EVERY_S:
        raise ConfigError(
            f"interval {value!r} is out of range",
            hint=f"give between {MIN_EVERY_S}s and {MAX_EVERY_S // 86400}d",
        )
    return seconds


def format_every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def add(
    store: Store,
    url: str,
    *,
    every: str | None = None,
    name: str | None = None,
    ignore_robots: bool = False,
    origin: str = "cli",
) -> tuple[WatchSource, bool]:
    """Watch `url` (normalised) every `every` (default: the watch_every setting). Adding a
    URL already watched updates it and resumes it when paused. Returns (source, new)."""
    seconds = parse_every(every or store.config[WATCH_EVERY])
    key = normalise(url)
    return add_source(store, key, seconds, name=name, ignore_robots=ignore_robots, origin=origin)


def find(store: Store, ref: str) -> WatchSource:
    """A source by id or URL (normalised before the look-up)."""
    if ref.strip().isdigit():
        return get_source(store, int(ref))
    try:
        return get_source(store, normalise(ref))
    except InputError:
        return get_source(store, ref)


def remove(store: Store, ref: str) -> WatchSource:
    source = find(store, ref)
    remove_source(store, source.id)
    return source


@dataclass(frozen=True)
class FileSource:
    url: str
    every: str | None
    name: str | None
    ignore_robots: bool


def read_sources_file(path: Path) -> list[FileSource]:
    """The [[source]] tables of a TOML file; ConfigError naming the file and the entry."""
    data = read_toml(
        path, "sources file", missing=f"check {WATCH_SOURCES.env_var}", malformed="fix the file"
    )
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be a list of tables", hint="use [[source]]")
    out = []
    for i, entry in enumerate(entries, start=1):
        url = entry.get("url") if isinstance(entry, dict) else None
        if not isinstance(url, str):
            raise ConfigError(f"{path}: source {i} has no url", hint='add url = "https://..."')
        every, name = entry.get("every"), entry.get("name")
        out.append(
            FileSource(
                url=url,
                every=str(every) if every is not None else None,
                name=str(name) if name is not None else None,
                ignore_robots=bool(entry.get("ignore_robots", False)),
            )
        )
    return out


def sync_settings_file(store: Store, path: str | None = None) -> list[WatchSource]:
    """Add the sources the settings file lists (none when the setting is empty); those
    already in the store keep their state. Returns the sources added now."""
    name = path if path is not None else store.config[WATCH_SOURCES]
    if not name:
        return []
    added = []
    for entry in read_sources_file(Path(name).expanduser()):
        if source_by_url(store, normalise(entry.url)) is not None:
            continue
        source, _new = add(
            store,
            entry.url,
            every=entry.every,
            name=entry.name,
            ignore_robots=entry.ignore_robots,
            origin="settings",
        )
        added.append(source)
    return added
