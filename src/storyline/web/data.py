"""The one place where the web UI calls the comparison and the briefings.

Why an adapter: both are written alongside the UI and their entry points may still move;
keeping every call here makes that a one-place change. A part that is not installed
(its package absent) makes its section absent with a note; a part that is installed but
fails to import or run raises, so a broken install shows as an error, not as a missing
feature.
"""

from __future__ import annotations

import importlib
import importlib.util

from markupsafe import Markup

from storyline.records import Comparison, TimelineEntryRecord
from storyline.store import Store
from storyline.store.pages import EventLine


def _installed(module: str) -> bool:
    """Whether `module` exists (its parent packages are imported to find out)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is absent: so is the module
        return False


def comparison(store: Store, story_id: str) -> Comparison | None:
    """The story's source comparison (``storyline.compare.compare``), or None when this
    storyline has no comparison. Reads the claims as stored (never computes: a page must
    not wait for the encoder or the write lock); ``claims_state`` says how current."""
    if not _installed("storyline.compare"):
        return None
    compare = importlib.import_module("storyline.compare").compare
    result: Comparison = compare(store, story_id, refresh=False)
    return result


def timeline_chart(
    entries: list[TimelineEntryRecord], events: list[EventLine], lang: str
) -> Markup:
    """The briefing's timeline chart (``storyline.report.chart.timeline_svg``), so the
    page and the briefing draw the same picture. Its text is XML-escaped there."""
    from storyline.report.chart import timeline_svg

    chart_entries = [
        {
            "n": n,
            "date": e["date"],
            "text": e["text"],
            "outlets": sorted({s["outlet"] or "?" for s in e["sources"]}),
        }
        for n, e in enumerate(entries, start=1)
    ]
    chart_events = [
        {"title": e["title"], "date": _event_date(e)} for e in events if e["date_start"]
    ]
    return Markup(timeline_svg(chart_entries, chart_events, lang=lang))


def _event_date(event: EventLine) -> str:
    first, last = event["date_start"], event["date_end"] or event["date_start"]
    return str(first) if first == last else f"{first}/{last}"


#: Briefing formats offered for download: URL suffix -> media type.
BRIEFING_FORMATS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8"}


def briefings_available() -> bool:
    return _installed("storyline.report")


def briefing(store: Store, story_id: str, fmt: str, lang: str) -> str | None:
    """The story's briefing as text in `fmt` ("html" or "md"; ``storyline.report.
    write_report`` without a file), or None when this storyline makes no briefings. The
    Markdown briefing comes without its chart image (a download is one file)."""
    if fmt not in BRIEFING_FORMATS or not briefings_available():
        return None
    report = importlib.import_module("storyline.report")
    text = report.write_report(store, story_id, fmt=fmt, lang=lang)
    return str(text)
