"""The HTTP API, ``/api/v1``: the store as JSON, in the export's shapes.

Why the export's shapes: a client that reads `storyline export` already understands every
record here, and one module (`stories/read.py`, `store/analysis.py`, `search/engine.py`)
builds each record for the CLI, the export and the API alike. Lists come as
``{"items", "total", "limit", "offset"}``; every error as
``{"error", "message", "hint", "status"}``. Reads are open; writes (``POST /ingest``,
api_ingest.py) need the token (auth.py). The routes and their parameters are described in
openapi.py; tests hold both to each other.

Mount with ``Mount(API_PREFIX, routes=api_routes())`` and install
``api_exception_handlers()`` on the app; set ``app.state.db_path``, ``app.state.token``
and ``app.state.config``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, cast

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Route

from storyline import __version__
from storyline.errors import StorylineError
from storyline.export import EXPORT_SCHEMA
from storyline.records import (
    AnalysedArticle,
    EntityDetail,
    EntityListing,
    EventRecord,
    SearchHit,
    StoryRecord,
    StorySummary,
    TimelineEntryRecord,
)
from storyline.search.engine import build_filters, search
from storyline.store import pages as reads
from storyline.store.analysis import (
    article_analysis,
    entity_record,
    matching_entity_ids,
    quotes_by_speaker,
)
from storyline.store.search import list_filtered
from storyline.stories.read import event_record, list_stories, resolve_cluster, story_record
from storyline.stories.timeline import build_timeline
from storyline.web.api_common import (
    MAX_LIMIT,
    Page,
    Query,
    async_json_endpoint,
    error_response,
    http_error_json,
    invalid,
    json_endpoint,
    page,
    sliced,
)
from storyline.web.api_ingest import ingest_endpoint
from storyline.web.api_jobs import job_endpoint
from storyline.web.api_watch import watch_routes
from storyline.web.cache import cached_read
from storyline.web.deps import is_api, store_for, storyline_error_json
from storyline.web.openapi import openapi_schema

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")

# -- stories and events ------------------------------------------------------------


def stories(request: Request) -> Page[StorySummary]:
    limit, offset = Query(request).page()
    with store_for(request) as store:
        return sliced(list_stories(store), limit, offset)


def story(request: Request) -> StoryRecord:
    with store_for(request) as store:
        full = resolve_cluster(store, "story", request.path_params["id"])
        return story_record(store, full, full=True)


def timeline(request: Request) -> Page[TimelineEntryRecord]:
    limit, offset = Query(request).page()
    with store_for(request) as store:
        full = resolve_cluster(store, "story", request.path_params["id"])
        return sliced([e.to_dict() for e in build_timeline(store, full)], limit, offset)


def events(request: Request) -> Page[EventRecord]:
    q = Query(request)
    limit, offset = q.page()
    story_id = q.text("story")
    with store_for(request) as store:
        story = resolve_cluster(store, "story", story_id) if story_id else None
        ids, total = reads.event_page(store, story, limit, offset)
        return page([event_record(store, e) for e in ids], total, limit, offset)


def event(request: Request) -> EventRecord:
    with store_for(request) as store:
        full = resolve_cluster(store, "event", request.path_params["id"])
        return event_record(store, full, full=True)


def _claims(request: Request, kind: str, raw_id: str) -> dict[str, Any]:
    """The claims of a story or event as `storyline.compare` finds them, paged; the
    comparison's other keys (outlets, figures, unique, disputes) come along whole."""
    from storyline.compare import compare  # the comparison loads only when asked for

    limit, offset = Query(request).page()
    with store_for(request) as store:
        # as stored: a read never computes claims (claims_state tells how current they are)
        result = compare(store, resolve_cluster(store, kind, raw_id), refresh=False)
    claims = result["claims"]
    rest = {k: v for k, v in result.items() if k != "claims"}
    return {**rest, **sliced(claims, limit, offset)}


def story_claims(request: Request) -> dict[str, Any]:
    return _claims(request, "story", request.path_params["id"])


def event_claims(request: Request) -> dict[str, Any]:
    return _claims(request, "event", request.path_params["id"])


