"""The watch page: watched sources with their health, alerts and latest matches, and forms
to add and remove both.

Why the forms ask for the token: the server listens on 127.0.0.1, but any page the
user's browser opens may post forms to it; a write must prove it comes from someone who
can read the token file, as the API's writes do. The token is compared in constant time
and never echoed back. Everything shown is escaped by the templates (autoescape), and
source URLs become links only through `external_url` (http and https alone).
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from storyline.errors import StorylineError
from storyline.i18n import translate
from storyline.store import alerts as alert_db
from storyline.store.watch import list_sources
from storyline.stories.read import resolve_cluster
from storyline.watch import sources
from storyline.watch.sources import format_every
from storyline.web.api_common import ApiError
from storyline.web.api_watch import alert_fields
from storyline.web.auth import bearer_matches
from storyline.web.deps import store_for
from storyline.web.render import lang_of, link_for, render

#: Longest form field accepted (characters); longer ones are refused.
MAX_FIELD = 2000


def _page(request: Request, status: int = 200, error: str | None = None) -> Response:
    with store_for(request) as store:
        watched = [{**s.to_dict(), "every": format_every(s.every_s)} for s in list_sources(store)]
        alerts = [a.to_dict() for a in alert_db.list_alerts(store)]
        recent = [m.to_dict() for m in alert_db.recent_matches(store)]
    return render(
        request,
        "watch.html",
        status=status,
        watched=watched,
        alerts=alerts,
        recent=recent,
        error=error,
        done=request.query_params.get("done", "") in ("added", "removed"),
    )


def watch_page(request: Request) -> Response:
    return _page(request)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    text = value if isinstance(value, str) else ""
    if len(text) > MAX_FIELD:
        raise ApiError(400, "bad_request", f"field {name!r} is too long")
    return text.strip()


def _check_token(request: Request, form: FormData) -> None:
    token = getattr(request.app.state, "token", None)
    if not token:
        raise ApiError(403, "writes_disabled", translate("watch.no_writes", lang_of(request)))
    if not bearer_matches("Bearer " + _field(form, "token"), token):
        raise ApiError(401, "unauthorized", translate("watch.bad_token", lang_of(request)))


def _add_source(request: Request, form: FormData) -> None:
    with store_for(request) as store:
        sources.add(
            store,
            _field(form, "url"),
            every=_field(form, "every") or None,
            name=_field(form, "name") or None,
            ignore_robots=_field(form, "ignore_robots") == "1",
            origin="web",
        )


def _remove_source(request: Request, form: FormData) -> None:
    with store_for(request) as store:
        sources.remove(store, str(request.path_params["id"]))


def _add_alert(request: Request, form: FormData) -> None:
    what = _field(form, "kind")
    data: dict[str, Any] = {
        what: _field(form, "value"),
        "deliver": _field(form, "deliver") or "stdout",
        "digest": _field(form, "digest") or None,
    }
    minimum = _field(form, "min_sources")
    data["min_sources"] = int(minimum) if minimum.isdigit() else 1
    kind, value, minimum_sources, deliver, digest = alert_fields(data)
    with store_for(request) as store:
        if kind == "story":
            value = resolve_cluster(store, "story", value)
        alert_db.add_alert(store, kind, value, minimum_sources, deliver, digest)


def _remove_alert(request: Request, form: FormData) -> None:
    raw = str(request.path_params["id"])
    with store_for(request) as store:
        alert_db.remove_alert(store, int(raw) if raw.isdigit() else -1)


def _action(change: Any, done: str) -> Any:
    """A POST endpoint: token checked, the change made, then back to the page (303), or the
    page again with the error."""

    async def endpoint(request: Request) -> Response:
        form = await request.form()
        try:
            _check_token(request, form)
            await run_in_threadpool(change, request, form)
        except ApiError as err:
            return await run_in_threadpool(_page, request, err.status, err.message)
        except StorylineError as err:
            return await run_in_threadpool(_page, request, 400, str(err))
        finally:
            await form.close()
        return RedirectResponse(link_for(request)("watch", done=done), status_code=303)

    return endpoint


def routes() -> list[BaseRoute]:
    return [
        Route("/watch", watch_page, name="watch"),
        Route("/watch/sources", _action(_add_source, "added"), methods=["POST"]),
        Route("/watch/sources/{id}/remove", _action(_remove_source, "removed"), methods=["POST"]),
        Route("/watch/alerts", _action(_add_alert, "added"), methods=["POST"]),
        Route("/watch/alerts/{id}/remove", _action(_remove_alert, "removed"), methods=["POST"]),
    ]
