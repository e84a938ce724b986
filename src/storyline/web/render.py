"""Rendering a page: the Jinja environment, the interface language, links and paging.

Why links are built by a function and never by string concatenation in templates: every
href is made of ids (percent-quoted path segments) and query values (urlencoded); no
article text or URL from an article can end up in one. Article URLs are offered as links
only by :func:`external_url`, which admits http and https alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from storyline.i18n import LANGS, evidence_text, pick_lang, translate
from storyline.web.cache import PageCache

TEMPLATES = Path(__file__).resolve().parent / "templates"

ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def default_lang(request: Request) -> str:
    return pick_lang(getattr(request.app.state, "lang", None))


def lang_of(request: Request) -> str:
    """``?lang=`` when it names a known language, else the server's default."""
    return pick_lang(request.query_params.get("lang"), default_lang(request))


def make_link(lang: str, default: str) -> Callable[..., str]:
    """``link("stories", id, page=2)`` -> ``/stories/<id>?page=2`` (plus ``lang`` when it
    is not the server's default); empty and None values are left out."""

    def link(*parts: object, **params: object) -> str:
        path = "/" + "/".join(quote(str(p), safe="") for p in parts)
        query = {k: str(v) for k, v in params.items() if v not in (None, "", False)}
        if lang != default:
            query["lang"] = lang
        return path + ("?" + urlencode(query) if query else "")

    return link


def link_for(request: Request) -> Callable[..., str]:
    """The page's link builder (see :func:`make_link`)."""
    return make_link(lang_of(request), default_lang(request))


def switch_link(request: Request, lang: str) -> str:
    """This page in the other interface language."""
    other = next(code for code in LANGS if code != lang)
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", other))
    return quote(request.url.path) + "?" + urlencode(query)


def external_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, else None (never a javascript: or data:
    link from an article's metadata)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def page_number(request: Request, name: str = "page") -> int:
    """A 1-based page number from the query; anything unusable is page 1."""
    raw = request.query_params.get(name, "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def page_cache(request: Request) -> PageCache:
    """The app's cache of expensive page parts (see :mod:`storyline.web.cache`)."""
    found: PageCache = request.app.state.cache
    return found


def canonical(request: Request, full_id: str) -> Response | None:
    """A redirect to the full id's page when the address used a prefix."""
    given = request.path_params["id"]
    if given == full_id:
        return None
    path = request.url.path[: -len(given)] + full_id
    query = request.url.query
    return RedirectResponse(path + ("?" + query if query else ""), status_code=307)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    def evidence(found: Any) -> tuple[str, str]:
        return evidence_text(found.get("method"), found.get("detail"), lang)

    context.update(
        request=request,
        lang=lang,
        t=t,
        evidence=evidence,
        link=link_for(request),
        switch=switch_link(request, lang),
        lang_param=lang if lang != default_lang(request) else "",
        external_url=external_url,
    )
    html = ENV.get_template(template).render(context)
    return HTMLResponse(html, status_code=status)
