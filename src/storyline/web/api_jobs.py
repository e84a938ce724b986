"""Background ingest jobs: ``POST /api/v1/ingest?background=true`` answers 202 at once,
``GET /api/v1/jobs/{id}`` tells how the job goes and gives its report when done.

Why: an ingest of a large upload takes minutes (analysis, encoder, grouping, claims); a
client should not hold a connection open for that, and a queue of waiting requests must
not take the server's worker threads from the readers. Jobs run one at a time per server
(SQLite has one writer), in the order they came; a waiting job holds no thread. Jobs live
in the server's memory: a restart forgets them (the articles they stored stay stored), and
only the last MAX_JOBS are kept.

When the server stops (SIGTERM, Ctrl-C) the running ingest ends after the batch it is
writing (recorded as an interrupted run, which the same ingest completes later) and
queued jobs are cancelled; the server waits up to SHUTDOWN_GRACE_SECONDS for that.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request

from storyline.web.api_common import ApiError

#: finished jobs kept for GET /jobs/{id}; the oldest finished ones go first
MAX_JOBS = 200
#: jobs waiting at once; past it a background ingest is refused with 503 and Retry-After
MAX_QUEUED = 64
RETRY_AFTER_SECONDS = 30
#: how long a stopping server waits for the running ingest to commit its batch and end
SHUTDOWN_GRACE_SECONDS = 60


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    status: str = "queued"  #: queued, running, done, failed, stopped, cancelled
    created: str = field(default_factory=_now)
    started: str | None = None
    finished: str | None = None
    report: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    task: asyncio.Task[None] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "report": self.report,
            "error": self.error,
        }


class Jobs:
    """The jobs of one server, and the lock that runs ingests one at a time."""

    def __init__(self, stopping: threading.Event | None = None) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._guard = threading.Lock()
        self.turn = asyncio.Lock()  #: held while an ingest (sync or background) runs
        #: set when the server stops: ingests end after their current batch
        self.stopping = stopping or threading.Event()

    async def shutdown(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop: queued jobs are cancelled, the running one ends after its batch."""
        self.stopping.set()
        with self._guard:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.status == "queued" and job.task is not None:
                job.task.cancel()
        running = [j.task for j in jobs if j.status == "running" and j.task is not None]
        if running:
            await asyncio.wait(running, timeout=grace)

    def get(self, job_id: str) -> Job | None:
        with self._guard:
            return self._jobs.get(job_id)

    def waiting(self) -> int:
        with self._guard:
            return sum(j.status == "queued" for j in self._jobs.values())

    def start(
        self, work: Callable[[], Awaitable[dict[str, Any]]], cleanup: Path | None = None
    ) -> Job:
        """Queue `work` (an ingest returning its report); `cleanup` is removed after it."""
        if self.waiting() >= MAX_QUEUED:
            raise ApiError(
                503,
                "queue_full",
                f"{MAX_QUEUED} ingest jobs are waiting already",
                "try again later",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        job = Job(secrets.token_hex(8))
        with self._guard:
            self._jobs[job.id] = job
            finished = [k for k, j in self._jobs.items() if j.finished]
            for key in finished[: max(len(self._jobs) - MAX_JOBS, 0)]:
                del self._jobs[key]
        job.task = asyncio.get_running_loop().create_task(self._run(job, work, cleanup))
        return job

    async def _run(
        self, job: Job, work: Callable[[], Awaitable[dict[str, Any]]], cleanup: Path | None
    ) -> None:
        from storyline.web.api_common import error_response

        try:
            async with self.turn:
                if self.stopping.is_set():
                    raise asyncio.CancelledError
                job.status, job.started = "running", _now()
                try:
                    job.report = await work()
                    job.status = "stopped" if job.report.get("stopped") else "done"
                except Exception as exc:  # the job's answer, as the API would give it
                    job.status = "failed"
                    job.error = _error_body(error_response(exc))
        except asyncio.CancelledError:
            if job.status == "queued":
                job.status = "cancelled"
            raise
        finally:
            job.finished = _now()
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)


def _error_body(response: Any) -> dict[str, Any]:
    import json

    body: dict[str, Any] = json.loads(bytes(response.body))
    return body


def jobs_of(request: Request) -> Jobs:
    """The server's job list (made on first use, inside the server's event loop)."""
    state = request.app.state
    jobs = getattr(state, "ingest_jobs", None)
    if jobs is None:
        jobs = state.ingest_jobs = Jobs(getattr(state, "stopping", None))
    return jobs


def job_endpoint(request: Request) -> dict[str, Any]:
    """GET /jobs/{id}: a background ingest's state, with its report once done."""
    job = jobs_of(request).get(request.path_params["id"])
    if job is None:
        raise ApiError(
            404,
            "not_found",
            "no such job (jobs are kept in memory)",
            "jobs are forgotten when the server restarts",
        )
    return job.to_dict()
