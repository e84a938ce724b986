"""The local engine: analysis on every core of this machine, in worker processes.

Why processes: analysis outside the encoder (the CRF, dates, quotes, figures) is Python
and holds the interpreter lock, so threads would take turns on one core. The cleaning of
an article depends on what the store has seen of its outlet, and every write goes through
one connection, so both stay in the job's process; only :func:`~storyline.analyse.analyze`,
a pure function of the cleaned text, language and date, is sent out.

Why forked workers: a forked child starts with every model the job's process has loaded
(the first batch is analysed here, which loads them) and shares their memory until it
writes to it; a spawned one would import storyline and load everything again, and would
re-run an unguarded calling script. Forking a process with several threads can inherit a
lock that one of them held, so the pool is used only when the job's process runs one
Python thread (the CLI; not a web server), and a child never touches the parent's encoder
(:func:`~storyline.encoder.runtime.forget_after_fork`). Where forking is not possible
(other threads alive, or no `fork` on this system) the job analyses in its own process and
logs why.

Why the pool starts late and only for the fast profile by default: a pile of a few
articles is done before the pool would pay off; and under the accurate profile the encoder
already runs one pass per core, so a second process would only compete for the same cores
and double the memory the encoder needs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.analyse.model import Analysis
from storyline.config import DEFAULT, Config
from storyline.errors import ConfigError, InputError
from storyline.settings import ANALYSE_BUDGET, ANALYSE_WORKERS, ENCODER_THREADS, PROFILE

if TYPE_CHECKING:
    from storyline.stories.embed import Encoder

log = logging.getLogger(__name__)

#: the pool is started once this many articles have been analysed in the job's own process
#: (one default batch): a small pile is done before a worker would have loaded its models
POOL_AFTER_ARTICLES = 8
#: articles analysed side by side in the job's own process under the accurate profile, when
#: no worker process will take over: while one is in an encoder pass (native code, the
#: interpreter lock released) the other's Python analysis runs on the core the pass leaves
#: idle between its batches. Measured on two cores, 120 seed-length articles: 42.0 -> 40.1 s.
#: The fast profile's analysis is Python throughout, so threads would only take turns.
ACCURATE_THREADS = 2
#: Linux prctl option: the signal a process gets when its parent dies
_PR_SET_PDEATHSIG = 1
#: how often a worker without that option checks that the job's process still lives
_PARENT_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Job:
    """What a worker needs of a cleaned article: exactly :func:`analyze`'s arguments."""

    text: str
    lang: str | None
    published: str | None


@dataclass(frozen=True)
class Failed:
    """Why an analysis failed, in a form that crosses process boundaries (an exception
    object may not survive pickling) and becomes an :class:`InputError` for its source."""

    reason: str
    hint: str | None
    #: over the time budget: the article is stored without analysis, not reported failed
    timed_out: bool = False

    def error(self, source: str) -> InputError:
        return InputError(source, self.reason, hint=self.hint)


def worker_count(config: Config) -> int:
    """Analysis processes the settings ask for (``analyse_workers``; 0 means automatic)."""
    asked = config[ANALYSE_WORKERS]
    if asked < 0:
        raise ConfigError(
            f"analyse_workers is {asked}",
            hint=f"set {ANALYSE_WORKERS.env_var} to 0 (automatic), 1 (no workers) or more",
        )
    if asked:
        return asked
    return 1 if config[PROFILE] == "accurate" else max(1, os.cpu_count() or 1)


