"""POST /api/v1/ingest: the token, the body limit, files and JSON through the CLI's ingest
job, per-file errors, original file names as sources, hostile strings kept as data."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from web_api_client import api_client as _api_client

from storyline.config import Config, defaults
from storyline.errors import ConfigError
from storyline.store import Store
from storyline.web.api_ingest import safe_name
from storyline.web.deps import API_PREFIX

TOKEN = "t0k3n-" + "x" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
URL = API_PREFIX + "/ingest?stories=false"  # grouping (e5) only where a test needs it

Files = list[tuple[str, tuple[str, bytes, str]]]


def api_client(db: Path, token: str | None = TOKEN, config: Config | None = None) -> TestClient:
    return _api_client(db, token, config)


@pytest.fixture
def client(db_path: Path, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """The API with default settings and those of the test's `settings` marker."""
    Store(db_path).close()  # the app expects an existing store, as `storyline serve` makes
    marker = request.node.get_closest_marker("settings")
    config = defaults().replace(**(marker.kwargs if marker else {}))
    with api_client(db_path, config=config) as c:
        yield c


def upload(*named: tuple[str, bytes]) -> Files:
    return [("files", (name, data, "application/octet-stream")) for name, data in named]


def count(db: Path, sql: str = "SELECT count(*) FROM articles") -> int:
    with Store(db) as s:
        return int(s.conn.execute(sql).fetchone()[0])


def assert_error(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"error", "message", "hint", "status"}
    assert (body["error"], body["status"]) == (code, status)


# -- the token --------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer falsch"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": "Bearer Ünïcödé".encode("latin-1")},
    ],
)
def test_web_api_ingest_needs_the_token(
    client: TestClient, db_path: Path, make_article: Callable[..., str], headers: dict[str, Any]
) -> None:
    r = client.post(URL, files=upload(("a.txt", make_article(0).encode())), headers=headers)
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in r.text
    assert count(db_path) == 0


def test_web_api_ingest_without_a_server_token_refuses_writes(
    db_path: Path, make_article: Callable[..., str]
) -> None:
    Store(db_path).close()
    with api_client(db_path, token=None) as c:
        r = c.post(URL, files=upload(("a.txt", make_article(0).encode())), headers=AUTH)
    assert_error(r, 403, "writes_disabled")
    assert count(db_path) == 0


# -- files ------------------------------------------------------------------------


