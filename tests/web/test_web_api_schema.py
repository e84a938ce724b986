"""The OpenAPI document against the routes and the real responses, and random search
queries that must never end in a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route
from starlette.testclient import TestClient
from web_api_client import api_client

from storyline.store import Store
from storyline.web.api import api_routes
from storyline.web.deps import API_PREFIX

Schema = dict[str, Any]


@pytest.fixture(scope="module")
def client(examples_db: Path) -> Iterator[TestClient]:
    with api_client(examples_db, token="t" * 43) as c:
        yield c


@pytest.fixture(scope="module")
def document(client: TestClient) -> Schema:
    r = client.get(API_PREFIX + "/openapi.json")
    assert r.status_code == 200
    return dict(r.json())


@pytest.fixture(scope="module")
def samples(examples_db: Path) -> dict[str, str]:
    """A valid value for every id and filter parameter, from the example store."""
    with Store(examples_db) as s:
        one = s.conn.execute
        story, event = one("SELECT story_id, id FROM events ORDER BY id").fetchone()
        return {
            "story": story,
            "event": event,
            "article": one("SELECT id FROM articles ORDER BY id").fetchone()[0],
            "entity": one("SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL").fetchone()[
                0
            ],
            "outlet": one("SELECT outlet FROM articles WHERE outlet IS NOT NULL").fetchone()[0],
            "q": "Hafen",
            "lang": "de",
            "watch": "1",
            "alert": "1",
        }


# -- a small checker for `type`, `required`, `properties`, `items`, `enum`, `$ref` --------

_PYTHON = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def problems(value: Any, schema: Schema, doc: Schema, at: str = "$") -> list[str]:
    """Where `value` breaks `schema` (only the keywords the API's schemas use)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return problems(value, doc["components"]["schemas"][name], doc, at)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(_PYTHON[k](value) for k in kinds):
            return [f"{at}: {type(value).__name__} is not {'/'.join(kinds)}"]
    out = []
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{at}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        out += [f"{at}: missing {k!r}" for k in schema.get("required", []) if k not in value]
        props = schema.get("properties", {})
        for key, item in value.items():
            sub = props.get(key, schema.get("additionalProperties"))
            if isinstance(sub, dict):
                out += problems(item, sub, doc, f"{at}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out += problems(item, schema["items"], doc, f"{at}[{i}]")
    return out


def test_web_schema_checker_finds_what_is_wrong() -> None:
    doc: Schema = {"components": {"schemas": {"N": {"type": ["integer", "null"]}}}}
    schema = {
        "type": "object",
        "required": ["a", "b"],
        "properties": {"a": {"type": "array", "items": {"$ref": "#/components/schemas/N"}}},
    }
    assert problems({"a": [1, None], "b": 0}, schema, doc) == []
    assert problems({"a": [1, "x", True]}, schema, doc) == [
        "$: missing 'b'",
        "$.a[1]: str is not integer/null",
        "$.a[2]: bool is not integer/null",
    ]
    assert problems([], schema, doc) == ["$: list is not object"]


# -- the document and the routes ---------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_web_openapi_document_is_openapi_31(document: Schema) -> None:
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"] == [{"url": API_PREFIX}]
    assert document["paths"]
    schemas = document["components"]["schemas"]
    for name in (
        "Story",
        "Event",
        "Article",
        "Entity",
        "Claim",
        "SearchResult",
        "IngestReport",
        "Error",
    ):
        assert name in schemas
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[-1] in schemas
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            assert method in {"get", "post", "delete"} and op["summary"]
            assert "200" in op["responses"]
            names = {p["name"] for p in op["parameters"]}
            assert ("id" in names) == ("{id}" in path), path


def test_web_every_route_is_in_the_document_with_its_methods(document: Schema) -> None:
    described = 0
    for route in api_routes():
        assert isinstance(route, Route)
        if not route.include_in_schema:
            continue
        assert route.path in document["paths"], route.path
        methods = {m.lower() for m in (route.methods or set())} - {"head"}
        assert methods == set(document["paths"][route.path]), route.path
        described += 1
    assert described == len(document["paths"])


#: served and checked in tests/web/test_web_api_jobs.py, which makes a job first
_NEEDS_A_JOB = {"/jobs/{id}"}
#: empty in the example store; served and checked with items in tests/watch/test_watch_web.py
_WATCH_LISTS = {"/watches", "/alerts"}


def _url(path: str, samples: dict[str, str]) -> str:
    kind = {
        "stories": "story",
        "events": "event",
        "articles": "article",
        "entities": "entity",
        "watches": "watch",
        "alerts": "alert",
    }
    if "{id}" in path:
        path = path.replace("{id}", samples[kind[path.split("/")[1]]])
    return API_PREFIX + path


def _required(path: str, op: Schema, samples: dict[str, str]) -> dict[str, str]:
    """The query parameters a request to `path` needs (/claims needs a story or an event)."""
    params = {
        p["name"]: samples[p["name"]]
        for p in op["parameters"]
        if p["required"] and p["in"] == "query"
    }
    if path == "/claims":
        params["story"] = samples["story"]
    return params


def test_web_every_path_in_the_document_is_served(
    client: TestClient, document: Schema, samples: dict[str, str]
) -> None:
    for path, operations in document["paths"].items():
        if path in _NEEDS_A_JOB:
            continue
        for method in operations:
            r = client.request(
                method.upper(),
                _url(path, samples),
                params=_required(path, operations[method], samples),
            )
            assert r.status_code not in (404, 405), (path, method, r.text)
            if method in ("post", "delete"):
                assert r.status_code == 401  # served, and guarded


def test_web_get_responses_have_the_declared_shape(
    client: TestClient, document: Schema, samples: dict[str, str]
) -> None:
    checked = 0
    for path, operations in document["paths"].items():
        if "get" not in operations or path in _NEEDS_A_JOB:
            continue
        op = operations["get"]
        r = client.get(_url(path, samples), params=_required(path, op, samples))
        assert r.status_code == 200, (path, r.text)
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert problems(r.json(), schema, document) == [], path
        body = r.json()
        if isinstance(body, dict) and "items" in body and path not in _WATCH_LISTS:
            assert body["items"], f"{path}: an empty page checks nothing"
        checked += 1
    gets = [p for p, ops in document["paths"].items() if "get" in ops]
    assert checked == len([p for p in gets if p not in _NEEDS_A_JOB])


def test_web_error_responses_have_the_declared_shape(client: TestClient, document: Schema) -> None:
    error = {"$ref": "#/components/schemas/Error"}
    for path, params in [
        ("/stories/s-0000", {}),
        ("/articles", {"limit": "-3"}),
        ("/nirgends", {}),
        ("/search", {"q": "?!"}),
    ]:
        r = client.get(API_PREFIX + path, params=params)
        assert r.status_code >= 400
        assert problems(r.json(), error, document) == [], path
    r = client.post(API_PREFIX + "/ingest")
    assert problems(r.json(), error, document) == []


def _sample(param: Schema, samples: dict[str, str]) -> str:
    schema = param["schema"]
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("format") == "date":
        return "2025-01-01"
    return {"integer": "1", "boolean": "false"}.get(schema.get("type", ""), "") or samples[
        param["name"]
    ]


def test_web_every_documented_parameter_is_accepted(
    client: TestClient, document: Schema, samples: dict[str, str]
) -> None:
    for path, operations in document["paths"].items():
        op = operations.get("get")
        if op is None:
            continue
        for param in op["parameters"]:
            if param["in"] != "query":
                continue
            params = {**_required(path, op, samples), param["name"]: _sample(param, samples)}
            if path == "/claims" and param["name"] == "event":
                params.pop("story")
            r = client.get(_url(path, samples), params=params)
            assert r.status_code == 200, (path, param["name"], r.text)


# -- random queries never break the server ------------------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_VALUE = st.one_of(
    _TEXT,
    st.sampled_from(
        [
            "",
            "0",
            "1",
            "-1",
            "500",
            "501",
            "true",
            "false",
            "2025-03-04",
            "2025-02-30",
            "s-e4cb",
            "e-",
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
)
#: What a URL may carry after '?' (no '#', no control characters), plus some non-ASCII.
_RAW_ALPHABET = "".join(chr(c) for c in range(33, 127) if chr(c) != "#") + "äöüßé€ "
_NAMES = st.sampled_from(
    ["q", "semantic", "outlet", "lang", "from", "to", "entity", "story", "limit", "offset", "x"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(_NAMES, _VALUE, max_size=6), q=_TEXT)
def test_web_search_never_answers_500(client: TestClient, params: dict[str, str], q: str) -> None:
    params = {"q": q, **params}
    r = client.get(API_PREFIX + "/search", params=params)
    assert r.status_code in (200, 400, 404, 422), (params, r.text)
    body = r.json()
    if r.status_code == 200:
        assert set(body) >= {"items", "total", "limit", "offset"}
    else:
        assert body["status"] == r.status_code and body["error"] and body["message"]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.text(_RAW_ALPHABET, max_size=80))
def test_web_search_raw_query_strings_never_answer_500(client: TestClient, raw: str) -> None:
    """Whole query strings, with stray '%', '&', '=' and broken escapes."""
    r = client.get(API_PREFIX + "/search?q=x&" + raw)
    assert r.status_code in (200, 400, 404, 422), (raw, r.text)
    assert "status" in r.json() or "items" in r.json()


_LISTS = st.sampled_from(
    ["/articles", "/entities", "/events", "/stories", "/claims", "/stories/s-e4cb/timeline"]
)
_LIST_NAMES = st.sampled_from(
    ["type", "q", "outlet", "lang", "from", "to", "entity", "story", "event", "limit", "offset"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=_LISTS, params=st.dictionaries(_LIST_NAMES, _VALUE, max_size=5))
def test_web_lists_never_answer_500(client: TestClient, path: str, params: dict[str, str]) -> None:
    r = client.get(API_PREFIX + path, params=params)
    assert r.status_code in (200, 400, 404, 422), (path, params, r.text)
    body = r.json()
    assert ("items" in body) == (r.status_code == 200)
