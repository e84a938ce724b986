"""Hostile article text on every page that shows it: escaped, visible as text, never
markup, never a link to a javascript: URL."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient
from web_hostile_data import HOSTILE_TITLE, PAYLOADS


class _Elements(HTMLParser):
    """Every element of a page with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(page: str) -> str:
    """The page's text as a reader sees it (markup removed, entities decoded)."""
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page)
    return parser.elements


def _pages(ids: dict[str, str]) -> list[str]:
    return [
        f"/articles/{ids['hostile']}",
        f"/stories/{ids['hostile_story']}",
        f"/events/{ids['hostile_event']}",
        "/search?q=Deichbau",
        "/search?q=Deich&semantic=1",
        "/",
    ]


def test_web_payloads_never_reach_pages_as_markup(client: TestClient, ids: dict[str, str]) -> None:
    for path in _pages(ids):
        r = client.get(path)
        assert r.status_code == 200, path
        for tag, attrs in elements(r.text):
            assert tag not in ("script", "img", "iframe", "object", "embed", "style"), path
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            assert "style" not in attrs, (path, tag)
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text")), (path, tag, attrs)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_web_article_shows_payloads_as_text(
    client: TestClient, ids: dict[str, str], payload: str
) -> None:
    page = client.get(f"/articles/{ids['hostile']}").text
    body = page.split('class="article-text">')[1].split("</div>")[0]
    assert payload in visible_text(body)


def test_web_hostile_title_outlet_and_url(client: TestClient, ids: dict[str, str]) -> None:
    text = client.get(f"/articles/{ids['hostile']}").text
    assert visible_text(text.split("<h1>")[1].split("</h1>")[0]) == HOSTILE_TITLE
    assert "Küstenbote &lt;script&gt;alert(6)&lt;/script&gt;" in text  # the outlet
    # a javascript: URL from the metadata is shown, never linked
    assert "javascript:window.__pwned=5" in text
    assert 'href="javascript' not in text


def test_web_removed_lines_are_escaped(client: TestClient, ids: dict[str, str]) -> None:
    text = client.get(f"/articles/{ids['hostile']}").text
    removed = text.split('class="removed"')[1].split("</details>")[0]
    assert "Lesen Sie auch" in removed
    assert "&lt;img src=x onerror=" in removed


def test_web_story_and_search_show_hostile_text_escaped(
    client: TestClient, ids: dict[str, str]
) -> None:
    story = client.get(f"/stories/{ids['hostile_story']}").text
    assert "&lt;svg onload=" in story or "&lt;script&gt;" in story  # timeline or quotes
    event = client.get(f"/events/{ids['hostile_event']}").text
    assert "Giftige Schlagzeile &lt;script&gt;" in event
    search = client.get("/search", params={"q": "Deichbau"}).text
    assert "Giftige Schlagzeile &lt;script&gt;" in search


def test_web_search_query_is_escaped(client: TestClient) -> None:
    query = '"><script>alert(7)</script>'
    r = client.get("/search", params={"q": query, "outlet": query, "entity": query})
    assert "<script>alert(7)" not in r.text
    assert "&lt;script&gt;alert(7)" in r.text or "&#34;&gt;&lt;script&gt;" in r.text
