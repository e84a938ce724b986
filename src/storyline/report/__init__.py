"""Briefings: a story or event as one sourced report (Markdown or self-contained HTML).

``build_briefing(store, id)`` gathers the data (summary, timeline and chart, events,
actors, quotes, figures, source comparison, disputes, sources) as one JSON-serialisable
dict; ``render_markdown`` and ``render_html`` turn it into text; ``write_report`` does
both steps and writes the file(s). See docs/report.md.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from storyline.report.build import build_briefing
from storyline.report.html import render_html
from storyline.report.markdown import md_escape, render_markdown
from storyline.store import Store

FORMATS = ("md", "html")


def chart_path(md_path: str | Path) -> Path:
    """Where the timeline SVG of a Markdown briefing goes: ``x.md`` -> ``x.timeline.svg``."""
    path = Path(md_path)
    return path.with_name(f"{path.stem if path.suffix else path.name}.timeline.svg")


def write_report(
    store: Store,
    cluster_id: str,
    fmt: str = "html",
    lang: str = "de",
    out_path: str | Path | None = None,
) -> str | Path:
    """The briefing of a story or event in ``fmt`` ("md" or "html").

    Without ``out_path`` the text is returned (Markdown without the chart image: there is
    nowhere to put it). With it the file is written, and for Markdown the chart is
    written next to it as ``NAME.timeline.svg`` and linked relatively; the path is
    returned.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    briefing = build_briefing(store, cluster_id, lang=lang)
    if out_path is None:
        return render_html(briefing) if fmt == "html" else render_markdown(briefing)
    out = Path(out_path)
    if fmt == "html":
        text = render_html(briefing)
    else:
        href = None
        if briefing["chart_svg"]:
            svg = chart_path(out)
            svg.write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n' + briefing["chart_svg"] + "\n",
                encoding="utf-8",
            )
            href = quote(svg.name)
        text = render_markdown(briefing, chart_href=href)
    out.write_text(text, encoding="utf-8")
    return out


__all__ = [
    "FORMATS",
    "build_briefing",
    "chart_path",
    "md_escape",
    "render_html",
    "render_markdown",
    "write_report",
]
