"""The briefing as Markdown that renders the same on GitHub and other common viewers.

Why in Python rather than a template: every piece of article text is hostile input and
must pass :func:`md_escape` on its way into a table cell or a list item; written out
here, each interpolation is visibly escaped, and Markdown's sensitivity to blank lines
and indentation is easier to keep right than with template whitespace control.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storyline.i18n import section
from storyline.report.summary import cite

_WS = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ACTIVE = re.compile(r"([\\`*_\[\]|~])")
_LIST_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md_escape(value: object) -> str:
    """``value`` as inert single-line Markdown, safe in a table cell or a list item.

    Whitespace (newlines included) collapses to one space, so a cell never breaks its
    row; ``&``, ``<`` and ``>`` become entities, so no HTML tag, autolink or blockquote
    comes through; the characters that start emphasis, code, links, tables or
    strike-through get a backslash; a leading ``#``, ``+``, ``-``, ``=`` or ``1.`` is
    escaped so the text never becomes a heading or a list.
    """
    text = _WS.sub(" ", _CONTROL.sub(" ", str(value))).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _ACTIVE.sub(r"\\\1", text)
    if text[:1] in ("#", "+", "-", "="):
        text = "\\" + text
    return _LIST_START.sub(r"\1\\\2", text)


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A table; ``head`` is ours, the cells are already escaped by the caller."""
    return [_row(head), _row("---" for _ in head), *(_row(r) for r in rows), ""]


def _outlets(names: Iterable[object]) -> str:
    return ", ".join(md_escape(n) for n in names if n) or "?"


