"""A polite HTTP client for storyline watch.

Why so much care: a watcher asks the same sites for the same pages all day. Sites block
clients that ignore robots.txt, hammer one host, re-download unchanged feeds or retry in
tight loops, and the analyst loses the source. So: robots.txt is honoured (a source may
override it, and each override is logged), one request at a time per host with a minimum
interval between two, conditional GETs (ETag / Last-Modified), gzip, a User-Agent that
says who is asking and how to reach them, timeouts, retries with exponential backoff and
jitter on 429 and 5xx that honour Retry-After, a size limit on every body (counted after
decompression, so a gzip bomb stops at the limit) and redirects limited and logged.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from urllib.robotparser import RobotFileParser

import httpx

from storyline import __version__
from storyline.config import Config, defaults
from storyline.errors import FetchError, InputTooLargeError
from storyline.settings import (
    WATCH_BACKOFF,
    WATCH_CONTACT,
    WATCH_HOST_INTERVAL,
    WATCH_MAX_BYTES,
    WATCH_MAX_REDIRECTS,
    WATCH_MAX_WAIT,
    WATCH_RETRIES,
    WATCH_TIMEOUT,
)
from storyline.store.watch import FetchRecord
from storyline.watch.urls import host_of, origin

log = logging.getLogger("storyline.watch")

#: Statuses worth a retry: the server asks us to slow down, or failed for now.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NOT_MODIFIED = 304
#: Share of a backoff wait added at random (0.5: up to half as long again).
JITTER = 0.5
#: robots.txt bodies are small; a larger one is cut here (RFC 9309 allows 500 KiB).
ROBOTS_MAX_BYTES = 500_000
#: Seconds a robots.txt stays cached within one process.
ROBOTS_TTL = 3600.0
#: Seconds an unreadable robots.txt (5xx, network) keeps its site closed before it is asked
#: again: a short outage should not cost an hour.
ROBOTS_ERROR_TTL = 300.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


def user_agent(contact: str) -> str:
    """The User-Agent of every request, with the ``watch_contact`` setting in it."""
    return f"storyline/{__version__} (news watch; contact: {contact or 'not given'})"


@dataclass(frozen=True)
class FetchPolicy:
    """The limits one fetcher keeps: :meth:`from_config` (the settings), or a test's own."""

    user_agent: str
    host_interval: float
    timeout: float
    retries: int
    backoff: float
    max_wait: float
    max_bytes: int
    max_redirects: int

    @classmethod
    def from_config(cls, config: Config) -> FetchPolicy:
        return cls(
            user_agent=user_agent(config[WATCH_CONTACT]),
            host_interval=config[WATCH_HOST_INTERVAL],
            timeout=config[WATCH_TIMEOUT],
            retries=config[WATCH_RETRIES],
            backoff=config[WATCH_BACKOFF],
            max_wait=config[WATCH_MAX_WAIT],
            max_bytes=config[WATCH_MAX_BYTES],
            max_redirects=config[WATCH_MAX_REDIRECTS],
        )


