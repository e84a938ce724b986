"""Analysis in worker processes: the same results as in the job's own process, and an
input that breaks or kills a worker is reported alone while the rest is stored."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from storyline.analyse import run as analyse_run
from storyline.config import defaults
from storyline.engine import local as workers
from storyline.errors import ConfigError
from storyline.jobs.ingest import ingest
from storyline.settings import ENCODER_THREADS
from storyline.store import Store
from storyline.store.analysis import article_analysis

MakeArticle = Callable[..., str]
#: the conftest's hand-made articles
ARTICLE_COUNT = 6


@pytest.fixture
def pile(tmp_path: Path, make_article: MakeArticle) -> Path:
    """Twelve articles: each hand-made one twice, told apart by a closing line."""
    folder = tmp_path / "pile"
    folder.mkdir()
    for i in range(2 * ARTICLE_COUNT):
        closing = f"Nachtrag {i}: Die Redaktion hat den Bericht um {i + 10} Uhr ergänzt."
        text = make_article(i % ARTICLE_COUNT, after=[closing])
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Workers after the first two articles, whatever else runs in the test process; the
    list records every pool started."""
    started: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        started.append(kwargs["max_workers"])
        return ProcessPoolExecutor(*args, **kwargs)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", counting)
    monkeypatch.setattr(workers, "POOL_AFTER_ARTICLES", 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    return started


#: analysis in two worker processes (after POOL_AFTER_ARTICLES, lowered by `pools`)
TWO = defaults().replace(analyse_workers=2)


def _analyses(store: Store) -> dict[str, object]:
    return {a["id"]: article_analysis(store, a["id"]) for a in store.iter_articles()}


def test_workers_give_the_same_analysis_as_one_process(
    tmp_path: Path, pile: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(tmp_path / "workers.db", config=TWO) as store:
        report = ingest([str(pile)], store, batch_size=4, stories=False)
        assert report.ok and len(report.stored) == 2 * ARTICLE_COUNT
        with_workers = _analyses(store)
    assert pools == [2]  # the pool did the later batches
    with Store(tmp_path / "alone.db", config=TWO.replace(analyse_workers=1)) as store:
        ingest([str(pile)], store, batch_size=4, stories=False)
        assert _analyses(store) == with_workers
    assert pools == [2]


def test_an_input_that_breaks_analysis_in_a_worker_is_reported_alone(
    tmp_path: Path, pile: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyse_run.analyze

    def fragile(text: str, **kw: Any) -> Any:
        if "Nachtrag 7:" in text:
            raise RuntimeError("analyser bug")
        return real(text, **kw)

    monkeypatch.setattr(analyse_run, "analyze", fragile)  # the forked workers inherit it
    with Store(tmp_path / "s.db", config=TWO) as store:
        report = ingest([str(pile)], store, batch_size=4, stories=False)
    assert [Path(e.source).name for e in report.errors] == ["07.txt"]
    assert "analyser bug" in report.errors[0].reason
    assert len(report.stored) == 2 * ARTICLE_COUNT - 1
    assert pools


def test_an_input_that_kills_its_worker_is_reported_and_the_rest_stored(
    tmp_path: Path, pile: Path, pools: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyse_run.analyze
    parent = os.getpid()

    def deadly(text: str, **kw: Any) -> Any:
        if "Nachtrag 9:" in text and os.getpid() != parent:
            os._exit(9)  # as a crash in native code or the kernel's OOM killer would
        return real(text, **kw)

    monkeypatch.setattr(analyse_run, "analyze", deadly)
    with Store(tmp_path / "s.db", config=TWO) as store:
        report = ingest([str(pile)], store, batch_size=4, stories=False)
        assert [Path(e.source).name for e in report.errors] == ["09.txt"]
        assert "worker process died" in report.errors[0].reason
        assert len(report.stored) == 2 * ARTICLE_COUNT - 1
        again = ingest([str(pile)], store, batch_size=4, stories=False)
    assert len(again.unchanged) == 2 * ARTICLE_COUNT - 1
    assert len(pools) >= 2  # started afresh after the death


def test_automatic_worker_count_follows_the_profile() -> None:
    assert workers.worker_count(defaults().replace(profile="accurate")) == 1
    fast = defaults().replace(profile="fast")
    assert workers.worker_count(fast) == max(1, os.cpu_count() or 1)
    with pytest.raises(ConfigError):
        workers.worker_count(fast.replace(analyse_workers=-1))


def test_workers_share_the_cores_unless_told() -> None:
    config = defaults()
    cores = os.cpu_count() or 1
    assert workers.worker_config(config, 1) is config
    shared = workers.worker_config(config, 2)
    assert shared[ENCODER_THREADS] == max(1, cores // 2)
    told = config.replace(encoder_threads=3)
    assert workers.worker_config(told, 2)[ENCODER_THREADS] == 3


def test_an_article_over_the_time_budget_is_stored_unanalysed(
    tmp_path: Path, pile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyse_run.analyze
    # models loaded first (seconds, once per process), so that only the stuck one is over
    real("Der Rat tagte am Montag in Bonn.", config=defaults())

    def slow(text: str, **kw: Any) -> Any:
        if "Nachtrag 3:" in text:
            while True:  # an analyser stuck in Python code
                pass
        return real(text, **kw)

    monkeypatch.setattr(analyse_run, "analyze", slow)
    with Store(tmp_path / "s.db", config=defaults().replace(analyse_budget=1)) as store:
        report = ingest([str(pile)], store, batch_size=4, stories=False)
        assert report.ok and len(report.stored) == 2 * ARTICLE_COUNT
        assert [Path(s).name for s in report.unanalysed] == ["03.txt"]
        by_source = {Path(a["sources"][0]["source"]).name: a["id"] for a in store.iter_articles()}
        stuck = store.get_article(by_source["03.txt"])
        assert any("analyse_budget" in r for r in stuck["repairs"])
        assert not any(article_analysis(store, stuck["id"]).values())
        assert any(article_analysis(store, by_source["04.txt"]).values())


def test_the_budget_holds_in_a_thread_that_is_not_the_main_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A web server's ingest job analyses in a worker thread, where no signal arrives: the
    budget still stops an analyser stuck in Python code, and a budget that is not used up
    leaves nothing behind to go off later in that thread."""
    import time

    def stuck(text: str, **kw: Any) -> Any:
        while True:
            pass

    results: list[Any] = []

    def job(budget: float) -> None:
        results.append(workers.analyse_job(workers.Job("x", None, None), defaults(), budget))
        spin_until = time.monotonic() + 0.3  # Python code after the job: nothing raised
        while time.monotonic() < spin_until:
            pass
        results.append("after")

    monkeypatch.setattr(analyse_run, "analyze", stuck)
    thread = threading.Thread(target=job, args=(0.2,))
    begun = time.monotonic()
    thread.start()
    thread.join(20)
    assert not thread.is_alive()
    assert time.monotonic() - begun < 10
    failed, after = results
    assert isinstance(failed, workers.Failed) and failed.timed_out
    assert after == "after"

    results.clear()
    monkeypatch.setattr(analyse_run, "analyze", lambda text, **kw: "done")
    thread = threading.Thread(target=job, args=(0.25,))
    thread.start()  # the analysis ends at once; the timer would fire during the spin
    thread.join(20)
    assert results == ["done", "after"]


@pytest.mark.parametrize(("profile", "threads"), [("accurate", workers.ACCURATE_THREADS), ("fast", 1)])
def test_in_process_analysis_runs_side_by_side_only_under_the_accurate_profile(
    monkeypatch: pytest.MonkeyPatch, profile: str, threads: int
) -> None:
    """Under accurate, with no worker processes to come, articles are analysed in
    ACCURATE_THREADS threads (one's encoder pass beside the other's Python); results come
    back in input order and a failing article stays its own."""
    seen: dict[str, str] = {}
    gate = threading.Barrier(threads, timeout=10)

    def fake(text: str, **kw: Any) -> Any:
        seen[text] = threading.current_thread().name
        if threads > 1 and text in ("a", "b"):
            gate.wait()  # the first two are in flight together, or this times out
        if text == "c":
            raise RuntimeError("broken analyser")
        return text.upper()

    monkeypatch.setattr(analyse_run, "analyze", fake)
    config = defaults().replace(profile=profile, analyse_workers=1)
    jobs = [workers.Job(t, "de", None) for t in "abcd"]
    with workers.Analysers(config) as here:
        results = here.run(jobs)
    assert [results[i] for i in (0, 1, 3)] == ["A", "B", "D"]  # type: ignore[comparison-overlap]
    assert isinstance(results[2], workers.Failed) and "broken analyser" in results[2].reason
    in_threads = {name.startswith("analyse") for name in seen.values()}
    assert in_threads == {threads > 1}
