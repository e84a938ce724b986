"""Reading claims: the library refreshes a stale story, the web layer reads as stored."""

from __future__ import annotations

from pathlib import Path

from storyline.compare import compare
from storyline.store import Store


def _largest_story(store: Store) -> str:
    row = store.conn.execute(
        "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id "
        "GROUP BY e.story_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return str(row[0])


def test_a_read_without_refresh_serves_stored_claims_and_says_they_lag(
    examples_copy: Path,
) -> None:
    with Store(examples_copy) as store:
        story = _largest_story(store)
        fresh = compare(store, story)
        assert fresh["claims_state"]["current"] is True
        assert fresh["claims_state"]["computed_at"]
        # the story changes (here: its state is forgotten) and nobody has recomputed yet
        store.conn.execute("UPDATE claim_state SET members = 'older' WHERE story_id = ?", (story,))
        stored = compare(store, story, refresh=False)
        assert stored["claims_state"]["current"] is False
        assert [c["id"] for c in stored["claims"]] == [c["id"] for c in fresh["claims"]]
        assert (
            store.conn.execute(
                "SELECT members FROM claim_state WHERE story_id = ?", (story,)
            ).fetchone()[0]
            == "older"
        )  # nothing was computed or written
        again = compare(store, story)  # the library refreshes
        assert again["claims_state"]["current"] is True
