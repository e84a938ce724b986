"""The OpenAPI 3.1 description of ``/api/v1``, written by hand from one table.

Why by hand and not generated from the handlers: the handlers return the export's plain
dicts, so there is nothing to introspect; a table next to them is short, and the tests
keep it honest (every route is described, every described path is served, and every
GET's real response has the required keys and types its schema declares). Schemas list
the keys a client may rely on as ``required``; objects stay open (keys may be added, as
in the export).
"""

from __future__ import annotations

import copy
from typing import Any

from storyline import __version__
from storyline.web.api_common import DEFAULT_LIMIT, MAX_LIMIT

Schema = dict[str, Any]

_TYPES: dict[str, Schema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "num": {"type": "number"},
    "obj": {"type": "object"},
    "bool": {"type": "boolean"},
    "any": {},
    "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _type(token: str) -> Schema:
    """`str`, `int`, `num`, `obj`, `bool`, `any`, `counts`, `@Name` (a component), `[...]` (a list
    of it); a trailing `?` allows null."""
    if token.endswith("?"):
        inner = _type(token[:-1])
        return {**inner, "type": [inner["type"], "null"]}
    if token.startswith("["):
        return {"type": "array", "items": _type(token[1:-1])}
    if token.startswith("@"):
        return ref(token[1:])
    return dict(_TYPES[token])


def fields(spec: str) -> dict[str, Schema]:
    """Keys from a compact spec: ``"id title:str? events:[str]"`` (type `str` by default)."""
    out = {}
    for item in spec.split():
        name, _, token = item.partition(":")
        out[name] = _type(token or "str")
    return out


def obj(spec: str, description: str | None = None) -> Schema:
    """An object whose listed keys are all required (always present, maybe null); it stays
    open, since keys are only ever added."""
    props = fields(spec)
    out: Schema = {"type": "object", "required": list(props), "properties": props}
    if description:
        out["description"] = description
    return out


_SPAN = "start:int end:int text"
_EVENT = (
    "id story title:str? date:str? date_inferred:bool articles:[str] independent_sources:int "
    "outlets:[str]"
)
_ENTITY = "id name type aliases:[str] descriptions:[str] articles:[str] mention_count:int"
_QUOTE = f"{_SPAN} kind speaker:str? speaker_name:str? cue:str? via:str?"
_CLAIM = (
    "id story text kind event:str? hedge:str? sources:[@ClaimSource] outlets:[str] "
    "independent_sources:int echoes:int entities:[any] figures:[any] disputes:any "
    "disputed_by:any weight:any"
)
_PAGE = "total:int limit:int offset:int"

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        "error message hint:str? status:int",
        "Every error: the CLI's --json error plus the HTTP status.",
    ),
    "StorySummary": obj(
        "id title:str? events:int articles:int outlets:int first:str? last:str? "
        "dates_inferred:bool languages:[str]"
    ),
    "TimelineSource": obj("article outlet:str? start:int end:int"),
    "TimelineEntry": obj("story date precision text sources:[@TimelineSource] inferred:bool"),
    "Event": obj(_EVENT),
    "EventArticle": obj(
        "id title:str? outlet:str? lang:str? published:str? published_source:str? "
        "duplicate_of:str? echo_of:str? echo_evidence:obj? event story"
    ),
    "EventDetail": obj(f"{_EVENT} article_details:[@EventArticle]"),
    "Story": obj(
        "id title:str? events:[str] articles:[str] event_details:[@Event] outlets:counts "
        "languages:[str] timeline:[@TimelineEntry]"
    ),
    "ArticleSummary": obj(
        "id title:str? outlet:str? lang:str? published:str? published_source:str? "
        "duplicate_of:str? chars:int event:str? story:str?"
    ),
    "RemovedLine": obj("line reason position:int"),
    "Provenance": obj("source url:str? byte_hash ingested_at"),
    "Mention": obj(f"{_SPAN} label entity:str?"),
    "Quote": obj(_QUOTE),
    "DateMention": obj(f"{_SPAN} value precision"),
    "Quantity": obj(f"{_SPAN} value:num unit:str? counted:str? hedge:str?"),
    "Article": obj(
        "id source:str? title:str? outlet:str? outlet_evidence:obj? author:str? agency:str? "
        "lang:str? published:str? published_source:str? published_confidence:num? text "
        "removed:[@RemovedLine] "
        "duplicate_of:str? event:str? story:str? echo_of:str? echo_evidence:obj? url:str? "
        "lang_confidence:num? published_evidence:obj? repairs:[str] sources:[@Provenance] "
        "created_at quality:str? mentions:[@Mention] quotes:[@Quote] dates:[@DateMention] "
        "quantities:[@Quantity]",
        "The export's article object plus its analysis (as `storyline show --json`).",
    ),
    "Entity": obj(_ENTITY),
    "Merge": obj("alias reason article_id:str? created_at"),
    "SpeakerQuote": obj(f"{_QUOTE} article outlet:str? published:str? speaker_entity:str?"),
    "EntityDetail": obj(f"{_ENTITY} merges:[@Merge] quotes:[@SpeakerQuote]"),
    "ClaimSource": obj(
        "article outlet:str? start:int end:int text published:str? speaker:any "
        "speaker_name:any via:any echo_of:str?"
    ),
    "Claim": obj(_CLAIM, "A claim as storyline.compare finds it, with every source stating it."),
    "SearchResult": obj(
        "id title:str? outlet:str? lang:str? published:str? score:num snippet:str? "
        "matched_by:[str] bm25:num? similarity:num? event:str? duplicate_of:str?"
    ),
    "InputError": obj("error message hint:str? source reason"),
    "Duplicate": obj("article duplicate_of"),
    "IngestReport": obj(
        "run:int stored:[str] unchanged:[str] known:[str] duplicates:[@Duplicate] "
        "errors:[@InputError] stories:obj? articles_in_store:int",
        "What one ingest did; `errors` names every input that failed and why.",
    ),
    "Job": obj(
        "id status created started:str? finished:str? report:obj? error:obj?",
        "A background ingest: status queued, running, done or failed; `report` is the "
        "IngestReport once done, `error` the error shape if it failed.",
    ),
    "IngestJson": obj(
        "articles:[@ArticleInput]",
        "Articles as JSON; any JSON the CLI's ingest reads (a list, one object) works too.",
    ),
    "ArticleInput": {
        "type": "object",
        "required": ["text"],
        "properties": fields("title text html url outlet lang published author"),
    },
    "Migration": obj("version:int name applied_at"),
    "Status": obj(
        "storyline_version export_schema db schema_version:int migrations:[@Migration] "
        "articles:int outlets:counts counts:counts"
    ),
    "StoryPage": obj(f"items:[@StorySummary] {_PAGE}"),
    "TimelinePage": obj(f"items:[@TimelineEntry] {_PAGE}"),
    "EventPage": obj(f"items:[@Event] {_PAGE}"),
    "ArticlePage": obj(f"items:[@ArticleSummary] {_PAGE}"),
    "EntityPage": obj(f"items:[@Entity] {_PAGE}"),
    "SearchPage": obj(f"items:[@SearchResult] {_PAGE}"),
    "Claims": obj(
        f"items:[@Claim] {_PAGE} id kind story events:[str] outlets:[obj] figures:[any] "
        "unique:obj disputes:[any] claims_state:@ClaimsState",
        "storyline.compare's result with its claims paged as `items`, as stored: "
        "`claims_state` says whether they are current and when they were made.",
    ),
    "ClaimsState": obj(
        "current:bool computed_at:str?",
        "Reads never compute claims: after an ingest without grouping they may lag.",
    ),
    "OpenApi": obj("openapi info:obj paths:obj"),
    "Fetch": obj(
        "url purpose status:int? bytes:int elapsed_ms:int attempts:int etag:str? "
        "last_modified:str? redirects:[str] error:str? fetched_at"
    ),
    "Watch": obj(
        "id:int url kind every_s:int name:str? ignore_robots:bool failures:int paused:bool "
        "paused_reason:str? next_due last_ok:str? last_error:str?",
        "A watched feed, sitemap or page and its health (`storyline watch list`).",
    ),
    "WatchDetail": obj(
        "id:int url kind every_s:int name:str? ignore_robots:bool failures:int paused:bool "
        "paused_reason:str? next_due last_ok:str? last_error:str? fetches:[@Fetch]"
    ),
    "WatchPage": obj(f"items:[@WatchDetail] {_PAGE}"),
    "Alert": obj(
        "id:int kind value min_sources:int deliver digest:str? created_at",
        "An alert on an entity, a query or a story (`storyline alert list`).",
    ),
    "AlertMatch": obj(
        "alert:int article title:str? outlet:str? url:str? sentence story:str? matched_at "
        "delivered_at:str?"
    ),
    "AlertPage": obj(f"items:[@Alert] {_PAGE} recent:[@AlertMatch]"),
    "WatchInput": {
        "type": "object",
        "required": ["url"],
        "properties": {
            **fields("url every name"),
            "ignore_robots": {"type": "boolean", "default": False},
        },
    },
    "AlertInput": {
        "type": "object",
        "description": "Exactly one of entity, query, story. Deliveries over the API: stdout, "
        "webhook:URL, email:ADDRESS.",
        "properties": {
            **fields("entity query story deliver"),
            "min_sources": {"type": "integer", "minimum": 1, "default": 1},
            "digest": {"enum": ["hourly", "daily"]},
        },
    },
    "Removed": obj("removed:any"),
}

