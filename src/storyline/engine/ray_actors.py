"""Analysis and encoding on a Ray cluster: the `ray` engine of ingest and analyse.

Why Ray, and only for this part: a pile of a million articles needs more cores (or GPUs)
than one machine has, and Ray is the engine research groups already run on clusters and
GPU boxes. What is spread out is what costs: analysis (the encoder's taggers, dates,
quotes, figures), a pure function of an article's text, language and date, and the
encoding of title + lead for grouping. Reading, cleaning and every write stay with the one
process that holds the store: cleaning depends on what the store has seen of an outlet
(repeated lines), and one writer per store keeps batches transactional and grouping
consistent (the same split as the local engine, engine/local.py).

Why an actor pool and not one Ray Dataset per run: models are loaded once per actor and
kept for the whole run, results come back in input order so the writer commits batch by
batch (an interrupted run keeps its committed batches and the next run completes it), and
nothing has to be materialised up front (a Dataset of a million texts would hold them all
in the driver). Each call sends a chunk of articles to an idle actor
(:class:`ray.util.ActorPool`); the chunks of one batch run in parallel.

Ray is an optional extra (``pip install 'storyline[ray]'``); asking for the engine without
it is a :class:`~storyline.errors.ConfigError` that says so, never a silent fallback.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.analyse.model import Analysis
from storyline.config import DEFAULT, Config
from storyline.engine.local import Failed, Job, analyse_job
from storyline.errors import ConfigError
from storyline.settings import (
    ANALYSE_BUDGET,
    ENCODER_DEVICE,
    ENCODER_THREADS,
    PROFILE,
    RAY_ADDRESS,
    RAY_CHUNK,
    RAY_CPUS_PER_WORKER,
    RAY_WORKERS,
)

if TYPE_CHECKING:
    from storyline.stories.embed import Encoder, Matrix

log = logging.getLogger(__name__)

#: what to install when the engine is asked for without Ray
INSTALL_HINT = "install the extra: pip install 'storyline[ray]' (or use --engine local)"
#: CPUs one actor uses when ray_cpus_per_worker is 0: the encoder's matrix products gain
#: from a second thread, the fast profile's analysis (Python, one core) does not
AUTO_CPUS = {"accurate": 2, "fast": 1}


def import_ray() -> Any:
    """The ray module, or a ConfigError that says how to get it."""
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "the ray engine needs Ray, which is not installed", hint=INSTALL_HINT
        ) from exc
    return ray


class AnalysisWorker:
    """What one Ray actor runs: analysis and title + lead encoding with models it loads
    once (on first use) and keeps for the actor's life."""

    def __init__(self, config: Config, budget: float) -> None:
        #: the asking process's settings: a worker on another node analyses with the same
        self.config = config
        self.budget = budget

    def analyse(self, jobs: Sequence[Job]) -> list[Analysis | Failed]:
        return [analyse_job(job, self.config, self.budget) for job in jobs]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from storyline.stories.embed import backend_for

        return backend_for(self.config).encode(list(texts))

    def ready(self) -> str:
        return f"{os.uname().nodename}:{os.getpid()}"


@dataclass(frozen=True)
class Plan:
    """How many actors, with what resources: decided once from the cluster's size."""

    workers: int
    cpus: float
    gpus: float


