"""The briefing's data: built from the store and the comparison, JSON-serialisable."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.report.briefing_fixtures import make_comparison, store_articles

from storyline.errors import NotFoundError
from storyline.report import build_briefing, render_html, render_markdown
from storyline.store import Store


def _largest_story(store: Store) -> str:
    return str(
        store.conn.execute(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id "
            "GROUP BY e.story_id ORDER BY count(*) DESC, e.story_id"
        ).fetchone()[0]
    )


@pytest.fixture(scope="module")
def briefing(examples_db: Path) -> dict[str, Any]:
    with Store(examples_db) as store:
        return build_briefing(store, _largest_story(store)[:6])


def test_report_build_is_json_and_complete(briefing: dict[str, Any], examples_db: Path) -> None:
    assert json.loads(json.dumps(briefing)) == briefing
    assert briefing["kind"] == "story" and briefing["id"].startswith("s-")
    with Store(examples_db) as store:
        members = {
            r[0]
            for r in store.conn.execute(
                "SELECT a.id FROM articles a JOIN events e ON e.id = a.event_id "
                "WHERE e.story_id = ?",
                (briefing["id"],),
            )
        }
    assert {a["id"] for a in briefing["sources"]} == members
    assert briefing["article_count"] == len(members)
    assert len(briefing["events"]) == 3
    assert briefing["date_range"]["first"] <= briefing["date_range"]["last"]
    assert [e["n"] for e in briefing["timeline"]] == list(range(1, len(briefing["timeline"]) + 1))
    assert briefing["chart_svg"].startswith("<svg")
    assert 5 <= len(briefing["summary"]) <= 8


def test_report_build_actors_with_roles_and_places_apart(briefing: dict[str, Any]) -> None:
    actors = {a["name"]: a for a in briefing["actors"]}
    assert "Renate Brandt" in actors
    assert any("GHL" in r for r in actors["Renate Brandt"]["roles"])
    assert all(a["type"] != "LOC" for a in briefing["actors"])
    assert "Hamburg" in {p["name"] for p in briefing["places"]}
    counts = [a["articles"] for a in briefing["actors"]]
    assert counts == sorted(counts, reverse=True)


def test_report_build_quotes_grouped_by_speaker(briefing: dict[str, Any]) -> None:
    groups = briefing["quotes"]
    assert groups and len(groups) <= 6
    assert [g["count"] for g in groups] == sorted((g["count"] for g in groups), reverse=True)
    for g in groups:
        assert 1 <= len(g["quotes"]) <= 3
        assert all(q["outlets"] for q in g["quotes"])
        texts = [q["text"].casefold() for q in g["quotes"]]
        assert len(set(texts)) == len(texts)


def test_report_build_event_briefing(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story = _largest_story(store)
        event = store.conn.execute(
            "SELECT id FROM events WHERE story_id=? ORDER BY date_start", (story,)
        ).fetchone()[0]
        got = build_briefing(store, event)
    assert got["kind"] == "event" and got["story"] == story
    assert [e["id"] for e in got["events"]] == [event]
    members = {a["id"] for a in got["sources"]}
    assert all(any(s["article"] in members for s in e["sources"]) for e in got["timeline"])


def test_report_build_uses_the_given_comparison(examples_db: Path) -> None:
    with Store(examples_db) as store:
        story = _largest_story(store)
        events, arts = store_articles(store, story)
        got = build_briefing(store, story, comparison=make_comparison(story, events, arts))
    assert got["disputes"][0]["claim"]["id"] == "c-008"
    assert got["disputes"][0]["denials"][0]["id"] == "c-009"
    assert [h["hedge"] for h in got["hedged"]] == ["möglicherweise"]
    assert got["figures"][0]["differ"]


def test_report_build_calls_compare(examples_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    comparison = importlib.import_module("storyline.compare")  # the package, not the function
    calls = []

    def fake(store: Store, cluster: str) -> dict[str, Any]:
        calls.append(cluster)
        events, arts = store_articles(store, cluster)
        return make_comparison(cluster, events, arts)

    monkeypatch.setattr(comparison, "compare", fake)
    with Store(examples_db) as store:
        story = _largest_story(store)
        build_briefing(store, story[:7])
    assert calls == [story]


def test_report_import_does_not_load_compare() -> None:
    code = "import sys, storyline.report; print('storyline.compare' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_report_build_rejects_unknown_ids_and_languages(examples_db: Path) -> None:
    with Store(examples_db) as store:
        with pytest.raises(NotFoundError):
            build_briefing(store, "s-ffffffffffff")
        with pytest.raises(NotFoundError):
            build_briefing(store, "zzzz")
        with pytest.raises(ValueError):
            build_briefing(store, _largest_story(store), lang="fr")


@pytest.mark.seeds
def test_report_build_seeds_story(seeds_db: Path) -> None:
    with Store(seeds_db) as store:
        story = _largest_story(store)
        got = build_briefing(store, story)
    assert got["summary"] and all(s["outlets"] for s in got["summary"])
    assert "≈" in got["chart_svg"]  # the story reaches back decades
    html, md = render_html(got), render_markdown(got)
    assert "<script" not in html.lower() and md.startswith("# Lagebild")
    assert len(got["sources"]) == got["article_count"] >= 5


def test_report_build_roles_drop_inflected_and_partial_repeats() -> None:
    from storyline.report.data import _add_role

    roles: list[str] = []
    for r in ["stellvertretende US-Außenminister", "stellvertretenden US-Außenminister",
              "US-Außenminister", "Kremlsprecher", "Diplomat", "Vater"]:  # fmt: skip
        _add_role(roles, r)
    assert roles == ["stellvertretende US-Außenminister", "Kremlsprecher", "Diplomat"]
