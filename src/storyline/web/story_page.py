"""A story's page and its briefing downloads.

The page is the analyst's overview: what happened when (chart and timeline), the events
with their independent sources, who is involved, what the outlets say alike or
differently (the comparison), who said what, and every article. Timeline and comparison
are computed from all of the story's articles and cached per story version
(:mod:`storyline.web.cache`); every list on the page is cut to what a reader scans, with
the counts of what was left out.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from storyline.config import Config
from storyline.errors import NotFoundError
from storyline.i18n import translate
from storyline.records import Comparison, TimelineEntryRecord
from storyline.report.summary import summarize
from storyline.store import Store
from storyline.store import pages as queries
from storyline.store.pages import ArticleLine, EventLine
from storyline.stories.dating import day_of
from storyline.stories.echo import independent_sources
from storyline.stories.read import _Member, resolve_cluster
from storyline.stories.timeline import build_timeline
from storyline.web import cache, data
from storyline.web.deps import store_for
from storyline.web.render import canonical, lang_of, page_cache, page_number, render

log = logging.getLogger("storyline.web")

#: Events listed before the rest folds into a <details>. The page once ran to 7,900 px:
#: it now opens with the summary, the events and the top claims, and folds the rest.
EVENTS_SHOWN = 12
#: Timeline entries listed before the rest folds into a <details>.
TIMELINE_SHOWN = 12
#: Claims of the comparison shown open; the next ones fold, the rest are counted.
CLAIMS_SHOWN = 8
CLAIMS_FOLDED = 25
#: Sources listed under one claim, rows under one figure group.
SOURCES_SHOWN = 10
#: Differing pairs of values shown per figure group (the most reported first).
DIFFERENCES_SHOWN = 6
#: Articles per page of the story's article list.
ARTICLES_SHOWN = 100


def sources(articles: list[ArticleLine]) -> int:
    """Independent sources behind the articles, counted as the CLI counts them."""
    members = [
        _Member(a["id"], a["outlet"], day_of(a["published"]), a["duplicate_of"]) for a in articles
    ]
    return independent_sources(members, {a["id"]: a["echo_of"] for a in articles})


def with_sources(events: list[EventLine], articles: list[ArticleLine]) -> list[EventLine]:
    """Events with their article counts, outlets and independent sources, computed from
    the story's `articles` (fetched once for the page)."""
    by_event: dict[str, list[ArticleLine]] = {}
    for a in articles:
        by_event.setdefault(a["event"], []).append(a)
    for e in events:
        arts = by_event.get(e["id"], [])
        e["articles"] = len(arts)
        e["outlets"] = sorted({a["outlet"] for a in arts if a["outlet"]})
        e["independent_sources"] = sources(arts)
    return events


def story_page(request: Request) -> Response:
    lang = lang_of(request)
    qpage = page_number(request, "qpage")
    apage = page_number(request, "apage")
    cached = page_cache(request)
    with store_for(request) as store:
        story_id = resolve_cluster(store, "story", request.path_params["id"])
        if (moved := canonical(request, story_id)) is not None:
            return moved
        story = queries.story_row(store, story_id)
        articles = queries.story_articles(store, story_id)
        events = with_sources(queries.story_events(store, story_id), articles)
        timeline, comparison, version = expensive_parts(store, cached, story_id)
        actors = queries.key_actors(store, story_id)
        quotes, quote_total = queries.story_quotes(store, story_id, qpage)
        chart = cached.get(
            ("chart", story_id, lang), version, lambda: data.timeline_chart(timeline, events, lang)
        )
    outlets = Counter(a["outlet"] or "?" for a in articles)
    first = (apage - 1) * ARTICLES_SHOWN
    return render(
        request,
        "story.html",
        story=story,
        articles=articles[first : first + ARTICLES_SHOWN],
        article_total=len(articles),
        apage=apage,
        articles_more=len(articles) > first + ARTICLES_SHOWN,
        events=events,
        events_shown=EVENTS_SHOWN,
        timeline=[_entry_view(e) for e in timeline],
        timeline_shown=TIMELINE_SHOWN,
        chart=chart,
        actors=actors,
        quotes=quotes,
        quote_total=quote_total,
        qpage=qpage,
        page_size=queries.PAGE,
        outlets=sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
        languages=sorted({a["lang"] for a in articles if a["lang"]}),
        span=_span(events) or translate("undated", lang),
        comparison=_comparison_view(comparison),
        summary=summarize(
            comparison["claims"] if comparison else [],
            [e["id"] for e in events],
            article_lang={a["id"]: a["lang"] for a in articles if a["lang"]},
            lang=lang,
        ),
        briefings=data.briefings_available(),
    )