def test_web_api_ingest_good_and_bad_files_reports_each(
    client: TestClient, db_path: Path, make_article: Callable[..., str]
) -> None:
    files = upload(
        ("bericht.txt", make_article(0).encode()),
        ("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        ("leer.txt", b""),
    )
    r = client.post(URL, files=files, headers=AUTH)
    assert r.status_code == 207, r.text
    report = r.json()
    assert len(report["stored"]) == 1 and report["articles_in_store"] == 1
    errors = {e["source"]: e for e in report["errors"]}
    assert set(errors) == {"bild.png", "leer.txt"}
    assert errors["bild.png"]["error"] == "binary_input"
    assert errors["leer.txt"]["error"] == "empty_input"
    assert all(e["message"].startswith(e["source"]) and e["reason"] for e in errors.values())
    assert "storyline-upload" not in r.text  # no server paths leak into the report
    with Store(db_path) as s:
        assert [r[0] for r in s.conn.execute("SELECT source FROM sources")] == ["bericht.txt"]
        logged = {r[0] for r in s.conn.execute("SELECT source FROM ingest_errors")}
    assert logged == {"bild.png", "leer.txt"}
    article = client.get(f"{API_PREFIX}/articles/{report['stored'][0]}").json()
    assert article["source"] == "bericht.txt"


def test_web_api_ingest_all_good_is_200_and_again_is_known(
    client: TestClient, db_path: Path, make_article: Callable[..., str]
) -> None:
    files = upload(("a.txt", make_article(1).encode()), ("b.md", make_article(2).encode()))
    first = client.post(URL, files=files, headers=AUTH)
    assert first.status_code == 200, first.text
    assert len(first.json()["stored"]) == 2 and first.json()["errors"] == []
    again = client.post(URL, files=files, headers=AUTH)
    assert again.status_code == 200
    body = again.json()
    assert body["stored"] == [] and sorted(body["known"]) == sorted(first.json()["stored"])
    assert count(db_path, "SELECT count(*) FROM sources") == 2  # no second provenance row


def test_web_api_ingest_same_name_twice_and_hostile_names(
    client: TestClient, db_path: Path, make_article: Callable[..., str]
) -> None:
    files = upload(
        ("../../../etc/passwd.txt", make_article(3).encode()),
        ("dup.txt", make_article(4).encode()),
        ("dup.txt", make_article(5).encode()),
        ("..\\..\\win.txt", make_article(0).encode()),
    )
    r = client.post(URL, files=files, headers=AUTH)
    assert r.status_code == 200, r.text
    assert len(r.json()["stored"]) == 4
    with Store(db_path) as s:
        names = sorted(r[0] for r in s.conn.execute("SELECT source FROM sources"))
    assert names == ["dup.txt", "dup.txt", "passwd.txt", "win.txt"]


def test_web_api_ingest_without_files_is_422(client: TestClient) -> None:
    r = client.post(URL, data={"note": "nichts"}, files=[("andere", ("x.txt", b"x"))], headers=AUTH)
    assert_error(r, 422, "no_input")


def test_web_api_ingest_refuses_other_media_types(client: TestClient) -> None:
    r = client.post(URL, content=b"Titel\nText", headers={**AUTH, "Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")


def test_web_api_ingest_broken_multipart_is_400(client: TestClient) -> None:
    headers = {**AUTH, "Content-Type": "multipart/form-data"}  # no boundary
    assert_error(client.post(URL, content=b"--x\r\n", headers=headers), 400, "bad_request")


# -- the size limit ---------------------------------------------------------------


@pytest.mark.settings(api_max_body=2000)
def test_web_api_ingest_body_limit_by_content_length(client: TestClient, db_path: Path) -> None:
    r = client.post(URL, files=upload(("gross.txt", b"Titel\n" + b"Wort " * 1000)), headers=AUTH)
    assert_error(r, 413, "too_large")
    assert count(db_path) == 0


@pytest.mark.settings(api_max_body=5000)
def test_web_api_ingest_body_limit_while_streaming(client: TestClient, db_path: Path) -> None:
    """Without a Content-Length the body is counted as it arrives and refused the moment
    it passes the limit (driven through ASGI directly: the test client buffers bodies)."""
    chunks = [b'{"articles": ['] + [b" " * 1000] * 1000
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if pulled > len(chunks):
            return {"type": "http.disconnect"}
        return {
            "type": "http.request",
            "body": chunks[pulled - 1],
            "more_body": pulled < len(chunks),
        }

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": API_PREFIX + "/ingest",
        "raw_path": (API_PREFIX + "/ingest").encode(),
        "query_string": b"stories=false",
        "root_path": "",
        "headers": [
            (b"authorization", AUTH["Authorization"].encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(client.app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert (body["error"], body["status"]) == ("too_large", 413)
    assert pulled <= 7  # 5000 bytes: the sixth chunk passes the limit; nothing more is read
    assert count(db_path) == 0


def test_web_api_ingest_body_limit_is_a_setting(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad value in the environment stops the server at start, naming the variable."""
    from storyline.web.app import create_app

    Store(db_path).close()
    monkeypatch.setenv("STORYLINE_API_MAX_BODY", "viel")
    with pytest.raises(ConfigError, match="STORYLINE_API_MAX_BODY"):
        create_app(db_path)


# -- JSON -------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    "'; DROP TABLE articles; --",
    "{{7*7}} ${jndi:ldap://x} %s%n",
    "\u202egnp.exe Rechts-nach-links",
    '"Anführungszeichen" \\ Backslash 🧨',
]


def test_web_api_ingest_json_articles_keep_hostile_strings_as_data(
    client: TestClient, article_parts: list[tuple[str, list[str]]]
) -> None:
    articles = [
        {
            "title": f"{hostile} {article_parts[i][0]}",
            "text": "\n\n".join([*article_parts[i][1], hostile]),
            "outlet": hostile,
            "url": f"https://example.org/{i}?q=<b>",
            "published": "2025-03-0" + str(i + 1),
            "lang": "de",
        }
        for i, hostile in enumerate(HOSTILE)
    ]
    r = client.post(URL, json={"articles": articles}, headers=AUTH)
    assert r.status_code == 200, r.text
    stored = r.json()["stored"]
    assert len(stored) == len(HOSTILE)
    for article_id, sent, hostile in zip(stored, articles, HOSTILE, strict=True):
        got = client.get(f"{API_PREFIX}/articles/{article_id}").json()
        assert got["title"] == sent["title"]
        assert got["url"] == got["source"] == sent["url"]
        assert got["outlet"]  # canonicalised by the outlet rules, but stored as text
        # kept in the text, or removed as junk with its line verbatim
        assert hostile in got["text"] or hostile in [x["line"] for x in got["removed"]]
    assert client.get(f"{API_PREFIX}/status").json()["articles"] == len(HOSTILE)


def test_web_api_ingest_jsonl_and_bad_json(client: TestClient, article_parts: list[Any]) -> None:
    lines = [json.dumps({"title": t, "text": "\n\n".join(b)}) for t, b in article_parts[:2]]
    headers = {**AUTH, "Content-Type": "application/x-ndjson"}
    r = client.post(URL, content="\n".join([*lines, "{kaputt"]).encode(), headers=headers)
    assert r.status_code == 207, r.text
    body = r.json()
    assert len(body["stored"]) == 2
    assert [e["source"] for e in body["errors"]] == ["request.jsonl:3"]
    bad = client.post(
        URL, content=b"{nicht json", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert bad.status_code == 207
    assert bad.json()["stored"] == [] and bad.json()["errors"][0]["error"] == "format_error"


def test_web_api_ingest_hints_from_the_query(
    client: TestClient, make_article: Callable[..., str]
) -> None:
    r = client.post(
        URL + "&outlet=Testblatt&published=2025-05-06&lang=DE",
        files=upload(("a.txt", make_article(4).encode())),
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    got = client.get(f"{API_PREFIX}/articles/{r.json()['stored'][0]}").json()
    assert (got["outlet"], got["published"], got["lang"]) == ("Testblatt", "2025-05-06", "de")
    bad = client.post(URL + "&published=morgen", files=upload(("a.txt", b"x")), headers=AUTH)
    assert_error(bad, 422, "invalid_parameter")


def test_web_api_ingest_groups_into_stories_by_default(
    examples_copy: Path, make_article: Callable[..., str]
) -> None:
    with api_client(examples_copy) as c:
        r = c.post(
            API_PREFIX + "/ingest",
            files=upload(("neu.txt", make_article(5).encode())),
            headers=AUTH,
        )
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["stories"] is not None and report["stories"]["placed"] == 1
        article = c.get(f"{API_PREFIX}/articles/{report['stored'][0]}").json()
    assert article["event"] and article["story"]
    assert report["articles_in_store"] == 16


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bericht.txt", "bericht.txt"),
        ("../../x.html", "x.html"),
        ("C:\\Users\\a\\b.json", "b.json"),
        (".versteckt.txt", "versteckt.txt"),
        ("", "upload-3"),
        (None, "upload-3"),
        ("..", "upload-3"),
        ("a\x00b\nc.txt", "abc.txt"),
        ("n" * 300 + ".jsonl", "n" * 194 + ".jsonl"),
    ],
)
def test_web_api_ingest_safe_names(raw: str | None, expected: str) -> None:
    assert safe_name(raw, 3) == expected


# -- a busy store ----------------------------------------------------------------------


def test_web_api_ingest_into_a_busy_store_is_503_with_retry_after(
    client: TestClient,
    db_path: Path,
    make_article: Callable[[int], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from storyline.web import deps

    monkeypatch.setattr(deps, "REQUEST_STORE_WAIT", 0.1)
    with Store(db_path) as other, other.transaction():  # another writer holds the lock
        r = client.post(URL, files=upload(("a.txt", make_article(0).encode())), headers=AUTH)
        assert_error(r, 503, "store_busy")
        assert r.headers["Retry-After"] == str(deps.RETRY_AFTER_SECONDS)
        assert client.get("/api/v1/status").status_code == 200  # reads do not wait
    assert count(db_path) == 0
