"""Quality gate for events and stories: pinned pairwise floors on the example corpus.

Measured 2026-11-23 (`python -m bench.clustering`): events and stories P/R 1.00/1.00;
all 6 inferred publication dates within one day. The corpus was written for storyline
and the grouping was tuned with it in view: a regression gate, not an estimate.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.clustering import pairwise
from tests.conftest import example_truth, truth_ids

from storyline.store import Store

EVENT_F1_FLOOR = 0.95
STORY_F1_FLOOR = 0.95
DATES_WITHIN_ONE_DAY_FLOOR = 5


def test_gate_stories_example_grouping(examples_db: Path) -> None:
    truth = example_truth()["articles"]
    with Store(examples_db) as store:
        ids = truth_ids(store)
        events = dict(store.conn.execute("SELECT id, event_id FROM articles").fetchall())
        story_of = dict(store.conn.execute("SELECT id, story_id FROM events").fetchall())
        published = dict(store.conn.execute("SELECT id, published FROM articles").fetchall())
    stories = {a: story_of.get(e) for a, e in events.items()}
    ev = pairwise(events, {ids[a["file"]]: a["event"] for a in truth})
    st = pairwise(stories, {ids[a["file"]]: a["story"] for a in truth})
    assert ev["f1"] >= EVENT_F1_FLOOR, ev
    assert st["f1"] >= STORY_F1_FLOOR, st
    close = sum(
        abs(
            (
                date.fromisoformat(published[ids[a["file"]]]) - date.fromisoformat(a["published"])
            ).days
        )
        <= 1
        for a in truth
    )
    assert close >= len(truth) - (6 - DATES_WITHIN_ONE_DAY_FLOOR)
