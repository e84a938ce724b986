"""The web layer's parts on their own: highlighting, links, charts, language table,
cache, error handling, limits and the serve command."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from storyline.i18n import LANGS, TEXT, translate
from storyline.store import Store
from storyline.web import app as web_app
from storyline.web.cache import PageCache
from storyline.web.charts import month_bars
from storyline.web.highlight import Mark, mark_words, render
from storyline.web.render import TEMPLATES, external_url, make_link
from storyline.web.security import CSP


class _Nesting(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(html: str) -> str:
    parser = _Nesting()
    parser.feed(html)
    assert parser.stack == []
    return "".join(parser.text)


def _mark(start: int, end: int, kind: str) -> Mark:
    return Mark(start, end, kind, f'<mark class="{kind}">', "</mark>")


def test_web_highlight_escapes_and_nests_overlapping_spans() -> None:
    text = 'Er sagte: "<b>Am 4. März</b> kamen 4.200 <Leute>" & ging.'
    marks = [
        _mark(10, 49, "quote"),  # the quote
        _mark(14, 24, "date"),  # inside it
        _mark(35, 49, "fig"),  # inside it, ends with it
        _mark(44, 55, "ent"),  # straddles the quote's end
        _mark(3, 3, "ent"),  # empty: ignored
        _mark(50, 500, "date"),  # beyond the text: ignored
    ]
    html = str(render(text, marks))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert _check(html) == text  # every character kept, markup well nested
    assert html.count('<mark class="ent">') == 2  # reopened after the quote closed


def test_web_highlight_without_marks_is_plain_escaped_text() -> None:
    assert str(render("<i>x</i>", [])) == "&lt;i&gt;x&lt;/i&gt;"


def test_web_highlight_same_start_longer_outside() -> None:
    html = str(render("abcdef", [_mark(0, 2, "fig"), _mark(0, 6, "quote")]))
    assert html.startswith('<mark class="quote"><mark class="fig">ab</mark>')
    _check(html)


def test_web_mark_words_marks_stemmed_matches() -> None:
    html = str(mark_words("Die Streiks im Hafen <script>", "de", "Streik"))
    assert '<mark class="hit">Streiks</mark>' in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.org/x", None),
        ("https:///nohost", None),
        ("file:///etc/passwd", None),
        ("", None),
        (None, None),
    ],
)
def test_web_external_url_admits_http_only(url: str | None, expected: str | None) -> None:
    assert external_url(url) == expected


def test_web_links_quote_ids_and_keep_language() -> None:
    link = make_link("en", "de")
    assert link("stories", "s-1") == "/stories/s-1?lang=en"
    assert link("entities", "a/b?c") == "/entities/a%2Fb%3Fc?lang=en"
    assert link("search", q="a&b", empty="", none=None) == "/search?q=a%26b&lang=en"
    assert make_link("de", "de")() == "/"


def test_web_month_bars_escape_and_link() -> None:
    svg = str(
        month_bars({"2025-01": 3, "2025-03": 1}, title="<x>", href=lambda m: f"/e?month={m}&a=1")
    )
    assert svg.startswith("<svg") and "<title>&lt;x&gt;</title>" in svg
    assert 'href="/e?month=2025-03&amp;a=1"' in svg
    assert svg.count("<rect") == 2  # February is a gap
    assert "style=" not in svg
    assert str(month_bars({}, title="t")) == ""


def test_web_every_text_in_both_languages() -> None:
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
    with pytest.raises(KeyError):
        translate("no.such.key", "de")


def test_web_templates_use_known_keys_only() -> None:
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'\bt\("([a-z0-9_.]+)"\s*[,)]', path.read_text(encoding="utf-8")))
    missing = {k for k in used if k not in TEXT}
    assert not missing, missing


def test_web_cache_keys_on_version() -> None:
    cache = PageCache(size=2)
    calls: list[int] = []

    def compute(n: int) -> Any:
        calls.append(n)
        return n

    assert cache.get("a", (1,), lambda: compute(1)) == 1
    assert cache.get("a", (1,), lambda: compute(2)) == 1  # same version: cached
    assert cache.get("a", (2,), lambda: compute(3)) == 3  # store changed: recomputed
    cache.get("b", (1,), lambda: compute(4))
    cache.get("c", (1,), lambda: compute(5))  # evicts "a"
    assert cache.get("a", (2,), lambda: compute(6)) == 6
    assert calls == [1, 3, 4, 5, 6]


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    db = tmp_path / "empty.db"
    Store(db).close()
    return db


def test_web_empty_store_pages(empty_db: Path) -> None:
    with TestClient(web_app.create_app(empty_db)) as c:
        assert "Noch keine Geschichten" in c.get("/").text
        assert c.get("/search?q=irgendwas").status_code == 200


def test_web_missing_store_fails_at_start(tmp_path: Path) -> None:
    from storyline.errors import NotFoundError

    with pytest.raises(NotFoundError):
        web_app.create_app(tmp_path / "nope.db")


def _boom(request: Request) -> Response:
    raise RuntimeError("secret detail <script>")


def _echo(request: Request) -> Response:
    import anyio

    body = anyio.from_thread.run(request.body)
    return Response(str(len(body)))


def test_web_server_error_page_has_headers_and_hides_detail(empty_db: Path) -> None:
    app = web_app.create_app(empty_db)
    app.router.routes.append(Route("/boom", _boom))
    app.router.routes.insert(0, Route("/api/v1/boom", _boom))
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/boom?lang=en")
        assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
        assert "Something went wrong" in r.text and "secret detail" not in r.text
        assert r.headers["content-security-policy"] == CSP
        api = c.get("/api/v1/boom")
        assert api.status_code == 500 and api.json()["status"] == 500


def test_web_body_limit(empty_db: Path) -> None:
    app = web_app.create_app(empty_db, max_body=100)
    app.router.routes.append(Route("/echo", _echo, methods=["POST"]))
    with TestClient(app) as c:
        assert c.post("/echo", content=b"x" * 50).text == "50"
        big = c.post("/echo", content=b"x" * 500)
        assert big.status_code == 413
        assert big.headers["content-security-policy"] == CSP


def test_web_allowed_hosts(empty_db: Path) -> None:
    app = web_app.create_app(empty_db, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400


def test_web_api_is_mounted_when_present(empty_db: Path) -> None:
    import importlib.util

    present = importlib.util.find_spec("storyline.web.api") is not None
    app = web_app.create_app(empty_db)
    mounted = [r for r in app.routes if getattr(r, "path", "") == "/api/v1"]
    assert mounted and (bool(mounted[0].routes) == present)  # type: ignore[attr-defined]


def test_web_api_absent_or_broken(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    monkeypatch.setattr(web_app.importlib.util, "find_spec", lambda name: None)
    assert web_app.api_routes() == []
    with TestClient(web_app.create_app(empty_db)) as c:
        assert c.get("/").status_code == 200
    monkeypatch.setattr(web_app.importlib.util, "find_spec", lambda name: object())

    def broken(name: str) -> Any:
        raise ImportError(f"cannot import {name}")

    monkeypatch.setattr(web_app.importlib, "import_module", broken)
    with pytest.raises(ImportError):
        web_app.create_app(empty_db)


def test_web_serve_command(monkeypatch: pytest.MonkeyPatch, cli: Any, empty_db: Path) -> None:
    from storyline.cli import serve

    seen: dict[str, Any] = {}
    monkeypatch.setattr(
        serve, "_run_server", lambda app, host, port: seen.update(host=host, port=port, app=app)
    )
    monkeypatch.setenv("STORYLINE_API_TOKEN", "t" * 40)
    help_text = cli("serve", "-h")
    assert help_text.exit_code == 0 and "Example" in help_text.output
    result = cli("serve", "--db", empty_db, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000
    assert seen["app"].state.lang == "en" and seen["app"].state.token == "t" * 40
    missing = cli("serve", "--db", empty_db.parent / "missing.db")
    assert missing.exit_code == 1 and "no store" in missing.output


def test_web_warm_start_fills_the_page_cache(web_db: Path, ids: dict[str, str]) -> None:
    import threading

    app = web_app.create_app(web_db, warm=2)
    with TestClient(app) as c:
        for thread in threading.enumerate():
            if thread.name == "storyline-warm":
                thread.join(timeout=60)
        cache = app.state.cache
        assert ("timeline", ids["story"]) in cache._items
        assert ("compare", ids["story"]) in cache._items
        assert c.get(f"/stories/{ids['story']}").status_code == 200


def test_web_serve_signal_tells_ingests_to_stop(
    monkeypatch: pytest.MonkeyPatch, empty_db: Path
) -> None:
    import signal

    import uvicorn

    from storyline.cli.serve import _run_server

    app = web_app.create_app(empty_db)

    def run(server: uvicorn.Server) -> None:  # instead of serving: the signal arrives
        server.handle_exit(signal.SIGTERM, None)
        assert server.should_exit

    monkeypatch.setattr(uvicorn.Server, "run", run)
    _run_server(app, "127.0.0.1", 0)
    assert app.state.stopping.is_set()