def plan(config: Config, resources: dict[str, float]) -> Plan:
    """Actors for a cluster with `resources` (ray.cluster_resources()): one per GPU when the
    cluster has GPUs and the encoder may use them (accurate profile), else as many as the
    CPUs allow at ``ray_cpus_per_worker`` each; ``ray_workers`` overrides the count."""
    asked = config[RAY_WORKERS]
    cpus_each = config[RAY_CPUS_PER_WORKER] or AUTO_CPUS[config[PROFILE]]
    if asked < 0 or cpus_each < 0:
        raise ConfigError(
            f"ray_workers ({asked}) and ray_cpus_per_worker ({cpus_each}) must not be negative",
            hint=f"set {RAY_WORKERS.env_var} and {RAY_CPUS_PER_WORKER.env_var} to 0 "
            "(automatic) or more",
        )
    cpus = float(resources.get("CPU", 1.0))
    gpus = float(resources.get("GPU", 0.0))
    on_gpu = gpus >= 1 and config[PROFILE] == "accurate" and config[ENCODER_DEVICE] != "cpu"
    if on_gpu:
        count = asked or int(gpus)
        return Plan(count, min(float(cpus_each), max(1.0, cpus / count)), 1.0)
    count = asked or max(1, int(cpus // cpus_each))
    # an explicit count on a small cluster shares the CPUs rather than waiting for them
    return Plan(count, min(float(cpus_each), max(cpus / count, 0.01)), 0.0)


def actor_config(config: Config, cpus: float) -> Config:
    """`config` as an actor with `cpus` runs it: unless ``encoder_threads`` was set, the
    encoder uses the actor's CPUs."""
    if config.source(ENCODER_THREADS) != DEFAULT:
        return config
    return config.replace(encoder_threads=max(1, int(cpus)))


class RayAnalysers:
    """The ray engine, with the local engine's interface
    (:class:`~storyline.engine.local.Analysers`): :meth:`run` returns one result per job in
    order, and :meth:`encode` embeds texts for grouping on the same actors.

    Connects to ``address`` (``auto``, ``ray://host:port``; empty: start a Ray on this
    machine for the run and stop it afterwards). When an actor dies (a node lost, out of
    memory), its chunk is retried one article at a time on a fresh actor, so only an
    input that kills a worker is reported failed.
    """

    def __init__(self, config: Config, address: str | None = None) -> None:
        self._ray = import_ray()
        self.config = config
        self.address = config[RAY_ADDRESS] if address is None else address
        self._started_here = False
        self._actors: list[Any] = []
        self._remote: Any = None
        self.plan: Plan | None = None
        self.chunk = config[RAY_CHUNK]
        if self.chunk < 1:
            raise ConfigError(
                f"ray_chunk is {self.chunk}", hint=f"set {RAY_CHUNK.env_var} to 1 or more"
            )

    def _start(self) -> list[Any]:
        if self._actors:
            return self._actors
        ray = self._ray
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address or None,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(
                    f"cannot reach a Ray cluster at {self.address or 'a new local Ray'}: {exc}",
                    hint=f"check {RAY_ADDRESS.env_var} / --address (auto, ray://host:10001)",
                ) from exc
            self._started_here = True
        self.plan = plan(self.config, ray.cluster_resources())
        self._remote = ray.remote(AnalysisWorker).options(
            num_cpus=self.plan.cpus, num_gpus=self.plan.gpus
        )
        self._actors = [self._new_actor() for _ in range(self.plan.workers)]
        where = ray.get([a.ready.remote() for a in self._actors])
        log.info("ray engine: %d actors (%s)", len(self._actors), ", ".join(where))
        return self._actors

    def _new_actor(self) -> Any:
        assert self.plan is not None
        return self._remote.remote(
            actor_config(self.config, self.plan.cpus), self.config[ANALYSE_BUDGET]
        )

    def _chunks(self, n: int) -> list[range]:
        actors = len(self._start())
        size = max(1, min(self.chunk, -(-n // actors)))
        return [range(i, min(n, i + size)) for i in range(0, n, size)]

    def _map(self, method: str, items: Sequence[Any]) -> list[Any]:
        """Each chunk of `items` through `method` on an idle actor; results in order, None
        for a chunk whose actor died."""
        ray = self._ray
        chunks = self._chunks(len(items))
        actors = self._actors
        results: list[Any] = [None] * len(chunks)
        pending: dict[Any, tuple[int, Any]] = {}
        queue = list(enumerate(chunks))
        idle = list(actors)
        while queue or pending:
            while queue and idle:
                index, chunk = queue.pop(0)
                actor = idle.pop()
                call = getattr(actor, method).remote([items[i] for i in chunk])
                pending[call] = (index, actor)
            done, _ = ray.wait(list(pending), num_returns=1)
            index, actor = pending.pop(done[0])
            try:
                results[index] = ray.get(done[0])
                idle.append(actor)
            except ray.exceptions.RayActorError:
                log.warning("a ray actor died; its chunk is retried one article at a time")
                replacement = self._new_actor()
                self._actors[self._actors.index(actor)] = replacement
                idle.append(replacement)
        return results

    def run(self, jobs: Sequence[Job]) -> list[Analysis | Failed]:
        if not jobs:
            return []
        out: list[Analysis | Failed] = []
        for chunk, result in zip(self._chunks(len(jobs)), self._map("analyse", jobs), strict=True):
            if result is not None:
                out.extend(result)
            else:
                out.extend(self._alone(jobs[i]) for i in chunk)
        return out

    def _alone(self, job: Job) -> Analysis | Failed:
        actor = self._actors[0]
        try:
            result: list[Analysis | Failed] = self._ray.get(actor.analyse.remote([job]))
            return result[0]
        except self._ray.exceptions.RayActorError:
            self._actors[0] = self._new_actor()
            return Failed(
                "the ray actor analysing this input died",
                "it may have run out of memory; run the ingest again (stored articles are "
                "skipped) or use --engine local",
            )

    def encoder(self) -> Encoder:
        return self.encode

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Title + lead vectors for grouping, computed on the actors."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        parts = self._map("encode", texts)
        if any(p is None for p in parts):  # an actor died mid-way: once more, here
            from storyline.stories.embed import backend_for

            return backend_for(self.config).encode(list(texts))
        return np.vstack(parts).astype(np.float32)

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False

    def __enter__(self) -> RayAnalysers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