STR = _type("str")


def param(name: str, schema: Schema, description: str, *, where: str = "query") -> Schema:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


PAGING = [
    param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "Most items to return.",
    ),
    param("offset", {"type": "integer", "minimum": 0, "default": 0}, "Items to skip."),
]
DAY: Schema = {"type": "string", "format": "date"}
SPAN = [
    param("from", DAY, "Published on or after this day (undated articles are left out)."),
    param("to", DAY, "Published on or before this day."),
]
FILTERS = [
    param("outlet", STR, "Only this outlet (case-insensitive)."),
    param("lang", STR, "Only this language code (de, en, ...)."),
    *SPAN,
    param("entity", STR, "Only articles naming this entity (id or prefix)."),
    param("story", STR, "Only articles of this story (id or prefix)."),
]


def _id(kind: str) -> Schema:
    return param(
        "id", STR, f"The {kind}'s id or an unambiguous prefix of 4+ characters.", where="path"
    )


def _json(schema: str, description: str = "OK") -> Schema:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def get(summary: str, response: str, params: list[Schema] | None = None) -> Schema:
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {"200": _json(response), "default": _json("Error", "An error.")},
        }
    }


_INGEST: Schema = {
    "post": {
        "summary": "Ingest files or JSON, as `storyline ingest` does.",
        "security": [{"bearer": []}],
        "parameters": [
            param("outlet", STR, "Outlet of every input (overrides detection)."),
            param("lang", STR, "Language of every input (overrides detection)."),
            param("published", DAY, "Publication date of every input."),
            param("stories", {"type": "boolean", "default": True}, "Group into events."),
            param(
                "background",
                {"type": "boolean", "default": False},
                "Answer 202 with a job at once; follow it at /jobs/{id}.",
            ),
        ],
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                },
                "application/json": {"schema": ref("IngestJson")},
                "application/x-ndjson": {"schema": STR},
            },
        },
        "responses": {
            "200": _json("IngestReport", "Every input was stored (or was already there)."),
            "207": _json("IngestReport", "Some or all inputs failed; see `errors`."),
            "202": _json("Job", "With background=true: the job, queued (`Location` has its URL)."),
            "401": _json("Error", "No token, or a wrong one."),
            "403": _json("Error", "The server has no token: it takes no writes."),
            "413": _json("Error", "The body is over the `api_max_body` setting."),
            "415": _json("Error", "Not multipart, JSON or JSON Lines."),
            "default": _json("Error", "An error."),
        },
    }
}


