"""The ray engine (storyline.engine.ray_actors) against the local one, on a Ray started
here for the module (two CPUs, like the machines the suite runs on).

Ray is a dev dependency, so these tests run in CI; the tests of what happens without Ray
patch the import and need no cluster.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import ray  # a dev dependency: these tests run wherever `make test` does

from storyline.config import Config, defaults
from storyline.engine import engine_for, ray_actors
from storyline.errors import ConfigError
from storyline.jobs.analyse import analyse_stored
from storyline.jobs.ingest import ingest
from storyline.settings import ENCODER_THREADS
from storyline.store import Store
from storyline.store.analysis import article_analysis, pending_reanalysis

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One Ray for the module: starting one costs about ten seconds."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture
def fast() -> Config:
    # the static model and the CRF: the engines must agree, whichever models they run
    return defaults().replace(profile="fast")


def _pile(tmp_path: Path, make_article: Any, n: int) -> Path:
    folder = tmp_path / "pile"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(make_article(i), encoding="utf-8")
    return folder


def _analyses(store: Store) -> dict[str, Any]:
    return {a: article_analysis(store, a) for a in store.article_ids()}


def _entities(store: Store) -> list[tuple[str, str]]:
    rows = store.conn.execute("SELECT name, type FROM entities")
    return sorted((str(r[0]), str(r[1])) for r in rows)


def _events(store: Store) -> list[list[str]]:
    members: dict[str, list[str]] = {}
    for article, event in store.conn.execute("SELECT id, event_id FROM articles"):
        members.setdefault(str(event), []).append(str(article))
    return sorted(sorted(m) for m in members.values())


def test_ray_ingest_stores_what_the_local_engine_stores(
    tmp_path: Path, make_article: Any, local_ray: None, fast: Config
) -> None:
    config = fast.replace(ray_workers=2, ray_chunk=2)  # the batch spread over both actors
    pile = EXAMPLES  # articles with people, places and organisations, several stories
    with (
        Store(tmp_path / "local.db", config=config) as local,
        Store(tmp_path / "ray.db", config=config) as remote,
    ):
        a = ingest([str(pile)], local, engine="local")
        b = ingest([str(pile)], remote, engine="ray")
        assert a.ok and b.ok
        assert sorted(a.stored) == sorted(b.stored) and len(b.stored) > 10
        assert _analyses(local) == _analyses(remote)
        assert _entities(local) == _entities(remote) and _entities(local)
        # the grouping's vectors came from the actors, and group the same way
        assert _events(local) == _events(remote)
        assert len(_events(remote)) > 3
        vectors = remote.conn.execute("SELECT count(*) FROM article_vectors").fetchone()[0]
        assert vectors == len(b.stored)


def test_redo_on_ray_resumes_and_analyses_nothing_twice(
    tmp_path: Path, make_article: Any, local_ray: None, fast: Config
) -> None:
    pile = _pile(tmp_path, make_article, 5)
    with Store(tmp_path / "redo.db", config=fast) as store:
        ingest([str(pile)], store, stories=False)
        before = _analyses(store)
        seen: list[str] = []
        first = analyse_stored(
            store, redo=True, engine="ray", batch_size=2, limit=3, on_item=seen.append
        )
        assert first.analysed == 3 and len(pending_reanalysis(store)) == 2
        # a new --redo resumes the queue instead of starting over
        second = analyse_stored(store, redo=True, engine="ray", batch_size=2, on_item=seen.append)
        assert second.analysed == 2 and pending_reanalysis(store) == []
        assert sorted(seen) == sorted(store.article_ids())  # each exactly once
        assert _analyses(store) == before  # same models, same results


def test_an_actor_that_dies_is_replaced_and_only_its_input_fails(
    tmp_path: Path, local_ray: None, fast: Config
) -> None:
    from storyline.engine.local import Job

    jobs = [Job(f"Der Rat tagte am Montag in Musterstadt. Satz {i}.", "de", None) for i in range(3)]
    jobs[1] = Job("__die__", "de", None)
    # the workers cannot import this test module: send the actor class by value
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with ray_actors.RayAnalysers(fast.replace(ray_workers=1, ray_chunk=3)) as engine:
        engine._remote = ray.remote(_Dying).options(num_cpus=1)
        engine.plan = ray_actors.Plan(1, 1.0, 0.0)
        engine._actors = [engine._new_actor()]
        results = engine.run(jobs)
    assert [type(r).__name__ for r in results] == ["str", "Failed", "str"]
    assert "died" in results[1].reason  # type: ignore[union-attr]


class _Dying:
    """An actor that dies (the process exits) on one input, like one killed for memory."""

    def __init__(self, config: Config, budget: float) -> None:
        pass

    def analyse(self, jobs: list[Any]) -> list[str]:
        import os

        if any(j.text == "__die__" for j in jobs):
            os._exit(1)
        return ["ok" for _ in jobs]

    def ready(self) -> str:
        return "test"


def test_without_ray_the_engine_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(ConfigError, match="storyline\\[ray\\]"):
        engine_for(defaults(), "ray")


def test_unknown_engine_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        engine_for(defaults(), "spark")


@pytest.mark.parametrize(
    ("resources", "profile", "env", "expected"),
    [
        ({"CPU": 16.0}, "accurate", {}, ray_actors.Plan(8, 2.0, 0.0)),
        ({"CPU": 16.0}, "fast", {}, ray_actors.Plan(16, 1.0, 0.0)),
        ({"CPU": 16.0, "GPU": 2.0}, "accurate", {}, ray_actors.Plan(2, 2.0, 1.0)),
        # the fast profile runs no encoder: GPUs would idle
        ({"CPU": 16.0, "GPU": 2.0}, "fast", {}, ray_actors.Plan(16, 1.0, 0.0)),
        ({"CPU": 1.0}, "accurate", {}, ray_actors.Plan(1, 1.0, 0.0)),
        ({"CPU": 2.0}, "fast", {"ray_workers": 4}, ray_actors.Plan(4, 0.5, 0.0)),
        (
            {"CPU": 8.0, "GPU": 1.0},
            "accurate",
            {"encoder_device": "cpu"},
            ray_actors.Plan(4, 2.0, 0.0),
        ),
    ],
)
def test_plan_fits_the_cluster(
    resources: dict[str, float],
    profile: str,
    env: dict[str, int | str],
    expected: ray_actors.Plan,
) -> None:
    config = defaults().replace(profile=profile, **env)
    assert ray_actors.plan(config, resources) == expected


def test_negative_worker_counts_are_refused() -> None:
    with pytest.raises(ConfigError, match="ray_workers"):
        ray_actors.plan(defaults().replace(ray_workers=-1), {"CPU": 4.0})


def test_actors_get_their_share_of_cpus_unless_told() -> None:
    assert ray_actors.actor_config(defaults(), 2.0)[ENCODER_THREADS] == 2
    told = defaults().replace(encoder_threads=1)
    assert ray_actors.actor_config(told, 4.0)[ENCODER_THREADS] == 1
