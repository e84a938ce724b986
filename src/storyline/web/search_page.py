"""The search page: a GET form and its results, with snippets and filters.

Why GET: a search is a link an analyst can bookmark and send. The form's values go to
:func:`storyline.search.search` as they are; its QueryError (no words, a bad date) and
NotFoundError (an unknown entity) are shown above the form with status 400, so the
analyst can fix the field instead of landing on an error page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from storyline.errors import NotFoundError, QueryError
from storyline.i18n import iso_day, local_day
from storyline.records import SearchHit
from storyline.search.engine import MAX_LIMIT, search
from storyline.store import pages as queries
from storyline.web.deps import store_for
from storyline.web.highlight import mark_words
from storyline.web.render import page_number, render

#: Results per page.
PER_PAGE = 20

#: Query parameters of the form. The articles' language is ``language``: ``lang`` is the
#: interface language on every page, this one included.
_FIELDS = ("q", "outlet", "language", "from", "to", "entity")


def search_page(request: Request) -> Response:
    form = {k: request.query_params.get(k, "").strip()[:500] for k in _FIELDS}
    semantic = request.query_params.get("semantic") == "1"
    page = min(page_number(request), MAX_LIMIT // PER_PAGE)
    results: list[SearchHit] = []
    error: str | None = None
    more = False
    entity_name: str | None = None
    with store_for(request) as store:
        outlets = store.outlet_names()
        langs = queries.languages(store)
        if form["q"]:
            limit = page * PER_PAGE
            try:
                found = search(
                    store,
                    form["q"],
                    semantic=semantic,
                    outlet=form["outlet"] or None,
                    lang=form["language"] or None,
                    since=iso_day(form["from"]) or None,
                    until=iso_day(form["to"]) or None,
                    entity=form["entity"] or None,
                    limit=limit + 1,
                )
            except (QueryError, NotFoundError) as err:
                error = str(err)
            else:
                more = len(found) > limit
                results = found[(page - 1) * PER_PAGE : limit]
        if form["entity"] and form["q"] and error is None:  # the search resolved it
            entity = store.resolve_prefix("entities", "entity", form["entity"], hint="")
            entity_name = queries.names(store, {entity}).get(entity)
    return render(
        request,
        "search.html",
        status=400 if error else 200,
        form=form,
        semantic=semantic,
        outlets=outlets,
        langs=langs,
        results=results,
        error=error,
        page=page,
        per_page=PER_PAGE,
        more=more,
        entity_name=entity_name,
        snippet=mark_words,
        local_day=local_day,
    )
