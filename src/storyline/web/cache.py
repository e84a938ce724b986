"""A small in-process cache for the expensive parts of a page, keyed by what they read.

Why: a story's timeline and source comparison are computed from all of its articles
(a second or more for a story of several hundred articles on two cores), while the page
must come back in a few hundred milliseconds. Each entry is stored with a version: a
cheap query over what the computation reads (article count, newest rowid, newest
analysis and cluster change). A changed store yields a new version and a fresh result,
so the cache never serves what the store no longer says; nothing needs invalidating.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from storyline.store.stories import Version, store_version, story_version

__all__ = ["PageCache", "Version", "store_version", "story_version"]

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