def worker_config(config: Config, workers: int) -> Config:
    """`config` as one of `workers` processes runs it: unless ``encoder_threads`` was set,
    each worker's encoder takes its share of the cores, not all of them."""
    if workers <= 1 or config.source(ENCODER_THREADS) != DEFAULT:
        return config
    return config.replace(encoder_threads=max(1, (os.cpu_count() or 1) // workers))


def _child_started(parent: int) -> None:
    """Runs first in each worker: die with the job's process, and use an encoder of its
    own (the jobs bring the worker's config, with its share of the cores)."""
    from storyline.encoder.runtime import forget_after_fork

    _die_with_parent(parent)
    forget_after_fork()


def _die_with_parent(parent: int) -> None:
    """A job's process killed outright (`kill -9`, the OOM killer) runs no cleanup, and its
    workers would wait for work forever, holding memory and the terminal's pipes. Linux
    can send them a signal when their parent dies; elsewhere a watch thread checks."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


class _OverBudget(BaseException):
    """Raised inside an analysis by the alarm that enforces the time budget; a
    BaseException so that no analyser's `except Exception` can swallow it."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _OverBudget


def analyse_job(job: Job, config: Config, budget: float = 0.0) -> Analysis | Failed:
    """Analyse one article with `config` within `budget` seconds (0: no limit); whatever
    goes wrong is returned, not raised, so that a bug on one input is reported against it
    and the batch goes on.

    The budget raises inside the analysis (see :func:`_within`), in any thread. A long
    native call (the encoder) ends before it is stopped; the analysers' own input bounds
    (analyse/limits.py) keep those calls short.
    """
    from storyline.analyse.run import analyze

    try:
        with _within(budget):
            return analyze(job.text, lang=job.lang, published=job.published, config=config)
    except _OverBudget:
        return Failed(
            f"analysis stopped after {budget:g} s (the analyse_budget setting)",
            f"raise {ANALYSE_BUDGET.env_var} to analyse it, or leave it stored unanalysed",
            timed_out=True,
        )
    except InputError as err:
        return Failed(err.reason, err.hint)
    except Exception as exc:
        return internal_failure(exc)


@contextmanager
def _within(budget: float) -> Iterator[None]:
    """Raise :class:`_OverBudget` in this thread when the body runs `budget` seconds (0:
    never). In the main thread an interval timer's signal does it; only the main thread
    receives signals, so elsewhere (a web server's ingest job) a timer thread sets the
    exception on this one (CPython's PyThreadState_SetAsyncExc), which Python raises
    between two bytecodes, as it runs a signal handler."""
    if budget <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        return
    target = threading.get_ident()
    guard = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with guard:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, _OverBudget)

    timer = threading.Timer(budget, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with guard:
            state["done"] = True
            fired = state["fired"]
        if fired:  # set but not raised yet (the body ended first): take it back
            _set_async_exc(target, None)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Have `thread_id` raise `exc` at its next bytecode (None: withdraw a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


def internal_failure(exc: BaseException) -> Failed:
    """A bug met while processing an input, said so with the line it happened on."""
    return Failed(
        f"internal error while processing: {exc!r}",
        "please report this with the input; details: "
        + traceback.format_exc(limit=3).strip().splitlines()[-1],
    )


class Analysers:
    """Analyse cleaned articles here or in a pool of worker processes.

    :meth:`run` returns one result per job, in order: an :class:`Analysis`, or
    :class:`Failed` (the caller reports it against that article, the rest of the batch
    goes on). When a worker dies (killed, out of memory, a crash in native code), the
    inputs it took down with it are tried again one by one, so that only the one that
    kills a worker is reported.
    """

    def __init__(self, config: Config, workers: int | None = None) -> None:
        self.config = config
        self.workers = worker_count(config) if workers is None else workers
        self.budget = config[ANALYSE_BUDGET]
        self._pool: ProcessPoolExecutor | None = None
        self._done_here = 0

    def run(self, jobs: Sequence[Job]) -> list[Analysis | Failed]:
        pool = self._pool_for_now()
        if pool is None:
            self._done_here += len(jobs)
            return self._here(jobs)
        remote = worker_config(self.config, self.workers)
        futures = [pool.submit(analyse_job, job, remote, self.budget) for job in jobs]
        results = [_outcome(f) for f in futures]
        lost = [i for i, f in enumerate(futures) if isinstance(f.exception(), BrokenProcessPool)]
        if lost:
            # One input may have killed its worker (or the system killed it for memory);
            # every job still in the pool failed with it. Each is tried again alone in a
            # fresh worker, so only the input that kills a worker is reported.
            log.warning("an analysis worker died; trying its %d inputs one by one", len(lost))
            self.close()
            for i in lost:
                results[i] = self._alone(jobs[i])
        return results

    def _here(self, jobs: Sequence[Job]) -> list[Analysis | Failed]:
        """Analyse in this process: side by side in ACCURATE_THREADS threads under the
        accurate profile when no worker process will start (forking needs this process to
        run one thread), else one after the other."""
        threads = ACCURATE_THREADS if self.config[PROFILE] == "accurate" else 1
        if self.workers > 1 or threads <= 1 or len(jobs) <= 1:
            return [analyse_job(job, self.config, self.budget) for job in jobs]
        with ThreadPoolExecutor(threads, thread_name_prefix="analyse") as here:
            return list(here.map(lambda job: analyse_job(job, self.config, self.budget), jobs))

    def _alone(self, job: Job) -> Analysis | Failed:
        pool = self._pool_for_now()
        if pool is None:  # workers are off now (another thread started meanwhile)
            return analyse_job(job, self.config, self.budget)
        future = pool.submit(
            analyse_job, job, worker_config(self.config, self.workers), self.budget
        )
        result = _outcome(future)
        if isinstance(future.exception(), BrokenProcessPool):
            self.close()
        return result

    def _pool_for_now(self) -> ProcessPoolExecutor | None:
        """The pool, started on first need; None while analysing here is the better deal."""
        if self._pool is not None:
            return self._pool
        if self.workers <= 1 or self._done_here < POOL_AFTER_ARTICLES:
            return None
        if "fork" not in multiprocessing.get_all_start_methods():
            log.info("no analysis workers: this system cannot fork processes")
            self.workers = 1
            return None
        if threading.active_count() > 1:  # the encoder's idle pass threads may be all
            from storyline.encoder.runtime import release_idle_threads

            release_idle_threads()
        if threading.active_count() > 1:
            log.info("no analysis workers: this process runs other threads (safe only alone)")
            self.workers = 1
            return None
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_child_started,
            initargs=(os.getpid(),),
        )
        return self._pool

    def encoder(self) -> Encoder | None:
        """Title + lead encoding elsewhere than here: none (grouping encodes in this
        process, where its model is loaded once)."""
        return None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Analysers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _outcome(future: Future[Analysis | Failed]) -> Analysis | Failed:
    try:
        return future.result()
    except BrokenProcessPool:
        return Failed(
            "the analysis worker process died while analysing this input",
            "it may have run out of memory; run the ingest again (stored articles are "
            "skipped) or set analyse_workers to 1",
        )
    except Exception as exc:  # e.g. a result that could not be sent back
        return internal_failure(exc)
