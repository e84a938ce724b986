"""Inferred dates look different from stated ones on the pages (issue 16)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from storyline.store import Store


def test_an_inferred_article_date_is_marked_in_header_and_lists(
    client: TestClient, web_db: Path
) -> None:
    reader = Store(web_db)
    con = reader.conn
    row = con.execute(
        "SELECT a.id, a.published, a.event_id FROM articles a "
        "WHERE a.published_source = 'inferred' AND a.event_id IS NOT NULL LIMIT 1"
    ).fetchone()
    stated = con.execute(
        "SELECT id, published FROM articles WHERE published_source IN ('metadata', 'text') LIMIT 1"
    ).fetchone()
    reader.close()
    assert row is not None, "the example corpus has articles dated from their text"
    article, published, event = row
    page = client.get(f"/articles/{article}?lang=en").text
    assert f"≈{published[:10]}" in page and 'class="inferred"' in page
    listing = client.get(f"/events/{event}?lang=de").text
    assert f"≈{published[:10]}" in listing
    assert "erschlossen: aus dem Text gefolgert" in listing  # the legend, translated
    if stated is not None:
        assert f"≈{stated[1][:10]}" not in client.get(f"/articles/{stated[0]}?lang=en").text


def test_event_records_say_whether_their_date_is_inferred(client: TestClient) -> None:
    events = client.get("/api/v1/events").json()["items"]
    assert events and all(isinstance(e["date_inferred"], bool) for e in events)
