"""The watch page and the /watches, /alerts API: lists, writes with the token only, the
API's error shape, escaping, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from storyline.store import Store
from storyline.store import alerts as adb
from storyline.store import watch as db
from storyline.web.app import create_app

TOKEN = "w" * 43
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "web.db"
    with Store(path) as store:
        db.add_source(store, "https://zeitung.example/feed.xml", 900, name="<b>Zeitung</b>")
        adb.add_alert(store, "query", "Hafen <script>", 1, "stdout", None)
    app = create_app(path, token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_watch_web_api_lists_watches_and_alerts(client: TestClient) -> None:
    body = client.get("/api/v1/watches").json()
    assert body["total"] == 1 and body["items"][0]["url"] == "https://zeitung.example/feed.xml"
    assert body["items"][0]["fetches"] == [] and body["items"][0]["paused"] is False
    alerts = client.get("/api/v1/alerts").json()
    assert alerts["items"][0]["value"] == "Hafen <script>" and alerts["recent"] == []


def test_watch_web_api_writes_need_the_token(client: TestClient) -> None:
    r = client.post("/api/v1/watches", json={"url": "https://andere.example/rss"})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    assert client.delete("/api/v1/watches/1").status_code == 401
    assert client.post("/api/v1/alerts", json={"query": "x"}).status_code == 401
    assert client.delete("/api/v1/alerts/1").status_code == 401
    assert client.get("/api/v1/watches").json()["total"] == 1


def test_watch_web_api_add_and_remove(client: TestClient) -> None:
    r = client.post(
        "/api/v1/watches",
        json={"url": "https://Andere.example/rss?utm_source=x", "every": "1h", "name": "A"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    added = r.json()
    assert (
        added["url"] == "https://andere.example/rss" and added["every_s"] == 3600 and added["new"]
    )
    assert (
        client.delete(f"/api/v1/watches/{added['id']}", headers=AUTH).json()["removed"]["id"]
        == added["id"]
    )
    r = client.post(
        "/api/v1/alerts",
        json={"entity": "Hanna Vogt", "min_sources": 2, "digest": "daily"},
        headers=AUTH,
    )
    assert r.status_code == 200 and r.json()["kind"] == "entity" and r.json()["min_sources"] == 2
    assert client.delete(f"/api/v1/alerts/{r.json()['id']}", headers=AUTH).json() == {
        "removed": r.json()["id"]
    }


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/api/v1/watches", {"url": "ftp://x/y"}, 422, "input_error"),
        ("/api/v1/watches", {"url": "https://x.example/", "every": "1s"}, 400, "config_error"),
        ("/api/v1/watches", {}, 422, "invalid_parameter"),
        ("/api/v1/alerts", {"query": "a", "entity": "b"}, 422, "invalid_parameter"),
        ("/api/v1/alerts", {"query": "a", "deliver": "jsonl:/tmp/x"}, 422, "invalid_parameter"),
        ("/api/v1/alerts", {"query": "a", "deliver": "webhook:ftp://x"}, 422, "invalid_parameter"),
        ("/api/v1/alerts", {"query": "a", "min_sources": 0}, 422, "invalid_parameter"),
        ("/api/v1/alerts", {"story": "s-nirgends"}, 404, "not_found"),
    ],
)
def test_watch_web_api_errors_have_the_one_shape(
    client: TestClient, path: str, body: dict[str, object], status: int, code: str
) -> None:
    r = client.post(path, json=body, headers=AUTH)
    assert r.status_code == status, r.text
    assert r.json()["error"] == code and r.json()["message"] and r.json()["status"] == status


def test_watch_web_api_bad_bodies_and_ids(client: TestClient) -> None:
    r = client.post(
        "/api/v1/watches", content=b"[1,2", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["error"] == "bad_request"
    assert client.delete("/api/v1/watches/abc", headers=AUTH).status_code == 422
    assert client.delete("/api/v1/watches/999", headers=AUTH).status_code == 404
    assert client.put("/api/v1/watches", headers=AUTH).status_code == 405


def test_watch_web_page_lists_escaped_in_both_languages(client: TestClient) -> None:
    de = client.get("/watch")
    assert de.status_code == 200
    assert "Quellen beobachten" in de.text and "&lt;b&gt;Zeitung&lt;/b&gt;" in de.text
    assert "Hafen &lt;script&gt;" in de.text and "<script>" not in de.text
    en = client.get("/watch?lang=en")
    assert "Watched sources" in en.text and "Alerts" in en.text


def test_watch_web_page_forms_need_the_token(client: TestClient) -> None:
    r = client.post("/watch/sources", data={"url": "https://neu.example/rss", "token": "falsch"})
    assert r.status_code == 401 and "API-Token" in r.text
    r = client.post(
        "/watch/sources",
        data={"url": "https://neu.example/rss", "every": "2h", "token": TOKEN},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/watch")
    page = client.get("/watch").text
    assert "https://neu.example/rss" in page and "Gespeichert" not in page
    r = client.post("/watch/alerts", data={"kind": "query", "value": "Fähre", "token": TOKEN})
    assert r.status_code == 200 and "Gespeichert" in r.text  # followed the redirect
    r = client.post("/watch/alerts", data={"kind": "story", "value": "s-nirgends", "token": TOKEN})
    assert r.status_code == 400 and "s-nirgends" in r.text
    r = client.post("/watch/sources/1/remove", data={"token": TOKEN})
    assert r.status_code == 200 and "zeitung.example/feed.xml" not in r.text
    r = client.post("/watch/alerts/1/remove", data={"token": TOKEN})
    assert r.status_code == 200 and "Hafen &lt;script&gt;" not in r.text


def test_watch_web_page_without_a_token_takes_no_writes(tmp_path: Path) -> None:
    Store(tmp_path / "ro.db").close()
    with TestClient(create_app(tmp_path / "ro.db")) as c:
        r = c.post("/watch/sources", data={"url": "https://neu.example/rss", "token": "x"})
        assert r.status_code == 403
