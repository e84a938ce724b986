"""The web UI in a real browser: Debian's Chromium, driven by Playwright, against the
app served by uvicorn on 127.0.0.1.

Scenarios an analyst walks through (stories -> story -> entity; search -> article), and
the hostile article opened on every page that shows it, proving that none of its
payloads runs: no dialog, no ``window.__pwned``, no changed title, no blocked inline
script in the console (so nothing even reached the page as markup), no request for
the payloads' images, and the payload text visible as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.live import CHROMIUM, chromium, serving
from web_hostile_data import HOSTILE_TITLE, PAYLOADS

from storyline.web.app import create_app

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) "
        "to run the browser tests",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")


class Watch:
    """What a page did that it must not: dialogs, console messages, errors, requests."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.console.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        self.base = base

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self, page: Any) -> None:
        assert self.dialogs == []
        assert self.errors == []
        assert not [m for m in self.console if "Refused" in m or "pwned" in m], self.console
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.title() != "pwned" and page.title().endswith("· storyline")
        foreign = [u for u in self.requests if not u.startswith(self.base)]
        assert foreign == [], foreign
        assert not [u for u in self.requests if u.rstrip("/").endswith("/x")]


@pytest.fixture(scope="module")
def site(web_db: Path) -> Iterator[tuple[str, Any]]:
    with serving(create_app(web_db)) as base, chromium() as browser:
        yield base, browser


@pytest.fixture
def page(site: tuple[str, Any]) -> Iterator[Any]:
    _base, browser = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def test_web_stories_story_entity(site: tuple[str, Any], page: Any, ids: dict[str, str]) -> None:
    base, _ = site
    watch = Watch(page, base)
    page.goto(base + "/")
    page.click(f"a[href='/stories/{ids['story']}']")
    page.wait_for_url(f"**/stories/{ids['story']}")
    chart = page.locator("svg.timeline-chart")
    assert chart.is_visible()
    assert chart.locator("g.entry").count() > 3  # dated statements on the axis
    page.locator("#actors a", has_text="Renate Brandt").first.click()
    page.wait_for_url("**/entities/**")
    assert page.inner_text("h1").startswith("Renate Brandt")
    assert page.locator("svg.bars").is_visible()
    watch.assert_clean(page)


def test_web_search_and_open_article(site: tuple[str, Any], page: Any) -> None:
    base, _ = site
    watch = Watch(page, base)
    page.goto(base + "/?lang=en")
    page.fill("header input[name=q]", "Streikbrecher")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?**")
    assert page.locator("ol.results li").count() >= 1
    assert "Streikbrecher" in page.locator("mark.hit").first.inner_text()
    page.locator("ol.results li .title a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text mark.ent").count() > 5
    page.click("details.removed > summary")
    assert page.locator("details.removed table").is_visible()
    assert "lang=en" in page.url
    watch.assert_clean(page)


def test_web_hostile_article_never_runs(
    site: tuple[str, Any], page: Any, ids: dict[str, str]
) -> None:
    base, _ = site
    watch = Watch(page, base)
    page.goto(f"{base}/articles/{ids['hostile']}")
    assert page.inner_text("h1") == HOSTILE_TITLE
    body = page.inner_text(".article-text")
    for payload in PAYLOADS:
        assert payload in body
    page.click("details.removed > summary")
    assert PAYLOADS[1] in page.inner_text("details.removed")
    url = page.locator("section.meta dd.url")
    assert "javascript:" in url.inner_text() and url.locator("a").count() == 0
    watch.assert_clean(page)


def test_web_hostile_text_on_story_event_and_search(
    site: tuple[str, Any], page: Any, ids: dict[str, str]
) -> None:
    base, _ = site
    watch = Watch(page, base)
    page.goto(f"{base}/stories/{ids['hostile_story']}")
    text = page.inner_text("main")
    assert "<svg onload=" in text or "<script>" in text  # timeline, quotes or claims
    page.goto(f"{base}/events/{ids['hostile_event']}")
    assert page.inner_text("h1") == HOSTILE_TITLE
    page.goto(f"{base}/search?q=Deichbau")
    assert HOSTILE_TITLE in page.inner_text("ol.results")
    page.goto(f"{base}/search?q=" + "%22%3E%3Cscript%3Ewindow.__pwned%3D9%3C/script%3E")
    assert "<script>" in page.input_value("form.search input[name=q]")
    watch.assert_clean(page)
