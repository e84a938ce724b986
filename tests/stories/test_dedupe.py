"""Near-duplicate lookup over stored MinHash signatures."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from storyline.stories.dedupe import DuplicateIndex, from_bytes, signature, to_bytes

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
