"""Figures side by side: grouped by claim and by counted noun, differing or agreeing."""

from __future__ import annotations

from typing import Any

from storyline.compare.figures import figure_groups


def _claim(cid: str, entities: list[str], sources: list[tuple[str, str]],
           figures: list[tuple[str, float, str | None]]) -> dict[str, Any]:
    return {
        "id": cid,
        "entities": entities,
        "sources": [{"article": a, "outlet": o, "start": 0, "end": 200, "text": f"passage {a}"}
                    for a, o in sources],
        "figures": [
            {"article": sources[i % len(sources)][0], "start": 10 + i, "end": 20 + i,
             "text": f"{v:g} {c}", "value": v, "unit": None, "counted": c, "hedge": None,
             "speaker": None, "speaker_name": None}
            for i, (_t, v, c) in enumerate(figures)
        ],
    }


def test_figure_groups_put_differing_counts_of_one_claim_side_by_side() -> None:
    claims = [
        _claim("c1", ["minister"], [("a", "Blatt A"), ("b", "Blatt B")],
               [("a", 7000.0, "Container"), ("b", 9000.0, "Container")]),
    ]
    groups = figure_groups(claims)
    assert len(groups) == 1 and groups[0]["differ"]
    assert {r["outlet"] for r in groups[0]["rows"]} == {"Blatt A", "Blatt B"}


def test_figure_groups_join_the_same_noun_across_related_claims_only() -> None:
    claims = [
        _claim("c1", ["werft"], [("a", "A")], [("a", 120.0, "Schiffscontainer")]),
        _claim("c2", ["werft"], [("b", "B")], [("b", 120.0, "Container")]),
        _claim("c3", ["zoo"], [("c", "C")], [("c", 300.0, "Container")]),
    ]
    groups = figure_groups(claims)
    assert len(groups) == 1
    assert {r["article"] for r in groups[0]["rows"]} == {"a", "b"}
    assert not groups[0]["differ"]


def test_figure_groups_skip_figures_only_one_article_gives() -> None:
    claims = [_claim("c1", ["x"], [("a", "A")], [("a", 5.0, "Boote"), ("a", 50.0, "Boote")])]
    assert figure_groups(claims) == []