def _header(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    span = b["date_range"]
    period = (
        L["undated"]
        if not span["first"]
        else span["first"]
        if span["first"] == span["last"]
        else f"{span['first']} – {span['last']}"
    )
    outlets = ", ".join(f"{md_escape(o['outlet'])} ({o['articles']})" for o in b["outlets"])
    kind = L["story"] if b["kind"] == "story" else L["event"]
    return [
        f"# {L['briefing']}: {md_escape(b['title'])}",
        "",
        f"- **{kind}:** {md_escape(b['id'])}",
        f"- **{L['period']}:** {period}",
        f"- **{L['articles']}:** {b['article_count']}",
        f"- **{L['outlets']}:** {outlets or '?'}",
        f"- **{L['languages']}:** {', '.join(md_escape(x) for x in b['languages']) or '?'}",
        f"- **{L['generated']}:** {md_escape(b['generated_at'])}",
        "",
    ]


def _summary(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    out = [f"## {L['summary']}", "", f"_{L['summary_note']}_", ""]
    if not b["summary"]:
        return [*out, L["no_summary"], ""]
    sentences = [
        f"- {md_escape(cite({'text': s['text'], 'outlets': s['outlets']}))}" for s in b["summary"]
    ]
    return [*out, *sentences, ""]


def _timeline(b: Mapping[str, Any], L: Mapping[str, str], chart_href: str | None) -> list[str]:
    out = [f"## {L['timeline']}", ""]
    if chart_href and b["chart_svg"]:
        out += [f"![{L['timeline_chart']}]({chart_href})", "", f"_{L['chart_note']}_", ""]
    elif b["chart_svg"]:
        out += [f"_{L['chart_omitted']}_", ""]
    if not b["timeline"]:
        return [*out, L["no_timeline"], ""]
    rows = [
        (e["n"], md_escape(e["date_label"]), md_escape(e["text"]), _outlets(e["outlets"]))
        for e in b["timeline"]
    ]
    return out + _table(["#", L["date"], L["what"], L["outlets"]], rows)


def _events(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    rows = [
        (
            md_escape(str(e["date"] or L["undated"]).replace("/", " – "))
            + (f" ({L['inferred']})" if e["date"] and e["date_inferred"] else ""),
            md_escape(e["title"]),
            _outlets(e["outlets"]),
            e["independent_sources"],
            e["articles"],
            md_escape(e["id"]),
        )
        for e in b["events"]
    ]
    head = [L["date"], L["event"], L["outlets"], L["independent_sources"], L["articles"], L["id"]]
    return [f"## {L['events']}", "", *_table(head, rows)]


def _actors(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    out = [f"## {L['actors']}", ""]
    if not b["actors"]:
        out += [L["no_actors"], ""]
    else:
        rows = [
            (
                md_escape(a["name"]),
                L.get(f"type_{a['type']}", a["type"]),
                "; ".join(md_escape(r) for r in a["roles"]),
                a["articles"],
                a["outlets"],
                a["mentions"],
            )
            for a in b["actors"]
        ]
        head = [L["name"], L["type"], L["role"], L["articles"], L["outlets"], L["mentions"]]
        out += _table(head, rows)
    if b["places"]:
        places = ", ".join(f"{md_escape(p['name'])} ({p['articles']})" for p in b["places"])
        out += [f"**{L['places']}:** {places}", ""]
    return out


def _quotes(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    out = [f"## {L['quotes']}", ""]
    if not b["quotes"]:
        return [*out, L["no_quotes"], ""]
    for g in b["quotes"]:
        role = f" ({'; '.join(md_escape(r) for r in g['roles'][:2])})" if g["roles"] else ""
        out += [f"### {md_escape(g['speaker'])}{role}: {g['count']} {L['quote_count']}", ""]
        for q in g["quotes"]:
            notes = [L["indirect"]] if q["kind"] != "direct" else []
            if q["via"]:
                notes.append(f"{L['via']} {md_escape(q['via'])}")
            note = f" ({', '.join(notes)})" if notes else ""
            text = f"„{md_escape(q['text'])}“" if q["kind"] == "direct" else md_escape(q["text"])
            out.append(f"- {text}: {_outlets(q['outlets'])}{note}")
        out.append("")
    return out


def _figures(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    out = [f"## {L['figures']}", ""]
    if not b["figures"]:
        return [*out, L["no_figures"], ""]
    rows = []
    for g in b["figures"]:
        reports = " · ".join(
            f"**{md_escape(r['text'])}** {_outlets(r['outlets'])}"
            + (f" ({_outlets(r['speakers'])})" if r["speakers"] else "")
            for r in g["reports"]
        )
        subject = md_escape(g["subject"]) + (
            f" ({md_escape(g['speaker'])})" if g["speaker"] else ""
        )
        flag = ""
        if g["differ"]:
            pairs = "; ".join(
                " ≠ ".join(f"{md_escape(v['text'])} ({md_escape(v['outlet'] or '?')})" for v in d)
                for d in g.get("differences") or []
            )
            flag = f"**≠ {L['differ']}**" + (f": {pairs}" if pairs else "")
        rows.append((subject, reports, flag))
    return out + _table([L["subject"], L["reports"], ""], rows)


def _comparison(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    c = b["comparison"]
    out = [f"## {L['comparison']}", ""]
    rows = [
        (md_escape(o["outlet"]), o["articles"], o["claims"], o["unique"], o["echoes"])
        for o in c["outlets"]
    ]
    out += _table([L["outlet"], L["articles"], L["claims"], L["unique"], L["echoes"]], rows)
    if c["matrix"]:
        mark = {"own": "✓", "echo": "↻", "": ""}
        head = [L["claim"], *(md_escape(o) for o in c["matrix_outlets"])]
        head += [L["independent"], L["echoes"]]
        rows = [
            (
                md_escape(m["text"]) + _hedge(m, L),
                *(mark[m["cells"][o]] for o in c["matrix_outlets"]),
                m["independent_sources"],
                m["echoes"],
            )
            for m in c["matrix"]
        ]
        out += [f"### {L['top_claims']}", "", f"_{L['matrix_note']}_", "", *_table(head, rows)]
    if c.get("unique"):
        out += [f"### {L['unique_details']}", ""]
        for u in c["unique"]:
            out.append(f"- **{md_escape(u['outlet'])}**")
            out += [
                f"    - {md_escape(x['text'])} ({md_escape(x['sources'][0]['article'])})"
                for x in u["claims"]
            ]
        out.append("")
    return out


def _hedge(claim: Mapping[str, Any], L: Mapping[str, str]) -> str:
    if claim.get("kind") == "hedged" or claim.get("hedged"):
        word = f": {md_escape(claim['hedge'])}" if claim.get("hedge") else ""
        return f" _({L['hedged_mark']}{word})_"
    return ""


def _cited(claim: Mapping[str, Any], L: Mapping[str, str]) -> str:
    ids = ", ".join(md_escape(s["article"]) for s in claim["sources"][:6])
    return f"{md_escape(claim['text'])}{_hedge(claim, L)} ({_outlets(claim['outlets'])}; {ids})"


def _passages(claim: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    """Every source's own words for a claim, each with its outlet: in a dispute the
    exact wording of each side matters."""
    out = []
    for i, s in enumerate(claim["sources"]):
        who = md_escape(s.get("outlet") or "?")
        if s.get("speaker_name"):
            who += f" · {md_escape(s['speaker_name'])}"
        hedge = _hedge(claim, L) if i == 0 else ""
        text = md_escape(s.get("text") or claim["text"])
        out.append(f"    - {who}: {text}{hedge} ({md_escape(s['article'])})")
    return out


def _disputed(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    out = [f"## {L['disputed']}", ""]
    if not b["disputes"] and not b["unmatched_denials"]:
        out += [L["no_disputes"], ""]
    for d in b["disputes"]:
        out.append(f"- **{L['disputed_claim']}:**")
        out += _passages(d["claim"], L)
        out.append(f"  - **{L['denied_by']}:**")
        for x in d["denials"]:
            out += _passages(x, L)
    if b["disputes"]:
        out.append("")
    if b["unmatched_denials"]:
        out += [f"### {L['unmatched_denials']}", ""]
        out += [f"- {_cited(x, L)}" for x in b["unmatched_denials"]] + [""]
    if b["hedged"]:
        out += [f"### {L['hedged']}", ""]
        out += [f"- {_cited(x, L)}" for x in b["hedged"]] + [""]
    return out


def _sources(b: Mapping[str, Any], L: Mapping[str, str]) -> list[str]:
    rows = []
    for a in b["sources"]:
        published = md_escape(a["published"] or L["unknown"])
        if a["published_inferred"]:
            published += f" ({L['inferred']})"
        notes = []
        if a["duplicate_of"]:
            notes.append(f"{L['duplicate_of']} {md_escape(a['duplicate_of'])}")
        if a["echo_of"]:
            notes.append(f"{L['echo_of']} {md_escape(a['echo_of'])}")
        title = md_escape(a["title"] or "") + (f" ({'; '.join(notes)})" if notes else "")
        where = md_escape(a["url"] or a["source"] or "")
        rows.append((md_escape(a["outlet"] or "?"), title, published, where, md_escape(a["id"])))
    head = [L["outlet"], L["title"], L["published"], L["source"], L["id"]]
    return [f"## {L['sources']}", "", *_table(head, rows)]


def render_markdown(briefing: Mapping[str, Any], *, chart_href: str | None = None) -> str:
    """The briefing as Markdown; ``chart_href`` is the relative path of the timeline SVG
    written next to the file (without it the chart is left out: stdout has no place for
    an image)."""
    L = section("report.", briefing["lang"])
    parts = [
        *_header(briefing, L),
        *_summary(briefing, L),
        *_timeline(briefing, L, chart_href),
        *_events(briefing, L),
        *_actors(briefing, L),
        *_quotes(briefing, L),
        *_figures(briefing, L),
        *_comparison(briefing, L),
        *_disputed(briefing, L),
        *_sources(briefing, L),
        "---",
        "",
        f"_{L['footer']}_",
    ]
    return "\n".join(parts) + "\n"
