"""The briefing as one self-contained HTML page (Jinja2, autoescaped).

Why Jinja2 with autoescape: every title, quote and claim comes from scraped articles and
is hostile input; with autoescape on, nothing reaches the page unescaped unless marked
safe, and the only markup marked safe is the chart, which report/chart.py escapes itself.
Links are kept only for http(s) URLs, so a ``javascript:`` URL stays text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from storyline.i18n import section


def web_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL with a host, else None (no link is made)."""
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("storyline.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["web_url"] = web_url
    return env


def _period(span: Mapping[str, Any], undated: str) -> str:
    first, last = span.get("first"), span.get("last")
    if not first:
        return undated
    return str(first) if first == last or not last else f"{first} – {last}"


def render_html(briefing: Mapping[str, Any]) -> str:
    """The briefing as a single HTML document: inline CSS and SVG, no scripts, no
    external resources, a print stylesheet."""
    labels = section("report.", briefing["lang"])
    template = _env().get_template("briefing.html.j2")
    return template.render(
        b=briefing,
        L=labels,
        period=_period(briefing["date_range"], labels["undated"]),
        chart=Markup(briefing["chart_svg"]) if briefing.get("chart_svg") else "",
    )
