"""Timelines: sentences from the articles at their dates, one entry per fact."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import truth_ids

from storyline.store import Store
from storyline.stories.dating import interval
from storyline.stories.timeline import build_timeline


def test_timeline_text_is_a_sentence_of_a_source(examples_db: Path) -> None:
    with Store(examples_db) as store:
        stories = [r[0] for r in store.conn.execute("SELECT id FROM stories")]
        texts = {a["id"]: a["text"] for a in store.iter_articles()}
        for story in stories:
            entries = build_timeline(store, story)
            assert entries
            starts = [interval(e.date)[0] for e in entries]  # type: ignore[index]
            assert starts == sorted(starts)
            for e in entries:
                spans = [texts[s["article"]][s["start"] : s["end"]] for s in e.sources]
                assert any(e.text in span for span in spans), e.text
                assert len({(s["article"], s["start"]) for s in e.sources}) == len(e.sources)


def test_timeline_one_entry_for_a_day_reported_by_several_outlets(examples_db: Path) -> None:
    with Store(examples_db) as store:
        ids = truth_ids(store)
        story = store.get_article(ids["hafenstreik-01-rheinische-abendpost.txt"])["story"]
        entries = build_timeline(store, story)
    strike_day = [e for e in entries if e.date == "2025-03-04"]
    assert len(strike_day) == 1
    assert len({s["outlet"] for s in strike_day[0].sources}) >= 2
    # background inside a later article sits at its own date, not at the article's
    assert any(e.date.startswith("2025-03-14") for e in entries)