def _write(summary: str, body: str | None, response: str, params: list[Schema]) -> Schema:
    """A write operation (POST with a JSON body, or DELETE): needs the token."""
    op: Schema = {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": params,
        "responses": {
            "200": _json(response),
            "401": _json("Error", "No token, or a wrong one."),
            "403": _json("Error", "The server has no token: it takes no writes."),
            "default": _json("Error", "An error."),
        },
    }
    if body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
    return op


_NUMBER_ID = [param("id", {"type": "integer"}, "The id `list` shows.", where="path")]

PATHS: dict[str, Schema] = {
    "/stories": get("Stories, largest first.", "StoryPage", PAGING),
    "/stories/{id}": get(
        "One story: events, outlets, languages, timeline.", "Story", [_id("story")]
    ),
    "/stories/{id}/timeline": get(
        "A story's dated facts with their sources.", "TimelinePage", [_id("story"), *PAGING]
    ),
    "/stories/{id}/claims": get(
        "The claims of a story and who states them.", "Claims", [_id("story"), *PAGING]
    ),
    "/events": get(
        "Events, oldest first.",
        "EventPage",
        [param("story", STR, "Only events of this story."), *PAGING],
    ),
    "/events/{id}": get("One event with its articles.", "EventDetail", [_id("event")]),
    "/events/{id}/claims": get(
        "The claims of an event and who states them.", "Claims", [_id("event"), *PAGING]
    ),
    "/articles": get(
        "Articles, oldest first.",
        "ArticlePage",
        [*FILTERS, param("event", STR, "Only articles of this event."), *PAGING],
    ),
    "/articles/{id}": get(
        "One article: text, removed lines with reasons, analysis.", "Article", [_id("article")]
    ),
    "/entities": get(
        "Entities, most mentioned first.",
        "EntityPage",
        [
            param("type", {"enum": ["PER", "ORG", "LOC", "MISC"]}, "Only this type."),
            param("q", STR, "Only entities with a name variant like this."),
            *PAGING,
        ],
    ),
    "/entities/{id}": get(
        "One entity: name variants, merges and why, quotes.", "EntityDetail", [_id("entity")]
    ),
    "/claims": get(
        "Claims of a story or an event (give one).",
        "Claims",
        [
            param("story", STR, "Story id or prefix."),
            param("event", STR, "Event id or prefix."),
            *PAGING,
        ],
    ),
    "/search": get(
        "Full-text search, with `semantic` also by meaning.",
        "SearchPage",
        [
            {**param("q", STR, "The words to find."), "required": True},
            param("semantic", {"type": "boolean", "default": False}, "Also search by meaning."),
            *FILTERS,
            *PAGING,
        ],
    ),
    "/status": get("Store summary: versions and counts.", "Status"),
    "/openapi.json": get("This description.", "OpenApi"),
    "/ingest": _INGEST,
    "/jobs/{id}": get(
        "A background ingest job: its state, and its report once done.",
        "Job",
        [param("id", STR, "The job id that POST /ingest?background=true gave.", where="path")],
    ),
    "/watches": {
        **get("Watched sources, their health and latest fetches.", "WatchPage", PAGING),
        "post": _write("Watch a feed, sitemap or page.", "WatchInput", "Watch", []),
    },
    "/watches/{id}": {
        "delete": _write("Stop watching a source.", None, "Removed", _NUMBER_ID),
    },
    "/alerts": {
        **get("Alerts and the latest matches.", "AlertPage", PAGING),
        "post": _write("Add an alert.", "AlertInput", "Alert", []),
    },
    "/alerts/{id}": {
        "delete": _write("Remove an alert.", None, "Removed", _NUMBER_ID),
    },
}


def openapi_schema() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API (paths relative to the ``/api/v1`` server); a
    fresh copy, so a caller may change it."""
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "storyline API",
            "version": __version__,
            "description": "The store as JSON in the shapes of storyline.export/1 (docs/api.md).",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
    return copy.deepcopy(document)
