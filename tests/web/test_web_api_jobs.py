"""Background ingest: 202 with a job at once, the job's state and report at /jobs/{id},
and readers served while it runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from web_api_client import api_client

from storyline.config import defaults
from storyline.store import Store
from storyline.web.openapi import openapi_schema

TOKEN = "t" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
URL = "/api/v1/ingest"
#: a background job of two small articles is done well within this
JOB_SECONDS = 120


@pytest.fixture
def client(db_path: Path) -> Iterator[TestClient]:
    Store(db_path).close()
    with api_client(db_path, TOKEN) as c:
        yield c


def _wait(client: TestClient, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(url).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {url} did not finish in {JOB_SECONDS} s")


def test_background_ingest_answers_202_and_the_job_has_the_report(
    client: TestClient, make_article: Callable[[int], str], db_path: Path
) -> None:
    files = [("files", (f"a{i}.txt", make_article(i).encode(), "text/plain")) for i in (0, 1)]
    r = client.post(URL, params={"background": "true"}, files=files, headers=AUTH)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running") and r.headers["Location"] == job["url"]
    assert job["url"] == f"/api/v1/jobs/{job['id']}"
    assert client.get("/api/v1/status").status_code == 200  # readers are served meanwhile
    done = _wait(client, job["url"])
    assert done["status"] == "done", done
    assert len(done["report"]["stored"]) == 2 and done["report"]["errors"] == []
    assert done["started"] and done["finished"]
    with Store(db_path) as store:  # names as sent, not the temporary paths
        sources = {r[0] for r in store.conn.execute("SELECT source FROM sources")}
    assert sources == {"a0.txt", "a1.txt"}


def test_job_matches_its_schema_and_unknown_jobs_are_404(
    client: TestClient, make_article: Callable[[int], str]
) -> None:
    from test_web_api_schema import problems

    files = [("files", ("a.txt", make_article(2).encode(), "text/plain"))]
    url = client.post(URL, params={"background": "1"}, files=files, headers=AUTH).json()["url"]
    done = _wait(client, url)
    document = openapi_schema()
    schema = document["paths"]["/jobs/{id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert problems(done, schema, document) == []
    missing = client.get("/api/v1/jobs/0000")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_background_ingest_still_needs_the_token(client: TestClient) -> None:
    r = client.post(URL, params={"background": "true"}, json={"text": "x"})
    assert r.status_code == 401


def test_a_stopping_server_ends_the_running_job_after_its_batch(
    db_path: Path, make_article: Callable[[int], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.jobs import ingest as ingest_job
    from storyline.web.app import create_app

    real = ingest_job._Batch.run

    def slow(self: Any, batch: Any) -> None:
        real(self, batch)
        time.sleep(0.3)  # long enough for the server to be stopped mid-run

    monkeypatch.setattr(ingest_job._Batch, "run", slow)
    Store(db_path).close()
    app = create_app(db_path, token=TOKEN, config=defaults().replace(batch_size=1))
    files = [("files", (f"a{i}.txt", make_article(i).encode(), "text/plain")) for i in range(6)]
    with TestClient(app) as client:  # leaving it runs the server's shutdown
        r = client.post(URL, params={"background": "true"}, files=files, headers=AUTH)
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + JOB_SECONDS
        while client.get(r.json()["url"]).json()["status"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        queued = client.post(URL, params={"background": "true"}, files=files[:1], headers=AUTH)
    first = app.state.ingest_jobs.get(r.json()["id"])
    second = app.state.ingest_jobs.get(queued.json()["id"])
    assert first.status == "stopped" and first.report["stopped"], first.to_dict()
    assert second.status == "cancelled"
    with Store(db_path) as store:
        runs = store.conn.execute("SELECT status FROM ingest_runs").fetchall()
        assert [tuple(x) for x in runs] == [("interrupted",)]
        assert 1 <= store.count() < 6  # committed batches stay