def expensive_parts(
    store: Store, cached: cache.PageCache, story_id: str
) -> tuple[list[TimelineEntryRecord], Comparison | None, cache.Version]:
    """The story's timeline and comparison (from the cache when the story is unchanged)
    and the story's version."""
    version = cache.story_version(store, story_id)
    timeline: list[TimelineEntryRecord] = cached.get(
        ("timeline", story_id),
        version,
        lambda: [e.to_dict() for e in build_timeline(store, story_id)],
    )
    comparison = cached.get(
        ("compare", story_id), version, lambda: data.comparison(store, story_id)
    )
    return timeline, comparison, version


def warm_stories(db_path: str | Path, config: Config, cached: cache.PageCache, limit: int) -> None:
    """Compute the `limit` largest stories' timelines and comparisons ahead of their first
    visit (run by the server in a background thread when it starts): these are the pages
    an analyst opens first, and the ones that take seconds to compute."""
    with Store(db_path, create=False, config=config) as store:
        largest = queries.largest_stories(store, limit)
        for story_id in largest:
            expensive_parts(store, cached, story_id)
    log.info("page cache warm: %d stories", len(largest))


def _entry_view(entry: TimelineEntryRecord) -> dict[str, Any]:
    """A timeline entry with its sources grouped by outlet: each outlet once, linked to
    its first article, with how many of its articles state the entry."""
    outlets: dict[str | None, dict[str, Any]] = {}
    for s in entry["sources"]:
        row = outlets.setdefault(s["outlet"], {"article": s["article"], "n": 0})
        row["n"] += 1
    return {**entry, "outlets": [{"outlet": o, **v} for o, v in outlets.items()]}


def _span(events: list[EventLine]) -> str | None:
    """First to last day of the dated events ("2025-03-04 – 2025-09-19")."""
    first = [e["date_start"] for e in events if e["date_start"]]
    last = [e["date_end"] or e["date_start"] for e in events if e["date_start"]]
    if not first:
        return None
    return min(first) if min(first) == max(last) else f"{min(first)} – {max(last)}"


def _comparison_view(found: Comparison | None) -> dict[str, Any] | None:
    """What the page shows of the comparison: best-sourced claims first, disputes with
    both sides, only the figure groups whose figures differ; long lists cut."""
    if found is None:
        return None
    claims = found.get("claims", [])
    by_id = {c["id"]: c for c in claims}
    ranked = sorted(claims, key=lambda c: (-c["independent_sources"], -len(c["sources"]), c["id"]))
    disputes = [
        {"claim": by_id[d["claim"]], "denied_by": [by_id[x] for x in d["denied_by"] if x in by_id]}
        for d in found.get("disputes", [])
        if d["claim"] in by_id
    ]
    figures = [
        {
            **f,
            "rows": f["rows"][:SOURCES_SHOWN],
            "more": max(len(f["rows"]) - SOURCES_SHOWN, 0),
            "differences": f["differences"][:DIFFERENCES_SHOWN],
            "differences_more": max(
                f.get("differences_total", len(f["differences"])) - DIFFERENCES_SHOWN, 0
            ),
        }
        for f in found.get("figures", [])
        if f.get("differ")
    ]
    shown = [
        {
            **c,
            "sources": c["sources"][:SOURCES_SHOWN],
            "more": max(len(c["sources"]) - SOURCES_SHOWN, 0),
        }
        for c in ranked[:CLAIMS_FOLDED]
    ]
    return {
        "outlets": found.get("outlets", []),
        "claims": shown[:CLAIMS_SHOWN],
        "claims_folded": shown[CLAIMS_SHOWN:],
        "claims_total": len(claims),
        "disputes": disputes,
        "figures": figures,
    }


def briefing_page(request: Request) -> Response:
    """The story's briefing as a download (HTML or Markdown), made by storyline.report."""
    fmt = request.path_params["fmt"]
    lang = lang_of(request)
    with store_for(request) as store:
        story_id = resolve_cluster(store, "story", request.path_params["id"])
        text = data.briefing(store, story_id, fmt, lang)
    if text is None:
        raise NotFoundError(
            translate("story.briefing.absent", lang), hint="storyline story ID --json"
        )
    return Response(
        text,
        media_type=data.BRIEFING_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="briefing-{story_id}.{fmt}"'},
    )
