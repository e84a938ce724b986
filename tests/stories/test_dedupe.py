"""Near-duplicate lookup over stored MinHash signatures."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.stories.dedupe import (
    THRESHOLD,
    BandedDuplicates,
    DuplicateIndex,
    from_bytes,
    signature,
    to_bytes,
)

WIRE = (
    "Die Schlichterin stellte am Freitag in Hamburg den Kompromiss vor. Die Löhne steigen "
    "in zwei Stufen, dazu kommt eine Einmalzahlung. Beide Seiten zeigten sich erleichtert, "
    "die Gewerkschaft will ihre Mitglieder im September abstimmen lassen. Der Betreiber "
    "kündigte an, Investitionen in die Automatisierung zu strecken."
)


def test_dedupe_finds_a_copy_with_a_dropped_sentence() -> None:
    index = DuplicateIndex()
    index.add("original", signature(WIRE))
    index.add("other", signature("Ganz anderer Text über das Wetter in Bayern und Tirol heute."))
    copy = WIRE.replace(" Der Betreiber kündigte an, Investitionen in die Automatisierung zu strecken.", "")
    found = index.find(signature(copy))
    assert found is not None and found[0] == "original" and 0.7 <= found[1] < 1.0


def test_dedupe_earliest_original_wins_and_unrelated_finds_nothing() -> None:
    index = DuplicateIndex()
    for name in ("first", "second"):
        index.add(name, signature(WIRE))
    index.add("first", signature("wird nicht zweimal aufgenommen"))
    assert len(index) == 2
    assert index.find(signature(WIRE)) == ("first", 1.0)
    assert index.find(signature("Der Stadtrat beschloss am Dienstag den Haushalt.")) is None
    assert DuplicateIndex().find(signature(WIRE)) is None


def test_dedupe_index_grows_past_its_first_block() -> None:
    index = DuplicateIndex()
    for i in range(200):
        index.add(f"a{i}", signature(f"Meldung Nummer {i} " + " ".join(str(i * k) for k in range(30))))
    index.add("wire", signature(WIRE))
    assert index.find(signature(WIRE)) == ("wire", 1.0)


@given(st.text(min_size=1, max_size=200))
def test_dedupe_signature_round_trips_through_bytes(text: str) -> None:
    mh = signature(text)
    assert np.array_equal(from_bytes(to_bytes(mh)), mh.hashvalues)


class _Bands:
    """An in-memory band index, as the store keeps one (store/duplicates.py)."""

    def __init__(self) -> None:
        self.bands: dict[int, list[str]] = {}
        self.signatures: dict[str, bytes] = {}
        self.looked_at = 0

    def lookup(self, keys: Sequence[int]) -> list[tuple[str, bytes]]:
        found = {a for k in keys for a in self.bands.get(k, [])}
        order = list(self.signatures)
        self.looked_at += len(found)
        return [(a, self.signatures[a]) for a in sorted(found, key=order.index)]

    def remember(self, article_id: str, keys: Sequence[int]) -> None:
        for k in keys:
            self.bands.setdefault(k, []).append(article_id)


def _banded(texts: dict[str, str]) -> tuple[BandedDuplicates, _Bands]:
    bands = _Bands()
    index = BandedDuplicates(bands.lookup, bands.remember)
    for name, text in texts.items():
        mh = signature(text)
        bands.signatures[name] = to_bytes(mh)
        index.add(name, mh)
    return index, bands


def test_banded_lookup_finds_the_copy_and_compares_few_signatures() -> None:
    texts = {
        f"a{i}": f"Meldung Nummer {i} " + " ".join(str(i * k) for k in range(30)) for i in range(200)
    }
    texts["original"] = WIRE
    texts["later"] = WIRE
    index, bands = _banded(texts)
    copy = WIRE.replace(" Der Betreiber kündigte an, Investitionen in die Automatisierung zu strecken.", "")
    found = index.find(signature(copy))
    assert found is not None and found[0] == "original"  # the earliest of the two
    assert bands.looked_at <= 5  # not the 202 stored ones
    assert index.find(signature("Der Stadtrat beschloss am Dienstag den Haushalt.")) is None


@settings(deadline=None)  # signatures cost milliseconds each; a busy machine is slower
@given(st.lists(st.text(alphabet="abcde fgh", min_size=20, max_size=120), min_size=1, max_size=8))
def test_banded_lookup_decides_as_comparing_with_every_signature(texts: list[str]) -> None:
    """Texts of Jaccard similarity 0.9 or more share a band but with probability 1e-15, so
    there the banded look-up finds what the exhaustive comparison finds; nearer the
    threshold it may miss (1 - (1 - 0.7^4)^32 = 0.9998 at 0.7), never find a wrong one."""
    named = {f"t{i}": t for i, t in enumerate(texts)}
    banded, _ = _banded(named)
    exact = DuplicateIndex()
    for name, text in named.items():
        exact.add(name, signature(text))
    for text in texts:
        want = exact.find(signature(text))
        assert want is not None  # the text itself is stored
        got = banded.find(signature(text))
        if want[1] >= 0.9:
            assert got == want
        else:
            assert got is None or got[1] >= THRESHOLD
