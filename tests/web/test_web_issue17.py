"""Issue 17's page fixes: one language per page, charts that scale with the data, German
search dates, a story page that opens with its summary."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from storyline.i18n import evidence_text, iso_day, local_day
from storyline.web.charts import MAX_SLOT, month_bars


def test_web_evidence_codes_are_translated_labels() -> None:
    label, detail = evidence_text("text:outlet-name", "Rheinische Abendpost", "de")
    assert label == "Name des Mediums im Text" and detail == "Rheinische Abendpost"
    label, _ = evidence_text("inferred (confidence 0.45)", "am Dienstag", "de")
    assert "confidence" not in label and "inferred" not in label
    label, detail = evidence_text(
        "url", "example.org (not a known outlet; host name used)", "de"
    )
    assert "not a known" not in detail and label == "aus der Adresse"
    label, _ = evidence_text("text:something-new", "x", "en")
    assert ":" not in label  # an unknown code gets its kind's label, never the code


def test_web_german_days_are_typed_and_shown_the_german_way() -> None:
    assert iso_day("7.6.2024") == "2024-06-07" and iso_day("2024-06-07") == "2024-06-07"
    assert local_day("2024-06-07T10:00:00", "de") == "07.06.2024"
    assert local_day("2024-06-07", "en") == "2024-06-07"


def test_web_one_month_of_data_is_a_short_bar() -> None:
    svg = str(month_bars({"2025-03": 4}, title="x"))
    widths = [float(w) for w in re.findall(r'<rect[^>]* width="([\d.]+)"', svg)]
    assert widths and max(widths) <= MAX_SLOT


def test_web_article_page_shows_no_raw_evidence_codes(
    client: TestClient, ids: dict[str, str]
) -> None:
    html = client.get(f"/articles/{ids['article']}?lang=de").text
    assert "text:" not in html and "inferred (" not in html and "confidence" not in html


def test_web_german_search_has_german_date_fields(client: TestClient) -> None:
    html = client.get("/search?q=Streik&from=01.03.2025&lang=de").text
    assert 'type="date"' not in html and "TT.MM.JJJJ" in html
    assert re.search(r"\b\d{2}\.\d{2}\.20\d{2}\b", html), "result dates in German format"


def test_web_story_page_opens_with_summary_events_and_claims(
    client: TestClient, ids: dict[str, str]
) -> None:
    html = client.get(f"/stories/{ids['story']}").text
    order = [html.find(f'id="{s}"') for s in ("brief", "events", "compare", "timeline")]
    assert all(i > 0 for i in order) and order == sorted(order)
