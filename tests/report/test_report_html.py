"""HTML briefings: hostile text only ever escaped, and the page is one self-contained file."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_store
from tests.report.briefing_fixtures import HOSTILE, HOSTILE_URL, make_comparison, store_articles

from storyline.report import build_briefing, render_html
from storyline.store import Store

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def hostile(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A briefing of the example story with hostile text in every place the store and the
    comparison feed into it: titles, outlets, urls, quotes, speakers, entity names and
    roles, claims, figures."""
    db = tmp_path_factory.mktemp("html") / "ex.db"
    copy_store(examples_db, db)
    with Store(db) as store:
        story = store.conn.execute(
            "SELECT story_id FROM events GROUP BY story_id ORDER BY count(*) DESC, story_id"
        ).fetchone()[0]
        conn = store.conn
        with store.transaction():
            conn.execute("UPDATE stories SET title=?", (HOSTILE,))
            conn.execute("UPDATE events SET title=?", (HOSTILE,))
            conn.execute("UPDATE articles SET title=?, url=?", (HOSTILE, HOSTILE_URL))
            conn.execute("UPDATE quotes SET text=?, speaker_name=?", (HOSTILE, HOSTILE))
            conn.execute("UPDATE entities SET name=? WHERE type='PER'", (HOSTILE,))
            conn.execute("UPDATE entity_descriptions SET description=?", (HOSTILE,))
        events, arts = store_articles(store, story)
        comparison = make_comparison(story, events, arts, hostile=HOSTILE)
        for o in comparison["outlets"]:
            o["outlet"] = HOSTILE
        briefing = build_briefing(store, story, comparison=comparison)
    return {"briefing": briefing, "html": render_html(briefing)}


def test_report_html_escapes_hostile_text(hostile: dict[str, Any]) -> None:
    html = hostile["html"]
    page = _parse(html)
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in URL_ATTRIBUTES:
                assert "javascript:" not in (value or "").lower(), (tag, name, value)
    # the hostile text is on the page, as text: titles, quotes, claims, chart tooltips
    assert html.count("&lt;script&gt;") >= 5
    text = "".join(page.text)
    assert '<script>alert("x")</script>' in text
    assert HOSTILE_URL in text  # the url is shown, not linked


def test_report_html_is_self_contained(hostile: dict[str, Any]) -> None:
    html = hostile["html"]
    lowered = html.lower()
    assert "<script" not in lowered and "<link" not in lowered and "<iframe" not in lowered
    assert "src=http" not in lowered and 'src="http' not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    page = _parse(html)
    for tag, attrs in page.tags:
        assert "src" not in attrs and "srcset" not in attrs, tag
        href = attrs.get("href")
        if href is not None:
            assert tag == "a" and (href.startswith("#") or href.startswith("https://")), href
    assert '<meta charset="utf-8">' in html
    csp = [
        a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert (
        csp and csp[0]["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    assert "@media print" in html
    assert html.count("<svg") == 1


def test_report_html_summary_sentences_cite_outlets(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story = store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
        briefing = build_briefing(store, story)
    html = render_html(briefing)
    section = html.split('id="summary"', 1)[1].split("</section>", 1)[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", section, flags=re.S)
    assert len(paragraphs) == len(briefing["summary"]) >= 3
    for p, s in zip(paragraphs, briefing["summary"], strict=True):
        assert re.search(r'<span class="cite">\([^()<]+\)</span>$', p.strip()), p
        assert s["outlets"]


def test_report_html_sections_in_order_and_english(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story = store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
        html = render_html(build_briefing(store, story, lang="en"))
    ids = re.findall(r'<section id="(\w+)"', html)
    assert ids == ["summary", "timeline", "events", "actors", "quotes", "figures",
                   "comparison", "disputed", "sources"]  # fmt: skip
    assert '<html lang="en">' in html and "Key actors" in html and "Zusammenfassung" not in html
