"""A page flagged as not an article shows its reason on the article page and in the API
(issue 16); the page is fictional (tests/clean/pages/)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from storyline.jobs.ingest import ingest
from storyline.store import Store
from storyline.web.app import create_app

PAGES = Path(__file__).resolve().parents[1] / "clean" / "pages"


def test_web_flagged_page_shows_why_it_is_not_an_article(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    with Store(db) as store:
        assert ingest([str(PAGES / "php.txt")], store).ok
        (article_id,) = store.conn.execute("SELECT id FROM articles").fetchone()
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        page = client.get(f"/articles/{article_id}?lang=en").text
        record = client.get(f"/api/v1/articles/{article_id}").json()
    assert "Not an article page" in page and "error-output" in page
    assert record["quality"].startswith("error-output:")