@dataclass
class Fetched:
    """A response as watch uses it: final URL, status, body (empty for a 304)."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1
    elapsed: float = 0.0  #: seconds of the last exchange (without waits between tries)
    location: str | None = None  #: of a redirect
    retry_after: str | None = None  #: of a 429 or 5xx

    @property
    def not_modified(self) -> bool:
        return self.status == NOT_MODIFIED


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HostGate:
    """One request at a time per host, at least `interval` seconds apart (start to start of
    the next after the previous ended). Thread-safe: the guarantee holds however many
    threads share one fetcher."""

    def __init__(
        self,
        interval: float,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def run(self, host: str, request: Callable[[], Fetched]) -> Fetched:
        with self._lock(host):
            last = self._last.get(host)
            if last is not None:
                wait = last + self.interval - self._clock()
                if wait > 0:
                    self._sleep(wait)
            try:
                return request()
            finally:
                self._last[host] = self._clock()


OnFetch = Callable[[FetchRecord], None]


class Fetcher:
    """Fetches URLs politely; use as a context manager (it holds an HTTP connection pool).

    `on_fetch` receives one FetchRecord per `get` (after retries and redirects), for the
    fetch log; `sleep` and `rng` are there so tests need not wait or guess."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        on_fetch: OnFetch | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy.from_config(defaults())
        self.on_fetch = on_fetch
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.gate = HostGate(self.policy.host_interval, sleep)
        self._robots: dict[str, tuple[float, RobotFileParser | FetchError]] = {}
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=self.policy.timeout,
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": ACCEPT,
            },
            transport=transport,
            trust_env=False,  # no proxies from the environment: watch asks the sites itself
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- robots.txt ------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch `url`. A robots.txt that is missing
        (4xx) allows everything; one that cannot be read (5xx, network) forbids the whole
        site for now (RFC 9309, 2.3.1.4)."""
        site = origin(url)
        cached = self._robots.get(site)
        ttl = ROBOTS_ERROR_TTL if cached and isinstance(cached[1], FetchError) else ROBOTS_TTL
        if cached is None or time.monotonic() - cached[0] > ttl:
            cached = (time.monotonic(), self._load_robots(site))
            self._robots[site] = cached
        rules = cached[1]
        if isinstance(rules, FetchError):
            raise FetchError(
                url,
                f"robots.txt of {site} cannot be read ({rules.reason}); not fetched",
                hint="try later, or watch add --ignore-robots if you may",
            )
        return rules.can_fetch(self.policy.user_agent, url)

    def _load_robots(self, site: str) -> RobotFileParser | FetchError:
        parser = RobotFileParser()
        url = site + "/robots.txt"
        started = time.monotonic()
        try:
            got = self._get_once(url, {}, ROBOTS_MAX_BYTES, "robots")
        except FetchError as err:
            self._record(url, "robots", None, started, error=err)
            if err.status is not None and 400 <= err.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                return parser
            return err
        self._record(url, "robots", None, started, got=got)
        parser.parse(got.body.decode("utf-8", "replace").splitlines())
        return parser

    # -- requests --------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        ignore_robots: bool = False,
        purpose: str = "article",
        source_id: int | None = None,
    ) -> Fetched:
        """GET `url` (conditionally when `etag` or `last_modified` is given) within the
        policy; raises FetchError with the reason. Every call is logged once."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        try:
            if ignore_robots:
                log.info("robots.txt not consulted for %s (source override)", url)
            elif not self.allowed(url):
                raise FetchError(
                    url,
                    "disallowed by robots.txt",
                    hint="the site asks crawlers not to fetch it; --ignore-robots overrides",
                )
            got = self._get_once(url, headers, self.policy.max_bytes, purpose, ignore_robots)
        except FetchError as err:
            self._record(url, purpose, source_id, started, error=err)
            raise
        self._record(url, purpose, source_id, started, got=got)
        return got

    def _record(
        self,
        url: str,
        purpose: str,
        source_id: int | None,
        started: float,
        *,
        got: Fetched | None = None,
        error: FetchError | None = None,
    ) -> None:
        elapsed = int((time.monotonic() - started) * 1000)
        if got is not None:
            record = FetchRecord(
                url=url,
                purpose=purpose,
                status=got.status,
                bytes=len(got.body),
                elapsed_ms=int(got.elapsed * 1000),  # the exchange, not the polite wait
                attempts=got.attempts,
                etag=got.etag,
                last_modified=got.last_modified,
                redirects=tuple(got.redirects),
                source_id=source_id,
            )
        else:
            assert error is not None
            record = FetchRecord(
                url=url,
                purpose=purpose,
                status=error.status,
                bytes=0,
                elapsed_ms=elapsed,
                error=error.reason,
                source_id=source_id,
            )
        if self.on_fetch is not None:
            self.on_fetch(record)

    def _get_once(
        self,
        url: str,
        headers: dict[str, str],
        max_bytes: int,
        purpose: str,
        ignore_robots: bool = True,
    ) -> Fetched:
        """One logical GET: redirects followed (limited, logged, robots-checked), retries."""
        redirects: list[str] = []
        current = url
        while True:
            got = self._with_retries(current, headers, max_bytes)
            if got.status not in REDIRECT_STATUSES:
                got.url = current
                got.redirects = redirects
                return got
            target = got.location
            if not target:
                raise FetchError(current, f"redirect ({got.status}) without a Location")
            nxt = urljoin(current, target)
            if nxt in redirects or nxt == url:
                raise FetchError(url, f"redirect loop at {nxt}", status=got.status)
            if len(redirects) >= self.policy.max_redirects:
                raise FetchError(
                    url,
                    f"more than {self.policy.max_redirects} redirects",
                    hint="raise watch_max_redirects if the site needs more",
                    status=got.status,
                )
            log.info("%s: redirect %d to %s (%s)", url, got.status, nxt, purpose)
            redirects.append(nxt)
            if not ignore_robots and not self.allowed(nxt):
                raise FetchError(nxt, "redirected to a URL disallowed by robots.txt")
            current = nxt

    def _with_retries(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        attempt = 0
        while True:
            attempt += 1
            try:
                got = self.gate.run(host_of(url), lambda: self._request(url, headers, max_bytes))
            except FetchError as err:
                if not err.retryable or attempt > self.policy.retries:
                    raise
                wait = self._backoff(attempt)
                log.info("%s: %s; retry %d in %.1fs", url, err.reason, attempt, wait)
                self._sleep(wait)
                continue
            got.attempts = attempt
            if got.status not in RETRY_STATUSES:
                return got
            asked = retry_after(got.retry_after)
            if attempt > self.policy.retries:
                raise FetchError(url, f"HTTP {got.status} after {attempt} tries", status=got.status)
            wait = asked if asked is not None else self._backoff(attempt)
            if wait > self.policy.max_wait:
                raise FetchError(
                    url,
                    f"HTTP {got.status}, asked to wait {wait:.0f}s (over watch_max_wait)",
                    status=got.status,
                )
            log.info("%s: HTTP %d; retry %d in %.1fs", url, got.status, attempt, wait)
            self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        base = self.policy.backoff * (2.0 ** (attempt - 1))
        return min(self.policy.max_wait, base * (1 + JITTER * self._rng.random()))

    def _request(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        """One HTTP exchange, body read up to `max_bytes` (decompressed)."""
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                status = resp.status_code
                if status in REDIRECT_STATUSES:
                    location = resp.headers.get("location")
                    return Fetched(url, status, b"", "", None, None, location=location)
                if status in RETRY_STATUSES:
                    wait = resp.headers.get("retry-after")
                    return Fetched(url, status, b"", "", None, None, retry_after=wait)
                if status == NOT_MODIFIED:
                    body = b""
                elif status >= 400:
                    raise FetchError(url, f"HTTP {status}", status=status)
                else:
                    declared = resp.headers.get("content-length", "")
                    if (
                        declared.isdigit()
                        and int(declared) > max_bytes
                        and not resp.headers.get("content-encoding")
                    ):
                        raise _TooLarge(
                            url, f"is {int(declared):,} bytes, over the limit of {max_bytes:,}"
                        )
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise _TooLarge(url, f"is over the limit of {max_bytes:,} bytes")
                        chunks.append(chunk)
                    body = b"".join(chunks)
                return Fetched(
                    url=url,
                    status=status,
                    body=body,
                    content_type=resp.headers.get("content-type", ""),
                    etag=resp.headers.get("etag"),
                    last_modified=resp.headers.get("last-modified"),
                    elapsed=time.monotonic() - started,
                )
        except httpx.DecodingError as exc:
            raise FetchError(url, f"body cannot be decompressed ({exc})") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}", retryable=True) from exc


class _TooLarge(FetchError, InputTooLargeError):
    """A body over the size limit: not retried (it would be as large again)."""

    code = "input_too_large"
