"""The band index of near duplicates in the store (store/duplicates.py)."""

from __future__ import annotations

from pathlib import Path

from storyline.jobs.ingest import ingest, load_duplicate_index
from storyline.store import Store
from storyline.store import duplicates as dupes
from storyline.stories.dedupe import band_keys, from_bytes, signature

WIRE = (
    "Die Schlichterin stellte am Freitag in Hamburg den Kompromiss vor. Die Löhne steigen "
    "in zwei Stufen, dazu kommt eine Einmalzahlung. Beide Seiten zeigten sich erleichtert, "
    "die Gewerkschaft will ihre Mitglieder im September abstimmen lassen."
)


def _bands(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM signature_bands").fetchone()[0])


def test_ingest_finds_a_copy_through_the_bands(tmp_path: Path, make_article: object) -> None:
    (tmp_path / "a.txt").write_text("Kompromiss im Hafen\n\n" + WIRE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Hafen: Einigung\n\n" + WIRE + " Mehr dazu morgen.", encoding="utf-8"
    )
    with Store(tmp_path / "s.db") as store:
        first = ingest([str(tmp_path / "a.txt")], store, stories=False)
        second = ingest([str(tmp_path / "b.txt")], store, stories=False)
        assert second.duplicates == [(second.stored[0], first.stored[0])]
        assert _bands(store) == 32  # only the original is indexed


def test_an_older_store_is_backfilled_once_and_resumes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        for i in range(7):
            (tmp_path / f"{i}.txt").write_text(
                f"Meldung {i}\n\n" + " ".join(f"wort{i}x{k}" for k in range(40)), encoding="utf-8"
            )
        ingest([str(tmp_path)], store, stories=False)
        assert _bands(store) == 7 * 32
        # as a store made before the index: no bands, backfill pending
        with store.transaction():
            store.conn.execute("DELETE FROM signature_bands")
            store.conn.execute(
                "UPDATE backfills SET done_at = NULL, progress = 0 WHERE name = 'signature_bands'"
            )
        dupes.BACKFILL_CHUNK = 3
        try:
            assert dupes.backfill_bands(store, lambda b: band_keys(from_bytes(b))) == 7
        finally:
            dupes.BACKFILL_CHUNK = 5000
        assert _bands(store) == 7 * 32
        assert dupes.backfill_bands(store, lambda b: band_keys(from_bytes(b))) == 0  # once
        index = load_duplicate_index(store)
        text = store.conn.execute("SELECT text FROM articles ORDER BY rowid LIMIT 1").fetchone()[0]
        found = index.find(signature(text))
        assert found is not None and found[1] == 1.0
