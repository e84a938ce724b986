"""The polite client against the loopback site: robots.txt, intervals, 304s, retries,
limits, redirects, gzip, the User-Agent."""

from __future__ import annotations

import gzip
import itertools
import threading
import time

import pytest
from watch_site import Reply, Request, Site, http_date, policy

from storyline.errors import FetchError
from storyline.store.watch import FetchRecord
from storyline.watch.fetch import Fetcher, HostGate, retry_after

ROBOTS = b"User-agent: *\nDisallow: /privat/\n"


def test_watch_fetch_sends_a_clear_user_agent_and_accepts_gzip(
    site: Site, fetcher: Fetcher
) -> None:
    site.page("/a", b"<html>hallo</html>" * 50, gzip=True)
    got = fetcher.get(site.base + "/a")
    assert got.body == b"<html>hallo</html>" * 50
    hit = next(h for h in site.hits if h.path == "/a")
    assert "storyline/" in hit.headers["User-Agent"]
    assert "tests@example.invalid" in hit.headers["User-Agent"]
    assert "gzip" in hit.headers["Accept-Encoding"]


def test_watch_fetch_honours_robots_txt(site: Site, fetcher: Fetcher) -> None:
    site.page("/robots.txt", ROBOTS)
    site.page("/privat/geheim", b"nein")
    site.page("/offen", b"ja")
    assert fetcher.get(site.base + "/offen").body == b"ja"
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(site.base + "/privat/geheim")
    assert site.count("/privat/geheim") == 0
    assert site.count("/robots.txt") == 1  # read once, cached