def claims(request: Request) -> dict[str, Any]:
    q = Query(request)
    story_id, event_id = q.text("story"), q.text("event")
    if bool(story_id) == bool(event_id):
        raise invalid("story", "give exactly one of 'story' and 'event'", "?story=ID or ?event=ID")
    if story_id:
        return _claims(request, "story", story_id)
    assert event_id is not None
    return _claims(request, "event", event_id)


# -- articles and entities ---------------------------------------------------------


def articles(request: Request) -> Page[dict[str, Any]]:
    q = Query(request)
    limit, offset = q.page()
    first, last = q.span()
    with store_for(request) as store:
        filters = build_filters(
            store,
            outlet=q.text("outlet"),
            lang=q.text("lang"),
            since=first,
            until=last,
            entity=q.text("entity"),
            story=q.text("story"),
        )
        event_id = q.text("event")
        if event_id:
            filters = replace(filters, event_id=resolve_cluster(store, "event", event_id))
        rows, total = list_filtered(store, filters, limit, offset)
        return page([asdict(r) for r in rows], total, limit, offset)


def article(request: Request) -> AnalysedArticle:
    with store_for(request) as store:
        record = store.get_article(request.path_params["id"])
        return {**record, **article_analysis(store, record["id"])}


def entities(request: Request) -> Page[EntityListing]:
    """Entities, most mentioned first; the query mirrors `store.analysis.list_entities`,
    paged in SQL so a large store is not read whole for one page."""
    q = Query(request)
    limit, offset = q.page()
    etype, name = q.choice("type", ENTITY_TYPES), q.text("q")
    with store_for(request) as store:
        ids = matching_entity_ids(store, name) if name else []  # variants and name parts
        found, total = reads.entity_list(
            store, etype=etype, name=name, name_ids=ids, limit=limit, offset=offset
        )
        items = [
            cast(EntityListing, entity_record(store, e) | {"mention_count": n}) for e, n in found
        ]
        return page(items, total, limit, offset)


def entity(request: Request) -> EntityDetail:
    """One entity with every name variant, the merges behind them (and why), and its quotes."""
    with store_for(request) as store:
        full = store.resolve_prefix(
            "entities", "entity", request.path_params["id"], hint="see GET /entities"
        )
        record = entity_record(store, full)
        count, merges = reads.entity_mentions_and_merges(store, full)
        quotes = [q for q in quotes_by_speaker(store, record["name"]) if q["speaker"] == full]
    return {**record, "mention_count": count, "merges": merges, "quotes": quotes}


# -- search and status -------------------------------------------------------------


def search_articles(request: Request) -> Page[SearchHit]:
    """Search; `total` counts the matches found, at most MAX_LIMIT (the engine's depth)."""
    q = Query(request)
    limit, offset = q.page()
    query = q.text("q", required=True)
    assert query is not None
    semantic = q.flag("semantic")
    first, last = q.span()
    with store_for(request) as store:
        found = search(
            store,
            query,
            semantic=semantic,
            outlet=q.text("outlet"),
            lang=q.text("lang"),
            since=first,
            until=last,
            entity=q.text("entity"),
            story=q.text("story"),
            limit=MAX_LIMIT,
        )
    return sliced(found, limit, offset)


def status(request: Request) -> dict[str, Any]:
    """The CLI's `status --json`, with counts per record type; the store's file name only,
    since the folder it sits in is nobody's business over HTTP."""
    with store_for(request) as store:
        tables = ("articles", "events", "stories", "entities", "mentions", "quotes", "dates")
        return {
            "storyline_version": __version__,
            "export_schema": EXPORT_SCHEMA,
            "db": "postgresql" if store.is_postgres else Path(store.path).name,
            "schema_version": store.schema_version,
            "migrations": store.migrations(),
            "articles": store.count(),
            "outlets": {name or "": n for name, n in store.outlet_counts()},
            "counts": {t: reads.table_count(store, t) for t in (*tables, "quantities")},
        }


def openapi(_request: Request) -> dict[str, Any]:
    return openapi_schema()


# -- routes and error handlers -----------------------------------------------------

