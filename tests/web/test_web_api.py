"""The read side of the HTTP API over the example corpus: every GET endpoint, paging, id
prefixes, and the one error shape for every failure."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from tests.conftest import ENGINE
from web_api_client import api_client

from storyline.export import EXPORT_SCHEMA
from storyline.store import Store
from storyline.web import api
from storyline.web.api import api_exception_handlers
from storyline.web.deps import API_PREFIX

ERROR_KEYS = {"error", "message", "hint", "status"}


@pytest.fixture(scope="module")
def client(examples_db: Path) -> Iterator[TestClient]:
    with api_client(examples_db) as c:
        yield c


@pytest.fixture(scope="module")
def ids(examples_db: Path) -> dict[str, str]:
    """One real id of each kind, and the article with the most removed lines."""
    with Store(examples_db) as s:
        one = s.conn.execute
        return {
            "story": one("SELECT id FROM stories ORDER BY id").fetchone()[0],
            "event": one("SELECT id FROM events ORDER BY id").fetchone()[0],
            "article": one(
                "SELECT article_id FROM removed_lines GROUP BY article_id ORDER BY count(*) DESC"
            ).fetchone()[0],
            "speaker": one(
                "SELECT speaker FROM quotes WHERE speaker IS NOT NULL "
                "GROUP BY speaker ORDER BY count(*) DESC"
            ).fetchone()[0],
        }


def get(client: TestClient, path: str, status: int = 200, **params: str | int) -> Any:
    r = client.get(API_PREFIX + path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def assert_error(body: dict[str, Any], status: int, code: str | None = None) -> None:
    assert set(body) >= ERROR_KEYS, body
    assert body["status"] == status
    if code:
        assert body["error"] == code
    assert "Traceback" not in str(body)


def assert_page(body: dict[str, Any], limit: int = 50, offset: int = 0) -> list[Any]:
    assert set(body) >= {"items", "total", "limit", "offset"}
    assert (body["limit"], body["offset"]) == (limit, offset)
    assert len(body["items"]) <= limit
    return list(body["items"])


# -- reads ------------------------------------------------------------------------


def test_web_api_status_names_schema_versions_and_counts(client: TestClient) -> None:
    body = get(client, "/status")
    assert body["export_schema"] == EXPORT_SCHEMA
    assert body["schema_version"] >= 1
    assert body["articles"] == body["counts"]["articles"] == 15
    assert body["counts"]["stories"] == 2
    assert body["counts"]["events"] >= 2
    # the file name only, not where it lives (nor a server's address)
    assert body["db"] == ("postgresql" if ENGINE == "postgresql" else "ex.db")
    assert sum(body["outlets"].values()) == 15


def test_web_api_stories_page_through_all_of_them(client: TestClient) -> None:
    whole = get(client, "/stories")
    assert whole["total"] == 2 == len(assert_page(whole))
    first = get(client, "/stories", limit=1)
    second = get(client, "/stories", limit=1, offset=1)
    assert assert_page(first, 1) + assert_page(second, 1, 1) == whole["items"]
    past = get(client, "/stories", limit=1, offset=5)
    assert past["items"] == [] and past["total"] == 2


def test_web_api_story_by_prefix_equals_story_by_full_id(
    client: TestClient, ids: dict[str, str]
) -> None:
    full = get(client, f"/stories/{ids['story']}")
    short = get(client, f"/stories/{ids['story'][:6]}")
    assert full == short
    assert full["id"] == ids["story"]
    assert {"events", "articles", "event_details", "outlets", "languages", "timeline"} <= set(full)


def test_web_api_story_timeline_is_paged_and_sourced(
    client: TestClient, ids: dict[str, str]
) -> None:
    whole = get(client, f"/stories/{ids['story'][:6]}/timeline", limit=500)
    entries = assert_page(whole, 500)
    assert entries and whole["total"] == len(entries)
    assert all(e["story"] == ids["story"] and e["sources"] for e in entries)
    tail = get(client, f"/stories/{ids['story']}/timeline", limit=2, offset=1)
    assert tail["items"] == entries[1:3]


def test_web_api_events_list_filter_and_detail(client: TestClient, ids: dict[str, str]) -> None:
    every = get(client, "/events")
    assert every["total"] == len(every["items"]) >= 2
    of_story = get(client, "/events", story=ids["story"][:6])
    assert of_story["items"] and all(e["story"] == ids["story"] for e in of_story["items"])
    assert of_story["total"] < every["total"]
    page = get(client, "/events", limit=1, offset=1)
    assert page["items"] == every["items"][1:2]
    detail = get(client, f"/events/{ids['event'][:6]}")
    assert detail["id"] == ids["event"]
    assert [a["id"] for a in detail["article_details"]] == detail["articles"]


def test_web_api_articles_filters(client: TestClient, ids: dict[str, str]) -> None:
    every = get(client, "/articles", limit=500)
    assert every["total"] == 15 == len(every["items"])
    assert {"id", "title", "outlet", "lang", "published", "chars", "event", "story"} <= set(
        every["items"][0]
    )
    german = get(client, "/articles", lang="de", limit=500)
    assert german["items"] and all(a["lang"] == "de" for a in german["items"])
    outlet = every["items"][0]["outlet"]
    same = get(client, "/articles", outlet=outlet.upper())
    assert same["items"] and all(a["outlet"] == outlet for a in same["items"])
    story = get(client, "/articles", story=ids["story"][:6], limit=500)
    assert story["items"] and all(a["story"] == ids["story"] for a in story["items"])
    event = get(client, "/articles", event=ids["event"])
    assert event["items"] and all(a["event"] == ids["event"] for a in event["items"])
    day = every["items"][0]["published"][:10]
    dated = client.get(API_PREFIX + "/articles", params={"from": day, "to": day}).json()
    assert dated["items"] and all(a["published"][:10] == day for a in dated["items"])
    none = get(client, "/articles", outlet="Gibt es nicht")
    assert none == {"items": [], "total": 0, "limit": 50, "offset": 0}


def test_web_api_article_is_full_with_removed_lines_and_analysis(
    client: TestClient, ids: dict[str, str]
) -> None:
    body = get(client, f"/articles/{ids['article'][:8]}")
    assert body["id"] == ids["article"]
    assert body["text"] and body["removed"]
    assert all(r["reason"] and "line" in r for r in body["removed"])
    for key in ("mentions", "quotes", "dates", "quantities", "sources", "outlet_evidence"):
        assert key in body
    assert body["mentions"]


def test_web_api_entities_filter_by_type_and_name(client: TestClient) -> None:
    people = get(client, "/entities", type="per", limit=500)
    assert people["items"] and all(e["type"] == "PER" for e in people["items"])
    counts = [e["mention_count"] for e in people["items"]]
    assert counts == sorted(counts, reverse=True)
    name = people["items"][0]["name"]
    found = get(client, "/entities", q=name.split()[-1])
    assert name in [e["name"] for e in found["items"]]
    assert get(client, "/entities", q="100%_nicht_da")["total"] == 0


def test_web_api_entity_has_merges_and_quotes(client: TestClient, ids: dict[str, str]) -> None:
    body = get(client, f"/entities/{ids['speaker'][:6]}")
    assert body["id"] == ids["speaker"]
    assert body["quotes"] and all(q["speaker"] == ids["speaker"] for q in body["quotes"])
    assert body["aliases"] and body["mention_count"] > 0
    merged = {m["alias"] for m in body["merges"]}
    assert set(body["aliases"]) <= merged
    assert all(m["reason"] for m in body["merges"])


def test_web_api_search_text_filters_and_paging(client: TestClient) -> None:
    body = get(client, "/search", q="Hafen", limit=500)
    hits = assert_page(body, 500)
    assert hits and body["total"] == len(hits)
    assert all(h["matched_by"] == ["text"] for h in hits)
    second = get(client, "/search", q="Hafen", limit=1, offset=1)
    assert second["items"] == hits[1:2] and second["total"] == body["total"]
    german = get(client, "/search", q="Hafen", lang="de")
    assert all(h["lang"] == "de" for h in german["items"])
    future = {"q": "Hafen", "from": "2030-01-01"}
    assert client.get(API_PREFIX + "/search", params=future).json()["items"] == []


def test_web_api_search_by_meaning(client: TestClient) -> None:
    body = get(client, "/search", q="dock workers walk out", semantic="true", limit=5)
    assert body["items"]
    assert any("meaning" in h["matched_by"] for h in body["items"])


def test_web_api_claims_of_story_and_event(client: TestClient, ids: dict[str, str]) -> None:
    story = get(client, f"/stories/{ids['story'][:6]}/claims", limit=3)
    claims = assert_page(story, 3)
    assert claims and story["total"] >= len(claims)
    assert {"outlets", "figures", "unique", "disputes"} <= set(story)
    assert all(c["sources"] and c["text"] for c in claims)
    same = get(client, "/claims", story=ids["story"], limit=3)
    assert same["items"] == claims
    event = get(client, f"/events/{ids['event']}/claims")
    assert event == get(client, "/claims", event=ids["event"][:6])


# -- errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/nicht-da", {}, 404, "not_found"),
        ("/stories/s-0000000000", {}, 404, "not_found"),
        ("/stories/s-", {}, 404, "not_found"),  # too short to be a prefix
        ("/articles/ffffffffffff", {}, 404, "not_found"),
        ("/entities/zzzzzz", {}, 404, "not_found"),
        ("/events/e-zzzz/claims", {}, 404, "not_found"),
        ("/stories", {"limit": "0"}, 422, "invalid_parameter"),
        ("/stories", {"limit": "501"}, 422, "invalid_parameter"),
        ("/stories", {"limit": "zehn"}, 422, "invalid_parameter"),
        ("/events", {"offset": "-1"}, 422, "invalid_parameter"),
        ("/articles", {"from": "2025-02-30"}, 422, "invalid_parameter"),
        ("/articles", {"to": "gestern"}, 422, "invalid_parameter"),
        ("/articles", {"from": "2025-05-01", "to": "2025-04-01"}, 422, "invalid_parameter"),
        ("/articles", {"story": "s-zzzz"}, 404, "not_found"),
        ("/entities", {"type": "PERSON"}, 422, "invalid_parameter"),
        ("/search", {}, 422, "invalid_parameter"),
        ("/search", {"q": "Hafen", "semantic": "vielleicht"}, 422, "invalid_parameter"),
        ("/search", {"q": "Hafen", "entity": "nobody"}, 404, "not_found"),
        ("/search", {"q": "x" * 1001}, 422, "invalid_parameter"),
        ("/search", {"q": "!!!"}, 400, "query_error"),
        ("/claims", {}, 422, "invalid_parameter"),
        ("/claims", {"story": "s-1234", "event": "e-1234"}, 422, "invalid_parameter"),
    ],
)
def test_web_api_errors_have_the_one_shape(
    client: TestClient, path: str, params: dict[str, str], status: int, code: str
) -> None:
    r = client.get(API_PREFIX + path, params=params)
    assert r.status_code == status, r.text
    assert_error(r.json(), status, code)


def test_web_api_wrong_method_is_405_with_allow(client: TestClient) -> None:
    r = client.delete(API_PREFIX + "/stories")
    assert r.status_code == 405
    assert_error(r.json(), 405, "method_not_allowed")
    assert "GET" in r.headers["allow"]
    r = client.get(API_PREFIX + "/ingest")
    assert r.status_code == 405 and "POST" in r.headers["allow"]


def test_web_api_internal_error_is_500_without_details(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_store: Store) -> list[dict[str, Any]]:
        raise RuntimeError("geheimes Detail aus /home/nutzer")

    monkeypatch.setattr(api, "list_stories", broken)
    with caplog.at_level(logging.ERROR, logger="storyline.web.api"):
        r = client.get(API_PREFIX + "/stories")
    assert r.status_code == 500
    assert_error(r.json(), 500, "internal_error")
    assert "geheim" not in r.text and "RuntimeError" not in r.text
    assert "geheimes Detail" in caplog.text  # the log keeps what the client does not see


def test_web_api_missing_store_is_an_error_shape(tmp_path: Path) -> None:
    with api_client(tmp_path / "nirgends.db") as c:
        r = c.get(API_PREFIX + "/status")
    assert_error(r.json(), r.status_code, "not_found")


# -- the exception handlers for the host app --------------------------------------


def _host_app(others: dict[Any, Any] | None = None) -> TestClient:
    def boom(_request: Request) -> Response:
        raise RuntimeError("kaputt")

    def gone(_request: Request) -> Response:
        raise HTTPException(410)

    app = Starlette(
        routes=[
            Route("/seite", boom),
            Route("/weg", gone),
            Route(API_PREFIX + "/extra", boom),
            Route(API_PREFIX + "/extra-weg", gone),
        ],
        exception_handlers=api_exception_handlers(others),
    )
    return TestClient(app, raise_server_exceptions=False)


def test_web_api_exception_handlers_answer_json_under_the_prefix() -> None:
    c = _host_app()
    assert_error(c.get(API_PREFIX + "/extra").json(), 500, "internal_error")
    assert_error(c.get(API_PREFIX + "/extra-weg").json(), 410)
    assert_error(c.get(API_PREFIX + "/nirgends").json(), 404, "not_found")
    assert_error(c.post(API_PREFIX + "/extra").json(), 405, "method_not_allowed")


def test_web_api_exception_handlers_leave_other_paths_to_the_host() -> None:
    plain = _host_app()
    r = plain.get("/nirgends")
    assert r.status_code == 404 and not r.headers["content-type"].startswith("application/json")
    assert plain.get("/seite").status_code == 500

    async def page_404(_request: Request, _exc: Exception) -> Response:
        return PlainTextResponse("<h1>Seite fehlt</h1>", 404)

    def page_500(_request: Request, _exc: Exception) -> Response:
        return PlainTextResponse("Fehlerseite", 500)

    custom = _host_app({404: page_404, 500: page_500})
    assert custom.get("/nirgends").text == "<h1>Seite fehlt</h1>"
    assert custom.get("/seite").text == "Fehlerseite"
    assert_error(custom.get(API_PREFIX + "/nirgends").json(), 404)

    by_class = _host_app({HTTPException: page_404, Exception: page_500})
    assert by_class.get("/weg").text == "<h1>Seite fehlt</h1>"  # 410, by its class
    assert by_class.get("/seite").text == "Fehlerseite"
    assert_error(by_class.get(API_PREFIX + "/extra-weg").json(), 410)
