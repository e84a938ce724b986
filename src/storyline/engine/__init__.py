"""Engines: where analysis and the grouping's encoding run.

Two engines with one interface (:class:`Engine`): `local` (:mod:`storyline.engine.local`:
this process, and forked worker processes under the fast profile) and `ray`
(:mod:`storyline.engine.ray_actors`: actors on a Ray cluster, an optional extra). The
ingest and analyse jobs ask :func:`engine_for` and never know which one they got; the
store is written only by the process that called them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from storyline.analyse.model import Analysis
from storyline.config import Config
from storyline.engine.local import Analysers, Failed, Job, analyse_job, internal_failure
from storyline.errors import ConfigError
from storyline.settings import ENGINE

if TYPE_CHECKING:
    from storyline.stories.embed import Encoder


class Engine(Protocol):
    """What ingest and analyse need of an engine."""

    def run(self, jobs: Sequence[Job]) -> list[Analysis | Failed]:
        """One result per job, in order: an analysis, or why it failed."""
        ...

    def encoder(self) -> Encoder | None:
        """Where the grouping's title + lead vectors are computed; None: in this process."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


def engine_for(config: Config, name: str | None = None, address: str | None = None) -> Engine:
    """The engine `name` (default: `config`'s engine setting): local, or ray at `address`;
    its analyses run with `config`."""
    chosen = config[ENGINE] if name is None else name
    if chosen == "local":
        return Analysers(config)
    if chosen == "ray":
        from storyline.engine.ray_actors import RayAnalysers

        return RayAnalysers(config, address)
    raise ConfigError(f"unknown engine {chosen!r}", hint="use 'local' or 'ray'")


__all__ = ["Analysers", "Engine", "Failed", "Job", "analyse_job", "engine_for", "internal_failure"]
