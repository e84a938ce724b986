"""Markdown briefings: every cell and line escaped, tables intact, the chart beside the file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import copy_store
from tests.report.briefing_fixtures import HOSTILE, make_comparison, store_articles

from storyline.report import build_briefing, chart_path, md_escape, render_markdown, write_report
from storyline.store import Store

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _unescape(text: str) -> str:
    """Markdown's reading of md_escape's output: backslash escapes, then the entities."""
    out = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"&(amp|lt|gt);", lambda m: {"amp": "&", "lt": "<", "gt": ">"}[m[1]], out)


@given(st.text())
def test_report_md_escape_is_inert_and_lossless(text: str) -> None:
    got = md_escape(text)
    assert "\n" not in got and "\r" not in got
    assert "<" not in got and ">" not in got
    assert not got.startswith(("#", "+", "-", "=", ">"))
    assert not re.match(r"\d+[.)](\s|$)", got)
    # every | and ` is escaped (preceded by an odd run of backslashes)
    for m in re.finditer(r"[|`*_\[\]]", got):
        run = len(got[: m.start()]) - len(got[: m.start()].rstrip("\\"))
        assert run % 2 == 1, (got, m.start())
    assert _unescape(got) == " ".join(_CONTROL.sub(" ", text).split())


def test_report_md_escape_examples() -> None:
    assert md_escape("# Titel") == "\\# Titel"
    assert md_escape("a | b\nc") == "a \\| b c"
    assert md_escape("<script>") == "&lt;script&gt;"
    assert md_escape("1. Mai") == "1\\. Mai"
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"


@pytest.fixture(scope="module")
def hostile_md(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("md") / "ex.db"
    copy_store(examples_db, db)
    with Store(db) as store:
        story = store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
        with store.transaction():
            store.conn.execute("UPDATE stories SET title=?", (HOSTILE + "\n# not a heading",))
            store.conn.execute("UPDATE articles SET title=?, url=?", (HOSTILE, "javascript:x"))
        events, arts = store_articles(store, story)
        comparison = make_comparison(story, events, arts, hostile=HOSTILE)
        return render_markdown(build_briefing(store, story, comparison=comparison))


def _tables(md: str) -> list[list[str]]:
    tables, current = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    return tables


def _cells(row: str) -> int:
    """Columns of a table row: pipes not escaped by a backslash, minus the outer ones."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", row)) - 1


def test_report_md_tables_survive_hostile_text(hostile_md: str) -> None:
    tables = _tables(hostile_md)
    assert len(tables) >= 6
    for table in tables:
        width = _cells(table[0])
        assert all(_cells(row) == width for row in table), table


def test_report_md_has_no_raw_html_or_stray_headings(hostile_md: str) -> None:
    assert "<script" not in hostile_md and "<img" not in hostile_md
    assert "&lt;script&gt;" in hostile_md
    assert "](javascript:" not in hostile_md.replace("\\]", "")
    headings = [line for line in hostile_md.splitlines() if line.startswith("#")]
    assert not any("not a heading" in h and not h.startswith("# ") for h in headings)
    assert hostile_md.count("\n# ") == 0  # one title line, at the very top
    assert hostile_md.startswith("# ")


def test_report_md_sections_in_order(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story = store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
        md = render_markdown(build_briefing(store, story, lang="en"))
    heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    expected = ["Summary", "Timeline", "Events", "Key actors", "Key quotes by speaker",
                "Figures", "Source comparison", "Disputed", "Sources"]  # fmt: skip
    assert heads == expected
    assert "![" not in md  # no file to point to


def test_report_md_written_with_chart_beside_it(examples_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "Lage bild.md"
    with Store(examples_db) as store:
        story = store.conn.execute("SELECT id FROM stories ORDER BY id").fetchone()[0]
        assert write_report(store, story, "md", "de", out) == out
    svg = chart_path(out)
    assert svg.name == "Lage bild.timeline.svg" and svg.is_file()
    ET.parse(svg)
    text = out.read_text(encoding="utf-8")
    assert "](Lage%20bild.timeline.svg)" in text


def _briefing(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "lang": "de", "id": "s-1", "kind": "story", "title": "T", "generated_at": "now",
        "date_range": {"first": None, "last": None}, "article_count": 0, "outlets": [],
        "languages": [], "summary": [], "timeline": [], "chart_svg": "", "events": [],
        "actors": [], "places": [], "quotes": [], "figures": [],
        "comparison": {"outlets": [], "matrix_outlets": [], "matrix": [], "claims": 0},
        "disputes": [], "unmatched_denials": [], "hedged": [], "sources": [],
    }  # fmt: skip
    return base | over


def test_report_md_empty_briefing_renders() -> None:
    md = render_markdown(_briefing())
    assert "Keine" in md and md.startswith("# Lagebild: T")
