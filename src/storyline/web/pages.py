"""The HTML pages: stories, a story, an event, an article, an entity, search.

Every endpoint is a plain function (Starlette runs it in its thread pool) that opens the
store for the request, reads what the page shows with a few limited queries
(:mod:`storyline.web.queries`) and renders a template. Ids may be shortened to an
unambiguous prefix, as in the CLI; a prefix redirects to the page of the full id, so
every page has one address.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storyline.i18n import translate
from storyline.records import ArticleMention
from storyline.settings import QUOTE_MIN_CONFIDENCE
from storyline.store import pages as queries
from storyline.store.analysis import article_analysis
from storyline.store.stories import story_title
from storyline.stories.read import event_record, list_stories, resolve_cluster
from storyline.web import cache
from storyline.web.cache import cached_read
from storyline.web.charts import month_bars
from storyline.web.deps import store_for
from storyline.web.highlight import marks_for
from storyline.web.highlight import render as highlight
from storyline.web.render import canonical, lang_of, link_for, page_cache, page_number, render
from storyline.web.search_page import search_page
from storyline.web.story_page import briefing_page, story_page
from storyline.web.watch_page import routes as watch_routes


def stories_page(request: Request) -> Response:
    page = page_number(request)
    with store_for(request) as store:
        stories = page_cache(request).get(
            "stories", cache.store_version(store), lambda: list_stories(store)
        )
        totals = queries.counts(store)
        size = queries.PAGE
        shown = stories[(page - 1) * size : page * size]
        headlines = queries.headlines(store, [s["id"] for s in shown])
    return render(
        request,
        "stories.html",
        stories=shown,
        headlines=headlines,
        totals=totals,
        page=page,
        more=len(stories) > page * size,
    )


def event_page(request: Request) -> Response:
    with store_for(request) as store:
        event_id = resolve_cluster(store, "event", request.path_params["id"])
        if (moved := canonical(request, event_id)) is not None:
            return moved
        event = event_record(store, event_id, full=True)
        story = story_title(store, event["story"])
        actors = queries.event_actors(store, event_id)
        quotes = queries.event_quotes(store, event_id)
    return render(request, "event.html", event=event, story=story, actors=actors, quotes=quotes)


def article_page(request: Request) -> Response:
    lang = lang_of(request)
    with store_for(request) as store:
        article = store.get_article(request.path_params["id"])
        if (moved := canonical(request, article["id"])) is not None:
            return moved
        found = article_analysis(store, article["id"])
        ids = {str(m["entity"]) for m in found["mentions"] if m["entity"]}
        ids |= {str(q["speaker"]) for q in found["quotes"] if q["speaker"]}
        names = queries.names(store, ids)
        event = queries.titles(store, "events", {article["event"]} if article["event"] else set())
        story = queries.titles(store, "stories", {article["story"]} if article["story"] else set())
        related = {a for a in (article["duplicate_of"], article["echo_of"]) if a}
        related_titles = queries.titles(store, "articles", related)
    link = link_for(request)
    labels = {k: translate(k, lang) for k in ("type.PER", "type.ORG", "type.LOC", "type.MISC")}
    labels["quote"] = translate("article.legend.quote", lang)
    labels["via"] = translate("article.via", lang)
    marks = marks_for(found, names, lambda e: link("entities", e), labels)
    return render(
        request,
        "article.html",
        article=article,
        body=highlight(article["text"], marks),
        found=found,
        names=names,
        entities=_named(found["mentions"], names),
        event_title=event.get(article["event"] or ""),
        story_title=story.get(article["story"] or ""),
        related_titles=related_titles,
        quote_min=request.app.state.config[QUOTE_MIN_CONFIDENCE],
    )


def _named(mentions: list[ArticleMention], names: dict[str, str]) -> list[dict[str, Any]]:
    """The article's resolved entities with their mention counts, most named first."""
    counts = Counter(m["entity"] for m in mentions if m["entity"])
    label = {m["entity"]: m["label"] for m in mentions if m["entity"]}
    rows = [
        {"id": e, "name": names.get(e, e), "type": label[e], "count": n} for e, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["name"]))


def entity_page(request: Request) -> Response:
    lang = lang_of(request)
    page = page_number(request)
    month = request.query_params.get("month", "")
    month = month if re.fullmatch(r"\d{4}-\d{2}", month) else ""
    with store_for(request) as store:
        entity_id = store.resolve_prefix(
            "entities", "entity", request.path_params["id"], hint="see 'storyline entities'"
        )
        if (moved := canonical(request, entity_id)) is not None:
            return moved
        entity = queries.entity_page(store, entity_id, page, month or None)
        quotes = queries.entity_quotes(store, entity_id)
    link = link_for(request)
    chart = month_bars(
        entity["months"],
        title=translate("entity.chart", lang),
        href=lambda ym: link("entities", entity_id, month=ym) + "#articles",
    )
    return render(
        request,
        "entity.html",
        entity=entity,
        quotes=quotes,
        chart=chart,
        page=page,
        month=month,
        more=len(entity["articles"]) > queries.PAGE,
    )


def routes() -> list[BaseRoute]:
    return [
        # reads of the store only: answered through the response cache (web/cache.py)
        Route("/", cached_read(stories_page), name="stories"),
        Route("/stories/{id}", cached_read(story_page), name="story"),
        Route("/stories/{id}/briefing.{fmt:str}", cached_read(briefing_page), name="briefing"),
        Route("/events/{id}", cached_read(event_page), name="event"),
        Route("/articles/{id}", cached_read(article_page), name="article"),
        Route("/entities/{id}", cached_read(entity_page), name="entity"),
        Route("/search", cached_read(search_page), name="search"),
        *watch_routes(),
    ]
