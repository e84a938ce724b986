"""Near-duplicate detection with MinHash LSH (datasketch).

A syndicated wire story republished with different junk around it, a changed
headline or a dropped sentence is still the same article. Exact copies are
caught by the clean-text hash; near copies by the Jaccard similarity of their
word 5-gram shingles, estimated with MinHash and looked up with LSH so that
adding one article to a large store stays fast.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
#: Hash scheme of stored signatures; pinned so signatures stay comparable across versions.
SCHEME = "affine32"
SHINGLE = 5
#: Estimated Jaccard similarity of shingle sets at or above which two texts are duplicates.
THRESHOLD = 0.7
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch(list(shingles(text)))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).tobytes())


def from_bytes(data: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME
    )


class DuplicateIndex:
    """Signatures of the stored originals, searchable for near duplicates."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures: dict[str, MinHash] = {}
        self.order: dict[str, int] = {}

    def add(self, article_id: str, mh: MinHash) -> None:
        if article_id in self.signatures:
            return
        self.lsh.insert(article_id, mh)
        self.signatures[article_id] = mh
        self.order[article_id] = len(self.order)

    def find(self, mh: MinHash) -> tuple[str, float] | None:
        """The earliest stored original at or above the threshold, with its similarity."""
        best: tuple[str, float] | None = None
        for key in self.lsh.query(mh):
            sim = float(mh.jaccard(self.signatures[key]))
            if sim < self.threshold:
                continue
            if best is None or self.order[key] < self.order[best[0]]:
                best = (key, sim)
        return best
