"""The response cache (storyline.web.cache.ResponseCache) and the store's change marker
(storyline.store.changes.ChangeWatch): answers are reused only while the store is
unchanged or within the refresh window, writes through the server are seen at once, and
a request never queues behind another that makes the same answer."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from starlette.responses import JSONResponse, Response
from starlette.testclient import TestClient

from storyline.config import defaults
from storyline.settings import WEB_CACHE_MB, WEB_CACHE_REFRESH
from storyline.store import Store
from storyline.store.changes import ChangeWatch
from storyline.web.app import create_app
from storyline.web.cache import ResponseCache


class FakeWatch(ChangeWatch):
    """A marker the test moves by hand."""

    def __init__(self) -> None:
        self.value = 0

    def marker(self) -> object:
        return self.value

    def close(self) -> None:
        pass


class Maker:
    """An endpoint that counts how often it is asked to make its answer."""

    def __init__(self, status: int = 200) -> None:
        self.calls = 0
        self.status = status

    def __call__(self) -> Response:
        self.calls += 1
        return JSONResponse({"n": self.calls}, status_code=self.status)


def cache(refresh: float = 0.0, max_bytes: int = 1_000_000) -> tuple[ResponseCache, FakeWatch]:
    watch = FakeWatch()
    return ResponseCache(watch, refresh=refresh, max_bytes=max_bytes), watch


def test_unchanged_store_reuses_the_answer_with_its_age() -> None:
    responses, _ = cache()
    make = Maker()
    first = responses.respond("k", make)
    again = responses.respond("k", make)
    assert make.calls == 1
    assert again.body == first.body
    assert again.headers["age"] == "0"
    assert again.headers["content-type"] == "application/json"
    assert "age" not in first.headers


def test_a_commit_makes_the_answer_again_when_refresh_is_zero() -> None:
    responses, watch = cache(refresh=0.0)
    make = Maker()
    responses.respond("k", make)
    watch.value += 1
    assert responses.respond("k", make).body == b'{"n":2}'
    assert make.calls == 2


def test_within_the_refresh_window_the_previous_answer_is_served() -> None:
    responses, watch = cache(refresh=0.2)
    make = Maker()
    responses.respond("k", make)
    watch.value += 1
    assert responses.respond("k", make).body == b'{"n":1}'
    time.sleep(0.25)
    assert responses.respond("k", make).body == b'{"n":2}'
    assert responses.respond("k", make).body == b'{"n":2}'  # unchanged since: reused
    assert make.calls == 2


def test_expire_makes_the_next_answer_current_inside_the_window() -> None:
    responses, watch = cache(refresh=60.0)
    make = Maker()
    responses.respond("k", make)
    watch.value += 1
    responses.expire()
    assert responses.respond("k", make).body == b'{"n":2}'


def test_only_ok_answers_are_kept_and_keys_apart() -> None:
    responses, _ = cache()
    missing = Maker(status=404)
    responses.respond("gone", missing)
    responses.respond("gone", missing)
    assert missing.calls == 2
    a, b = Maker(), Maker()
    responses.respond(("/search", "q=a"), a)
    responses.respond(("/search", "q=b"), b)
    assert (a.calls, b.calls) == (1, 1)


def test_off_and_memory_bound() -> None:
    off, _ = cache(max_bytes=0)
    make = Maker()
    off.respond("k", make)
    off.respond("k", make)
    assert make.calls == 2
    # room for two answers of 7 bytes (one answer may take an eighth of it at most)
    small, _ = cache(max_bytes=8 * 7)
    makers = {k: Maker() for k in "abcdefghi"}
    for k, m in makers.items():
        small.respond(k, m)
    small.respond("i", makers["i"])  # the newest is still kept
    small.respond("a", makers["a"])  # the oldest went first
    assert makers["i"].calls == 1
    assert makers["a"].calls == 2
    too_big, _ = cache(max_bytes=7 * 7)
    big = Maker()
    too_big.respond("k", big)
    too_big.respond("k", big)
    assert big.calls == 2


def test_reads_do_not_queue_behind_one_that_makes_the_answer() -> None:
    responses, watch = cache(refresh=0.0)
    responses.respond("k", Maker())
    watch.value += 1
    started, release = threading.Event(), threading.Event()

    def slow() -> Response:
        started.set()
        assert release.wait(10)
        return JSONResponse({"n": "new"})

    making = threading.Thread(target=lambda: responses.respond("k", slow))
    making.start()
    assert started.wait(10)
    other = Maker()
    begun = time.monotonic()
    answer = responses.respond("k", other)  # the previous answer, at once
    assert time.monotonic() - begun < 1.0
    assert answer.body == b'{"n":1}' and other.calls == 0
    release.set()
    making.join(10)
    assert responses.respond("k", other).body == b'{"n":"new"}'
    assert other.calls == 0


def test_a_first_read_waits_for_the_one_making_it_instead_of_making_it_twice() -> None:
    responses, _ = cache()
    started, release = threading.Event(), threading.Event()
    made = []

    def slow() -> Response:
        made.append(1)
        started.set()
        assert release.wait(10)
        return JSONResponse({"n": 1})

    making = threading.Thread(target=lambda: responses.respond("k", slow))
    making.start()
    assert started.wait(10)
    got: list[bytes] = []
    waiting = threading.Thread(target=lambda: got.append(bytes(responses.respond("k", slow).body)))
    waiting.start()
    time.sleep(0.1)
    release.set()
    making.join(10)
    waiting.join(10)
    assert got == [b'{"n":1}'] and len(made) == 1


def test_change_marker_moves_with_every_commit(child_db: str) -> None:
    with Store(child_db, config=defaults()) as store:
        watch = ChangeWatch(child_db, defaults())
        try:
            before = watch.marker()
            if not store.is_postgres:  # PostgreSQL's moves with the whole server's writes
                assert watch.marker() == before  # nothing written: unchanged
            store.conn.execute("CREATE TABLE marker_test (x INTEGER)")  # a commit
            after = watch.marker()
            assert after != before
            if not store.is_postgres:
                assert watch.marker() == after
        finally:
            watch.close()


def test_pages_follow_the_store(child_db: str, tmp_path: Path) -> None:
    """Through the app: a page is current after another process's write (refresh 0),
    lags by at most the window otherwise, and is current after the server's own ingest."""
    from storyline.jobs.ingest import ingest

    config = defaults().replace(profile="fast")
    first = tmp_path / "one.txt"
    first.write_text("Hafen meldet Rekord\n\nDer Hafen meldet am Montag einen Rekord.\n")
    with Store(child_db, config=config) as store:
        assert ingest([str(first)], store).ok

    def titles(c: TestClient) -> set[str]:
        got = c.get("/api/v1/articles")
        assert got.status_code == 200
        return {a["title"] for a in got.json()["items"]}

    strict = config.replace(**{WEB_CACHE_REFRESH.name: 0.0})
    with TestClient(create_app(child_db, config=strict)) as c:
        assert titles(c) == {"Hafen meldet Rekord"}
        with Store(child_db, config=config) as store:
            store.conn.execute("UPDATE articles SET title = 'Hafen meldet Verlust'")
        assert titles(c) == {"Hafen meldet Verlust"}

    lagging = config.replace(**{WEB_CACHE_REFRESH.name: 600.0})
    with TestClient(create_app(child_db, config=lagging, token="t" * 32)) as c:
        assert titles(c) == {"Hafen meldet Verlust"}
        with Store(child_db, config=config) as store:
            store.conn.execute("UPDATE articles SET title = 'Hafen meldet Streik'")
        stale = c.get("/api/v1/articles")
        assert {a["title"] for a in stale.json()["items"]} == {"Hafen meldet Verlust"}
        assert "age" in stale.headers
        sent = c.post(
            "/api/v1/ingest",
            content=b'{"title": "Werft baut Schiff", "text": "Die Werft baut ein Schiff."}',
            headers={"Authorization": "Bearer " + "t" * 32, "Content-Type": "application/json"},
        )
        assert sent.status_code in (200, 207), sent.text
        assert titles(c) == {"Hafen meldet Streik", "Werft baut Schiff"}

    off = config.replace(**{WEB_CACHE_MB.name: 0})
    with TestClient(create_app(child_db, config=off)) as c:
        assert "age" not in c.get("/api/v1/articles").headers
        assert "age" not in c.get("/api/v1/articles").headers


@pytest.mark.parametrize("path", ["/api/v1/status", "/api/v1/openapi.json"])
def test_server_state_is_never_cached(child_db: str, path: str) -> None:
    with Store(child_db, config=defaults()):
        pass
    with TestClient(create_app(child_db, config=defaults())) as c:
        c.get(path)
        assert "age" not in c.get(path).headers
