"""In-process caches: the expensive parts of a page, keyed by what they read
(:class:`PageCache`), and whole responses, kept while the store is unchanged
(:class:`ResponseCache`).

Why the first: a story's timeline and source comparison are computed from all of its articles
(a second or more for a story of several hundred articles on two cores), while the page
must come back in a few hundred milliseconds. Each entry is stored with a version: a
cheap query over what the computation reads (article count, newest rowid, newest
analysis and cluster change). A changed store yields a new version and a fresh result,
so the cache never serves what the store no longer says; nothing needs invalidating.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar, cast

from starlette.requests import Request
from starlette.responses import Response

from storyline.store.changes import ChangeWatch
from storyline.store.stories import Version, store_version, story_version

__all__ = [
    "PageCache",
    "ResponseCache",
    "Version",
    "cached_read",
    "store_version",
    "story_version",
]

T = TypeVar("T")


class PageCache:
    """Least-recently-used results, `size` at most, safe to share between threads."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Version, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Version, compute: Callable[[], T]) -> T:
        """The result cached for `key` at `version`, else `compute()` (outside the lock:
        two requests may compute the same thing once each, neither waits on the other)."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == version:
                self._items.move_to_end(key)
                return cast(T, hit[1])
        value = compute()
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


# -- whole responses ----------------------------------------------------------------------


@dataclass
class _Entry:
    marker: object  #: the store's change marker read before the response was made
    made: float  #: time.monotonic() when making it began
    raw_headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """Finished responses of the read-only pages and API reads, by path and query.

    Why: a page is rendered from many queries (a search ranks every match, a story page
    reads hundreds of articles), tens of milliseconds each, while many analysts read the
    same few pages. A response is served again while the store is unchanged (its change
    marker, storyline.store.changes, is the same as when the response was made). While
    another process writes, the marker moves with every commit; then a response is served
    for up to `refresh` seconds after it was made before it is made again (the HTTP
    ``Age`` header says how old it is), and while one request makes it again, the others
    get the previous one instead of queueing behind it, so reads never wait for each
    other. Writes made through this server (API ingest) call :meth:`expire`: the next
    read after them is current. `max_bytes` bounds the memory it takes (least recently
    used first out); 0 turns it off.
    """

    def __init__(self, watch: ChangeWatch, refresh: float, max_bytes: int) -> None:
        self.watch = watch
        self.refresh = refresh
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._making: dict[Hashable, threading.Event] = {}
        self._expired_before = float("-inf")
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def expire(self) -> None:
        """Everything made so far is out of date once the store has changed: the next
        request for it makes it again (writes through this server call this)."""
        with self._lock:
            self._expired_before = time.monotonic()

    def respond(self, key: Hashable, make: Callable[[], Response]) -> Response:
        """The response for `key`: kept, or made by `make()` (only 200 answers with a
        body are kept)."""
        if not self.enabled:
            return make()
        while True:
            marker = self.watch.marker()
            now = time.monotonic()
            with self._lock:
                entry = self._items.get(key)
                making = self._making.get(key)
                if entry is not None and self._usable(entry, marker, now, making is not None):
                    self._items.move_to_end(key)
                    return _replay(entry, now)
                if making is None:
                    self._making[key] = threading.Event()
                    break
            making.wait(MAKE_WAIT_SECONDS)  # another request is making it: use theirs
        try:
            response = make()
        finally:
            with self._lock:
                self._making.pop(key).set()
        body = getattr(response, "body", None)
        if response.status_code == 200 and isinstance(body, bytes):
            self._keep(key, _Entry(marker, now, list(response.raw_headers), body))
        return response

    def _usable(self, entry: _Entry, marker: object, now: float, being_made: bool) -> bool:
        if entry.made < self._expired_before:
            return being_made  # out of date: only while the new one is being made
        if entry.marker == marker:
            return True
        return being_made or now - entry.made < self.refresh

    def _keep(self, key: Hashable, entry: _Entry) -> None:
        size = len(entry.body)
        if size > self.max_bytes // LARGEST_SHARE:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)


#: a response larger than this share of the cache is not kept (it would push out many)
LARGEST_SHARE = 8
#: seconds a request waits for another that makes the same response before making it too
MAKE_WAIT_SECONDS = 30.0


def _replay(entry: _Entry, now: float) -> Response:
    response = Response(entry.body, status_code=200)
    response.raw_headers = [
        *entry.raw_headers,
        (b"age", str(int(now - entry.made)).encode("latin-1")),
    ]
    return response


def cached_read(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """`endpoint` (a page or API read that depends only on its path, its query and the
    store) answered through the app's :class:`ResponseCache`."""

    @functools.wraps(endpoint)
    def read(request: Request) -> Response:
        responses: ResponseCache | None = getattr(request.app.state, "responses", None)
        if responses is None or request.method not in ("GET", "HEAD"):
            return endpoint(request)
        key = (request.url.path, request.url.query)
        return responses.respond(key, lambda: endpoint(request))

    return read
