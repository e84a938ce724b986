"""``/api/v1/watches`` and ``/api/v1/alerts``: the watched sources and the alerts as JSON.

Reads are open like the rest of the API; adding and removing need the token (as ingest
does), checked before the body is read. Errors leave in the API's one JSON shape.

Why deliveries over the API are limited to stdout, webhooks and e-mail: ``jsonl:PATH``
appends to any file the server may write, which is a power the command line (run by the
user whose files they are) may have, but a remote request should not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import BaseRoute, Route

from storyline.errors import ConfigError
from storyline.store import alerts as alert_db
from storyline.store.watch import list_sources, recent_fetches
from storyline.stories.read import resolve_cluster
from storyline.watch import sources
from storyline.watch.alerts import DIGESTS, KINDS, check_deliver
from storyline.web.api_common import ApiError, Page, Query, async_json_endpoint, invalid, sliced
from storyline.web.api_ingest import require_token
from storyline.web.deps import store_for

#: Largest JSON body of a watch or alert request (bytes).
MAX_JSON_BODY = 10_000
#: Deliveries a request over the API may ask for (see the module docstring).
API_DELIVERIES = ("stdout", "webhook", "email")
#: Fetch-log lines shown with each source.
FETCHES_PER_SOURCE = 5
#: Largest `min_sources` accepted: more outlets than any story has is a typo.
MAX_MIN_SOURCES = 1000


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_JSON_BODY:
        raise ApiError(413, "too_large", f"the body is over {MAX_JSON_BODY:,} bytes")
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(
            400, "bad_request", "the body is not valid JSON", "send a JSON object"
        ) from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return data


def _text(data: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise invalid(name, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(name, "must be a string")
    return value.strip()


def _id(request: Request) -> int:
    raw = str(request.path_params["id"])
    if not raw.isdigit():
        raise invalid("id", f"{raw[:40]!r} is not a number")
    return int(raw)


# -- watches --------------------------------------------------------------------------


def _list_watches(request: Request) -> Page[dict[str, object]]:
    limit, offset = Query(request).page()
    with store_for(request) as store:
        rows = []
        for s in list_sources(store):
            fetches = recent_fetches(store, s.id, FETCHES_PER_SOURCE)
            rows.append({**s.to_dict(), "fetches": [f.to_dict() for f in fetches]})
    return sliced(rows, limit, offset)


def _add_watch(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    robots = data.get("ignore_robots", False)
    if not isinstance(robots, bool):
        raise invalid("ignore_robots", "must be true or false")
    with store_for(request) as store:
        source, new = sources.add(
            store,
            _text(data, "url", required=True) or "",
            every=_text(data, "every"),
            name=_text(data, "name"),
            ignore_robots=robots,
            origin="api",
        )
    return {**source.to_dict(), "new": new}


async def _list_or_add(
    request: Request,
    add: Callable[[Request, dict[str, Any]], dict[str, Any]],
    listing: Callable[[Request], Mapping[str, object]],
) -> Mapping[str, object]:
    """GET lists, POST (with the token) adds: the shape of /watches and /alerts."""
    if request.method == "POST":
        require_token(request)
        data = await _json_body(request)
        added: dict[str, Any] = await run_in_threadpool(add, request, data)
        return added
    listed: Mapping[str, object] = await run_in_threadpool(listing, request)
    return listed


async def watches(request: Request) -> Mapping[str, object]:
    return await _list_or_add(request, _add_watch, _list_watches)


def _remove_watch(request: Request) -> dict[str, Any]:
    with store_for(request) as store:
        gone = sources.remove(store, str(_id(request)))
    return {"removed": gone.to_dict()}


async def watch(request: Request) -> dict[str, Any]:
    require_token(request)
    removed: dict[str, Any] = await run_in_threadpool(_remove_watch, request)
    return removed


# -- alerts ---------------------------------------------------------------------------


def _list_alerts(request: Request) -> dict[str, Any]:
    limit, offset = Query(request).page()
    with store_for(request) as store:
        rows = [a.to_dict() for a in alert_db.list_alerts(store)]
        recent = [m.to_dict() for m in alert_db.recent_matches(store)]
    return {**sliced(rows, limit, offset), "recent": recent}


def alert_fields(data: dict[str, Any]) -> tuple[str, str, int, str, str | None]:
    """(kind, value, min_sources, deliver, digest) of an alert request; 422 when unusable."""
    given = [(k, _text(data, k)) for k in KINDS if _text(data, k)]
    if len(given) != 1:
        raise invalid("entity", "give exactly one of entity, query, story")
    kind, value = given[0]
    assert value is not None
    minimum = data.get("min_sources", 1)
    whole = isinstance(minimum, int) and not isinstance(minimum, bool)
    if not whole or not 1 <= minimum <= MAX_MIN_SOURCES:
        raise invalid("min_sources", f"must be a whole number from 1 to {MAX_MIN_SOURCES}")
    deliver = _text(data, "deliver") or "stdout"
    if deliver.partition(":")[0] not in API_DELIVERIES:
        raise invalid("deliver", "over the API: stdout, webhook:URL or email:ADDRESS")
    try:
        check_deliver(deliver)
    except ConfigError as err:
        raise invalid("deliver", err.message, err.hint) from None
    digest = _text(data, "digest")
    if digest is not None and digest not in DIGESTS:
        raise invalid("digest", "must be hourly or daily")
    return kind, value, minimum, deliver, digest


def _add_alert(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    kind, value, minimum, deliver, digest = alert_fields(data)
    with store_for(request) as store:
        if kind == "story":
            value = resolve_cluster(store, "story", value)
        return alert_db.add_alert(store, kind, value, minimum, deliver, digest).to_dict()


async def alerts(request: Request) -> Mapping[str, object]:
    return await _list_or_add(request, _add_alert, _list_alerts)


def _remove_alert(request: Request) -> dict[str, Any]:
    alert_id = _id(request)
    with store_for(request) as store:
        alert_db.remove_alert(store, alert_id)
    return {"removed": alert_id}


async def alert(request: Request) -> dict[str, Any]:
    require_token(request)
    removed: dict[str, Any] = await run_in_threadpool(_remove_alert, request)
    return removed


def watch_routes() -> list[BaseRoute]:
    return [
        Route("/watches", async_json_endpoint(watches), methods=["GET", "POST"]),
        Route("/watches/{id}", async_json_endpoint(watch), methods=["DELETE"]),
        Route("/alerts", async_json_endpoint(alerts), methods=["GET", "POST"]),
        Route("/alerts/{id}", async_json_endpoint(alert), methods=["DELETE"]),
    ]
