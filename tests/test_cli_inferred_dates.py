"""The command line marks dates inferred from the text (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from storyline.store import Store
from storyline.stories.read import event_record


def test_list_marks_inferred_dates_with_a_legend(
    cli: Callable[..., Result], examples_db: Path
) -> None:
    reader = Store(examples_db)
    con = reader.conn
    inferred = con.execute(
        "SELECT id, published FROM articles WHERE published_source = 'inferred' LIMIT 1"
    ).fetchone()
    stated = con.execute(
        "SELECT id, published FROM articles WHERE published_source IN ('metadata', 'text') LIMIT 1"
    ).fetchone()
    reader.close()
    r = cli("list", "--db", examples_db, "--limit", "1000")
    assert r.exit_code == 0, r.output
    lines = {line[:12]: line for line in r.stdout.splitlines()}
    assert f"≈{inferred[1]}" in lines[inferred[0][:12]]
    assert "≈" not in lines[stated[0][:12]]
    assert "≈ = date inferred from the text" in r.stderr


def test_event_record_date_inferred_follows_its_articles(examples_db: Path) -> None:
    with Store(examples_db) as store:
        events = [r[0] for r in store.conn.execute("SELECT id FROM events")]
        for e in events:
            rec = event_record(store, e, full=True)
            stated = any(
                a["published_source"] in ("metadata", "text") for a in rec["article_details"]
            )
            assert rec["date_inferred"] == (rec["date"] is not None and not stated)


def test_story_list_says_whether_its_dates_are_all_inferred(examples_db: Path) -> None:
    from storyline.stories.read import list_stories

    with Store(examples_db) as store:
        for s in list_stories(store):
            stated = store.conn.execute(
                "SELECT count(*) FROM articles a JOIN events e ON e.id = a.event_id "
                "WHERE e.story_id = ? AND a.published_source IN ('metadata', 'text')",
                (s["id"],),
            ).fetchone()[0]
            assert s["dates_inferred"] == (s["first"] is not None and stated == 0)
