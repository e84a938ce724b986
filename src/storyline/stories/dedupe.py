"""Near-duplicate detection with MinHash signatures (datasketch) and LSH bands.

A syndicated wire story republished with different junk around it, a changed
headline or a dropped sentence is still the same article. Exact copies are
caught by the clean-text hash; near copies by the Jaccard similarity of their
word 5-gram shingles, estimated with MinHash signatures.

Why bands: comparing a new article with every stored signature reads the whole store
(a gigabyte of signatures at a million articles) for each ingest. Each signature is cut
into `BANDS` bands of `ROWS` values, and the store keeps an index of band hashes; only
articles sharing a band with the new one are compared, exactly (:class:`BandedDuplicates`).
Two texts of Jaccard similarity J share a band with probability 1 - (1 - J^ROWS)^BANDS:
0.9998 at the 0.7 threshold, so banding loses almost nothing of the exact comparison.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
#: Hash scheme of stored signatures; pinned so signatures stay comparable across versions.
SCHEME = "affine32"
SHINGLE = 5
#: Estimated Jaccard similarity of shingle sets at or above which two texts are duplicates.
THRESHOLD = 0.7
#: LSH banding of a signature (BANDS * ROWS = NUM_PERM); see the module's docstring
BANDS, ROWS = 32, 4
_WORD = re.compile(r"\w+")
_SEED = 1  # datasketch's default seed, which `signature` uses


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)
    mh.update_batch(list(shingles(text)))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def from_bytes(data: bytes) -> np.ndarray:
    """A stored signature's hash values."""
    return np.frombuffer(data, dtype=np.uint64)


class DuplicateIndex:
    """Signatures of the stored originals as one matrix, searchable for near duplicates.

    Why not LSH: the estimated Jaccard similarity of two MinHash signatures is the share
    of equal hash values, so one vectorised comparison against all stored signatures
    finds every near duplicate exactly, in about a millisecond per 10,000 articles, and
    loading a store's signatures is one read. An LSH index (datasketch's) must be rebuilt
    in memory on every run, which at 10,000 articles took most of a second.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.ids: list[str] = []
        self._known: set[str] = set()
        self._rows = np.zeros((0, NUM_PERM), dtype=np.uint64)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, article_id: str, mh: MinHash | np.ndarray) -> None:
        if article_id in self._known:
            return
        values = _values(mh)
        n = len(self.ids)
        if n == self._rows.shape[0]:  # grow by doubling: adding stays linear overall
            grown = np.zeros((max(64, 2 * n), NUM_PERM), dtype=np.uint64)
            grown[:n] = self._rows[:n]
            self._rows = grown
        self._rows[n] = values
        self.ids.append(article_id)
        self._known.add(article_id)

    def find(self, mh: MinHash | np.ndarray) -> tuple[str, float] | None:
        """The earliest stored original at or above the threshold, with its similarity."""
        if not self.ids:
            return None
        sims = (self._rows[: len(self.ids)] == _values(mh)).mean(axis=1)
        hits = np.flatnonzero(sims >= self.threshold)
        if not len(hits):
            return None
        first = int(hits[0])
        return self.ids[first], float(sims[first])


def _values(mh: MinHash | np.ndarray) -> np.ndarray:
    values = mh.hashvalues if isinstance(mh, MinHash) else mh
    return np.asarray(values, dtype=np.uint64)


def band_keys(mh: MinHash | np.ndarray) -> list[int]:
    """The signature's band hashes, as signed 64-bit integers (SQLite's INTEGER)."""
    values = _values(mh)
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


#: the stored originals sharing any of these band keys: (article id, signature bytes),
#: oldest first
Lookup = Callable[[Sequence[int]], list[tuple[str, bytes]]]
#: remember an original's band keys
Remember = Callable[[str, Sequence[int]], None]


class BandedDuplicates:
    """Near duplicates among the stored originals, found through their band keys; the
    candidates are then compared exactly, and the earliest at the threshold wins (as a
    comparison with every stored original would decide)."""

    def __init__(self, lookup: Lookup, remember: Remember, threshold: float = THRESHOLD) -> None:
        self.lookup, self.remember, self.threshold = lookup, remember, threshold

    def find(self, mh: MinHash | np.ndarray) -> tuple[str, float] | None:
        candidates = DuplicateIndex(self.threshold)
        for article_id, blob in self.lookup(band_keys(mh)):
            candidates.add(article_id, from_bytes(blob))
        return candidates.find(mh)

    def add(self, article_id: str, mh: MinHash | np.ndarray) -> None:
        self.remember(article_id, band_keys(mh))