def test_watch_fetch_robots_override_is_logged(
    site: Site, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    site.page("/robots.txt", ROBOTS)
    site.page("/privat/geheim", b"doch")
    with caplog.at_level("INFO", logger="storyline.watch"):
        assert fetcher.get(site.base + "/privat/geheim", ignore_robots=True).body == b"doch"
    assert "robots.txt not consulted" in caplog.text


def test_watch_fetch_unreadable_robots_txt_forbids_for_now(site: Site) -> None:
    site.page("/robots.txt", b"", status=500)
    site.page("/a", b"x")
    with Fetcher(policy(retries=0)) as f, pytest.raises(FetchError, match=r"robots\.txt"):
        f.get(site.base + "/a")
    assert site.count("/a") == 0


def test_watch_fetch_keeps_the_interval_per_host(site: Site) -> None:
    for i in range(4):
        site.page(f"/p{i}", b"x")
    with Fetcher(policy(host_interval=0.15)) as f:
        for i in range(4):
            f.get(site.base + f"/p{i}")
    hits = [h for h in site.hits if h.path.startswith("/p")]
    gaps = [b.start - a.end for a, b in itertools.pairwise(hits)]
    assert all(g >= 0.14 for g in gaps), gaps


def test_watch_fetch_one_request_at_a_time_per_host_across_threads(site: Site) -> None:
    site.routes["/slow"] = Reply(body=b"x", delay=0.05)
    with Fetcher(policy()) as f:
        threads = [threading.Thread(target=f.get, args=(site.base + "/slow",)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert site.count("/slow") == 6
    assert site.max_active == 1


def test_watch_fetch_host_gate_waits_the_interval() -> None:
    slept: list[float] = []
    clock = iter([0.0, 1.0, 1.0, 1.2, 1.2, 1.2])
    gate = HostGate(2.0, sleep=slept.append, clock=lambda: next(clock))
    from storyline.watch.fetch import Fetched

    ok = Fetched("u", 200, b"", "", None, None)
    gate.run("h", lambda: ok)
    gate.run("h", lambda: ok)
    assert slept == [pytest.approx(1.0)]


def test_watch_fetch_conditional_get_gets_304(site: Site, fetcher: Fetcher) -> None:
    stamp = http_date()

    def feed(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(body=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": stamp})

    site.routes["/feed"] = feed
    first = fetcher.get(site.base + "/feed")
    assert first.etag == '"v1"' and first.last_modified == stamp
    again = fetcher.get(site.base + "/feed", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    hit = site.hits[-1]
    assert hit.headers["If-None-Match"] == '"v1"' and hit.headers["If-Modified-Since"] == stamp


@pytest.mark.parametrize("status", [429, 503])
def test_watch_fetch_retries_after_what_retry_after_says(site: Site, status: int) -> None:
    calls: list[float] = []

    def flaky(_request: Request) -> Reply:
        calls.append(time.monotonic())
        if len(calls) < 3:
            return Reply(status, headers={"Retry-After": "0"})
        return Reply(body=b"endlich")

    site.routes["/flaky"] = flaky
    slept: list[float] = []
    with Fetcher(policy(retries=3), sleep=slept.append) as f:
        got = f.get(site.base + "/flaky")
    assert got.body == b"endlich" and got.attempts == 3
    assert slept == [0.0, 0.0]  # Retry-After: 0, not the backoff


def test_watch_fetch_backoff_grows_with_jitter(site: Site) -> None:
    site.page("/kaputt", b"", status=500)
    slept: list[float] = []
    with (
        Fetcher(policy(retries=3, backoff=1.0), sleep=slept.append) as f,
        pytest.raises(FetchError, match="HTTP 500 after 4 tries"),
    ):
        f.get(site.base + "/kaputt")
    assert len(slept) == 3
    for attempt, wait in enumerate(slept):
        assert 2**attempt <= wait <= 1.5 * 2**attempt


def test_watch_fetch_too_long_retry_after_is_a_failure(site: Site) -> None:
    site.page("/voll", b"", status=429, headers={"Retry-After": "86400"})
    with Fetcher(policy(max_wait=60)) as f, pytest.raises(FetchError, match="watch_max_wait"):
        f.get(site.base + "/voll")


def test_watch_fetch_retry_after_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 60) == 60.0
    assert retry_after("bald") is None


def test_watch_fetch_size_limit_and_gzip_bomb(site: Site) -> None:
    site.page("/riesig", b"x" * 200_000)
    bomb = gzip.compress(b"\0" * 20_000_000)
    site.page("/bombe", bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(policy(max_bytes=100_000)) as f:
        with pytest.raises(FetchError, match="over the limit"):
            f.get(site.base + "/riesig")
        with pytest.raises(FetchError, match="over the limit"):
            f.get(site.base + "/bombe")
    assert site.count("/bombe") == 1  # not retried


def test_watch_fetch_redirects_limited_and_logged(site: Site) -> None:
    for i in range(6):
        site.page(f"/r{i}", b"", status=302, headers={"Location": f"/r{i + 1}"})
    site.page("/r6", b"ziel")
    site.page("/kreis", b"", status=301, headers={"Location": "/kreis2"})
    site.page("/kreis2", b"", status=301, headers={"Location": "/kreis"})
    records: list[FetchRecord] = []
    with Fetcher(policy(max_redirects=3), on_fetch=records.append) as f:
        got = f.get(site.base + "/r3")
        assert got.body == b"ziel" and len(got.redirects) == 3
        assert records[-1].redirects == tuple(site.base + f"/r{i}" for i in (4, 5, 6))
        with pytest.raises(FetchError, match="more than 3 redirects"):
            f.get(site.base + "/r0")
        with pytest.raises(FetchError, match="redirect loop"):
            f.get(site.base + "/kreis")


def test_watch_fetch_network_errors_are_retried_then_reported(fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    records: list[FetchRecord] = []
    fetcher.on_fetch = records.append
    with pytest.raises(FetchError, match="ConnectError"):
        fetcher.get(f"http://127.0.0.1:{port}/x", ignore_robots=True)
    assert records[-1].error and records[-1].status is None


def test_watch_fetch_slow_response_times_out(site: Site) -> None:
    site.routes["/langsam"] = Reply(body=b"x", delay=1.0)
    with Fetcher(policy(timeout=0.2, retries=0)) as f, pytest.raises(FetchError, match="Timeout"):
        f.get(site.base + "/langsam", ignore_robots=True)