#: (path, endpoint): every GET route. openapi.py describes each with the same path.
_GETS: tuple[tuple[str, Callable[[Request], Any]], ...] = (
    ("/stories", stories),
    ("/stories/{id}", story),
    ("/stories/{id}/timeline", timeline),
    ("/stories/{id}/claims", story_claims),
    ("/events", events),
    ("/events/{id}", event),
    ("/events/{id}/claims", event_claims),
    ("/articles", articles),
    ("/articles/{id}", article),
    ("/entities", entities),
    ("/entities/{id}", entity),
    ("/claims", claims),
    ("/search", search_articles),
    ("/status", status),
    ("/openapi.json", openapi),
)

_UNCACHED = frozenset({"/status", "/openapi.json"})

_ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _unmatched(routes: list[BaseRoute]) -> Callable[[Request], Response]:
    """The last route: a 405 (with Allow) where the path exists, else a 404, as JSON."""

    def unmatched(request: Request) -> Response:
        allowed: set[str] = set()
        for route in routes:
            if isinstance(route, Route) and route.matches(request.scope)[0] == Match.PARTIAL:
                allowed |= route.methods or set()
        if allowed:
            return http_error_json(405, {"Allow": ", ".join(sorted(allowed))})
        return http_error_json(404, message=f"no API route {request.method} {request.url.path}")

    return unmatched


def api_routes() -> list[BaseRoute]:
    """The API's routes, to be mounted at API_PREFIX."""
    # reads of the store only go through the response cache (web/cache.py); /status
    # also tells the server's own jobs, /openapi.json is made once anyway
    routes: list[BaseRoute] = [
        Route(
            p,
            json_endpoint(fn) if p in _UNCACHED else cached_read(json_endpoint(fn)),
            methods=["GET"],
        )
        for p, fn in _GETS
    ]
    routes.append(Route("/ingest", async_json_endpoint(ingest_endpoint), methods=["POST"]))
    routes.append(Route("/jobs/{id}", json_endpoint(job_endpoint), methods=["GET"]))
    routes.extend(watch_routes())
    routes.append(
        Route("/{path:path}", _unmatched(routes), methods=_ALL_METHODS, include_in_schema=False)
    )
    return routes


Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _default(request: Request, exc: Exception) -> Response:
    """What Starlette would answer for a request outside the API."""
    if isinstance(exc, HTTPException):
        return PlainTextResponse(exc.detail, exc.status_code, headers=exc.headers)
    if isinstance(exc, StorylineError):
        return storyline_error_json(exc)
    return PlainTextResponse("Internal Server Error", 500)


def _host_handler(others: Mapping[Any, Handler], exc: Exception) -> Handler | None:
    """The host app's handler for `exc`, looked up as Starlette would: an HTTP error by
    status, then by class; anything else by class, then as a 500."""
    classes = [c for c in type(exc).__mro__ if c not in (Exception, BaseException, object)]
    if isinstance(exc, HTTPException):
        keys: list[Any] = [exc.status_code, *classes]
    else:
        keys = [*classes, Exception, 500]
    return next((others[k] for k in keys if k in others), None)


def api_exception_handlers(others: Mapping[Any, Handler] | None = None) -> dict[Any, Handler]:
    """Exception handlers for the app that mounts the API: under API_PREFIX every error
    (404, 405, 413, any other HTTP error, a StorylineError, an unexpected exception as 500)
    is the JSON error shape; elsewhere the host's own handler in `others` (keyed as
    Starlette's ``exception_handlers``) answers, e.g. with an HTML page, else Starlette's
    plain default."""
    fallbacks = dict(others or {})

    async def handle(request: Request, exc: Exception) -> Response:
        if is_api(request):
            return error_response(exc)
        other = _host_handler(fallbacks, exc)
        if other is None:
            return _default(request, exc)
        answer = other(request, exc)
        if inspect.isawaitable(answer):
            answer = await answer
        assert isinstance(answer, Response)
        return answer

    keys: tuple[Any, ...] = (404, 405, 413, HTTPException, StorylineError, 500)
    return dict.fromkeys(keys, handle)
