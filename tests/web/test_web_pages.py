"""Every page of the web UI through Starlette's TestClient: status, content, links,
language, prefixes, paging and error pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from storyline.store import Store
from storyline.web.security import CSP


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def test_web_stories_list(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Geschichten" in r.text
    assert f"/stories/{ids['story']}" in r.text
    assert "2025-03-04 – 2025-09-19" in r.text  # the port strike's date range
    assert "de, en" in r.text


def test_web_story_page(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/stories/{ids['story']}")
    assert r.status_code == 200
    text = r.text
    assert "<svg" in text and "timeline-chart" in text  # the server-made chart
    for section in ("events", "actors", "timeline", "compare", "quotes", "articles"):
        assert f'id="{section}"' in text
    assert f"/events/{ids['event']}" in text
    assert "Renate Brandt" in text  # a key actor
    assert "Quellenvergleich" in text
    assert "Hansekurier Digital" in text  # an outlet of the comparison
    assert "Abweichende Zahlen" in text  # 4,200 vs 3,900 strikers, as the corpus plants
    assert text.count('<ol class="timeline"') >= 1


def test_web_story_prefix_redirects_to_full_id(client: TestClient, ids: dict[str, str]) -> None:
    short = ids["story"][:6]
    r = client.get(f"/stories/{short}?lang=en", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == f"/stories/{ids['story']}?lang=en"
    assert client.get(f"/stories/{short}").status_code == 200


def test_web_event_page(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/events/{ids['event']}")
    assert r.status_code == 200
    assert f"/stories/{ids['story']}" in r.text
    assert "unabhängige Quelle" in r.text


def test_web_article_page(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/articles/{ids['article']}")
    assert r.status_code == 200
    text = r.text
    for cls in ("ent ent-per", "quote quote-", 'class="date"', 'class="fig"'):
        assert cls in text
    assert "<details" in text and "entfernte Zeilen" in text
    assert "Eingelesen aus" in text
    assert re.search(r'href="/entities/e[0-9a-f]+"', text)


def test_web_article_prefix(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/articles/{ids['article'][:6]}", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"].endswith(ids["article"])


def test_web_entity_page(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get(f"/entities/{ids['person']}")
    assert r.status_code == 200
    text = r.text
    assert "Renate Brandt" in text
    assert 'class="chart bars"' in text  # mentions per month
    assert "Zitate" in text and "»" in text
    assert "Zusammenführungen" in text
    month = re.search(r'href="(/entities/[^"]+\?month=2025-03)#articles"', text)
    assert month, "bars link to the month's articles"
    only_march = client.get(month.group(1).replace("&amp;", "&"))
    assert only_march.status_code == 200
    assert "2025-06-13" not in only_march.text.split('id="articles"')[1]


def test_web_search_page(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/search", params={"q": "Streiks"})
    assert r.status_code == 200
    assert '<mark class="hit">' in r.text
    assert "/articles/" in r.text
    empty = client.get("/search")
    assert empty.status_code == 200 and 'name="q"' in empty.text


def test_web_search_filters(client: TestClient) -> None:
    english = client.get("/search", params={"q": "strike", "language": "en"})
    assert english.status_code == 200 and "Harbour Times" in english.text
    assert "Rheinische Abendpost · de" not in english.text
    # lang is the interface language, also here: it filters nothing
    german_ui = client.get("/search", params={"q": "Streik", "lang": "en"})
    assert '<html lang="en">' in german_ui.text and "Rheinische Abendpost · de" in german_ui.text
    dated = client.get("/search", params={"q": "Streik", "from": "2025-06-01", "to": "2025-06-30"})
    assert "2025-03-04" not in dated.text.split('class="results"')[-1]
    outlet = client.get("/search", params={"q": "Streik", "outlet": "Hansekurier Digital"})
    assert "Rheinische Abendpost ·" not in outlet.text.split('class="results"')[-1]


def test_web_search_errors_are_shown_in_the_form(client: TestClient) -> None:
    bad_date = client.get("/search", params={"q": "Streik", "from": "gestern"})
    assert bad_date.status_code == 400
    assert "error-box" in bad_date.text and 'value="gestern"' in bad_date.text
    unknown = client.get("/search", params={"q": "Streik", "entity": "zzzzzz"})
    assert unknown.status_code == 400 and "error-box" in unknown.text


def test_web_search_paging(client: TestClient) -> None:
    first = client.get("/search", params={"q": "Hamburg"})
    assert first.status_code == 200
    second = client.get("/search", params={"q": "Hamburg", "page": "2"})
    assert second.status_code == 200


def test_web_language_switch(client: TestClient, ids: dict[str, str]) -> None:
    de = client.get(f"/stories/{ids['story']}")
    en = client.get(f"/stories/{ids['story']}?lang=en")
    assert '<html lang="de">' in de.text and "Chronologie" in de.text
    assert '<html lang="en">' in en.text and "Timeline" in en.text and "Chronologie" not in en.text
    # links keep the language; the switch leads back
    assert f'href="/events/{ids["event"]}?lang=en"' in en.text
    assert f"/stories/{ids['story']}?lang=de" in links(en.text)
    assert f"/stories/{ids['story']}?lang=en" in links(de.text)
    assert client.get("/?lang=xx").text.count('<html lang="de">') == 1


def test_web_default_language_from_the_app(web_db: object) -> None:
    from storyline.web.app import create_app

    with TestClient(create_app(web_db, lang="en")) as c:  # type: ignore[arg-type]
        r = c.get("/")
        assert '<html lang="en">' in r.text and "Stories" in r.text
        assert "lang=" not in "".join(h for h in links(r.text) if h.startswith("/stories/"))


@pytest.mark.parametrize(
    "path", ["/stories/s-nothing", "/events/e-nothing", "/articles/ffffffff", "/entities/zzzzzz"]
)
def test_web_unknown_ids_are_html_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>" in r.text and "storyline" in r.text


def test_web_unknown_page_is_html_404_and_api_is_json(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no/such/route")
    assert api.status_code == 404
    body = api.json()
    assert body["error"] and body["status"] == 404 and "message" in body


def test_web_security_headers_everywhere(client: TestClient, ids: dict[str, str]) -> None:
    for path in ("/", f"/stories/{ids['story']}", "/static/storyline.css", "/nope", "/api/v1/x"):
        r = client.get(path)
        assert r.headers["content-security-policy"] == CSP, path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_web_no_inline_script_or_style(client: TestClient, ids: dict[str, str]) -> None:
    for path in (
        "/",
        f"/stories/{ids['story']}",
        f"/events/{ids['event']}",
        f"/articles/{ids['article']}",
        f"/entities/{ids['person']}",
        "/search?q=Hafen",
    ):
        html = client.get(path).text
        assert "<script" not in html.lower(), path
        assert "style=" not in html.lower(), path
        assert "<style" not in html.lower(), path
        assert "<link" not in html.replace('<link rel="stylesheet" href="/static/', "").replace(
            '<link rel="icon" href="data:,">', ""
        ), path  # nothing loaded from elsewhere


def test_web_static_css(client: TestClient) -> None:
    r = client.get("/static/storyline.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert "url(" not in r.text and "@import" not in r.text  # nothing from elsewhere


def test_web_briefing_links(client: TestClient, ids: dict[str, str]) -> None:
    from storyline.web import data

    story = client.get(f"/stories/{ids['story']}").text
    r = client.get(f"/stories/{ids['story']}/briefing.md")
    if data.briefings_available():
        assert "briefing.html" in story
        assert r.status_code == 200
        assert "attachment" in r.headers["content-disposition"]
    else:
        assert "Briefings sind in dieser Version" in story
        assert r.status_code == 404
    assert client.get(f"/stories/{ids['story']}/briefing.exe").status_code == 404


def test_web_search_by_entity_prefix_names_it(client: TestClient, ids: dict[str, str]) -> None:
    r = client.get("/search", params={"q": "Streik", "entity": ids["person"][:7]})
    assert r.status_code == 200
    form = r.text.split('class="results"')[0]
    assert "Renate Brandt" in form  # the entity's name beside its id


def test_web_pages_issue_few_queries(
    monkeypatch: pytest.MonkeyPatch, client: TestClient, ids: dict[str, str]
) -> None:
    """No page runs a query per article, entity or event (a warm story page reads its
    timeline and comparison from the cache)."""
    from storyline.store import Store
    from storyline.web import deps

    statements: list[str] = []

    class Counting(Store):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            self.conn.set_trace_callback(statements.append)

    monkeypatch.setattr(deps, "Store", Counting)
    pages = {
        "/": 5,
        f"/stories/{ids['story']}": 10,
        f"/events/{ids['event']}": 8,
        f"/articles/{ids['article']}": 14,
        f"/entities/{ids['person']}": 12,
        "/search?q=Hafen": 9,
    }
    client.get(f"/stories/{ids['story']}")  # fill the cache
    for path, most in pages.items():
        statements.clear()
        assert client.get(path).status_code == 200
        queries = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert len(queries) <= most, (path, len(queries), queries)


def test_web_article_page_greys_unsure_quotes(examples_copy: object) -> None:
    from pathlib import Path

    from storyline.web.app import create_app

    db = Path(str(examples_copy))
    with Store(db) as writer:
        con = writer.conn
        article, text = con.execute(
            "SELECT article_id, min(text) FROM quotes GROUP BY article_id "
            "HAVING count(*) >= 2 ORDER BY article_id LIMIT 1"
        ).fetchone()
        con.execute("UPDATE quotes SET confidence = 0.9 WHERE article_id = ?", (article,))
        con.execute(
            "UPDATE quotes SET confidence = 0.1 WHERE article_id = ? AND text = ?", (article, text)
        )
    with TestClient(create_app(db)) as client:
        page = client.get(f"/articles/{article}").text
    greyed = re.findall(r'<li class="unsure"[^>]*>', page)
    assert len(greyed) == 1 and "unsicher (0.10)" in page
