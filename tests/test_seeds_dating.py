"""The seeds' previews dated before what they announce (issue 16's 'done when').

The reference dates are the issue's: RT previews the visit of 18-19 June 2024 and was
published in mid-June (within 3 days of 15 June); BBC previews the summit of 13 September
2023 and was published about 5 September. Reads ../shared/seeds (skips if absent).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.store import Store
from storyline.stories.dating import interval
from storyline.stories.timeline import build_timeline

pytestmark = pytest.mark.seeds

RT_REFERENCE = date(2024, 6, 15)
VISIT = date(2024, 6, 18)
SUMMIT = date(2023, 9, 13)
WITHIN_DAYS = 3


def _published(store: Store) -> dict[str, date]:
    out = {}
    for article, source in store.conn.execute("SELECT article_id, source FROM sources"):
        value = store.get_article(article)["published"]
        out[Path(source).name[:3]] = date.fromisoformat(value[:10])
    return out


def test_seeds_previews_are_dated_before_what_they_announce(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        when = _published(store)
    assert when["004"] < VISIT and abs((when["004"] - RT_REFERENCE).days) <= WITHIN_DAYS
    assert when["002"] < SUMMIT and abs((when["002"] - date(2023, 9, 5)).days) <= WITHIN_DAYS


def test_seeds_timeline_has_no_entry_from_a_quote_nor_after_a_preview(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        story = store.conn.execute("SELECT id FROM stories").fetchone()[0]
        entries = build_timeline(store, story)
        quotes = store.conn.execute("SELECT article_id, start, end FROM quotes WHERE kind='direct'")
        quoted = {(a, s, e) for a, s, e in quotes}
        rt = next(
            a
            for a, s in store.conn.execute("SELECT article_id, source FROM sources")
            if Path(s).name.startswith("004")
        )
        rt_published = store.get_article(rt)["published"]
    for e in entries:
        for s in e.sources:
            assert not any(
                a == s["article"] and qs <= s["start"] and s["end"] <= qe for a, qs, qe in quoted
            ), e.text
        if any(s["article"] == rt for s in e.sources):
            lo = interval(e.date)
            assert lo is not None and lo[0].isoformat() <= rt_published, (e.date, e.text)
    texts = [(e.text, e.date) for e in entries]
    assert len({t for t, _ in texts}) == len(texts)  # one sentence, one entry
