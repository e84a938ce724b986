"""Grouping units into claims, copies, and denial links, on hand-made units and vectors."""

from __future__ import annotations

import numpy as np

from storyline.compare.group import copies, dispute_links, group_units, score_units
from storyline.compare.units import Unit


def _vectors(spec: list[list[float]]) -> np.ndarray:
    m = np.asarray(spec, dtype=np.float32)
    out: np.ndarray = m / np.linalg.norm(m, axis=1, keepdims=True)
    return out


def _unit(article: str, index: int, text: str, kind: str = "statement", **kw: object) -> Unit:
    kw.setdefault("actors", kw.get("entities", frozenset()))
    return Unit(article=article, index=index, start=index * 100, end=index * 100 + len(text),
                text=text, kind=kind, **kw)  # type: ignore[arg-type]


FILLER = [
    "Der Bürgermeister besuchte am Abend das Stadtfest am Marktplatz.",
    "Im Hafen regnete es am Nachmittag kräftig und lange.",
    "Ein Sprecher der Stadt lobte das Wetter beim Fest am Markt.",
    "Die Polizei meldete einen ruhigen Verlauf des Wochenendes.",
    "Der Verein feierte sein hundertjähriges Bestehen im Rathaus.",
    "Die Schulen bleiben wegen der Ferien noch zwei Wochen zu.",
]
FERRIES = [
    "Die Werft meldet einen Auftrag über zwölf Fähren für die Reederei.",
    "Die Reederei bestellt bei der Werft zwölf neue Fähren.",
    "Die Werft erhält laut Reederei den Auftrag über zwölf Fähren.",
]


def _story() -> tuple[list[Unit], np.ndarray]:
    """Three articles: one ferry-order sentence each among unrelated ones."""
    units: list[Unit] = []
    rows: list[list[float]] = []
    per = 8  # a real story has many unrelated sentences per paraphrase
    dims = 1 + 3 * per
    for a, article in enumerate("abc"):
        units.append(_unit(article, 0, FERRIES[a], entities=frozenset({"werft", "reederei"})))
        rows.append([1.0] + [0.05 * (a + 1)] * (dims - 1))
        for k in range(per):
            text = f"{FILLER[(a + k) % len(FILLER)]} ({article}{k})"
            units.append(_unit(article, k + 1, text, entities=frozenset({f"x{a}{k}"})))
            row = [0.0] * dims
            row[1 + a * per + k] = 1.0
            rows.append(row)
    return units, _vectors(rows)


def test_group_units_joins_paraphrases_across_articles_only() -> None:
    units, vectors = _story()
    scores = score_units(units, vectors, ["de"] * len(units))
    groups = group_units(units, scores)
    ferries = next(g for g in groups if 0 in g)
    assert sorted(units[i].text for i in ferries) == sorted(FERRIES)
    assert all(len({units[i].article for i in g}) == len(g) for g in groups)
    assert sum(len(g) == 1 for g in groups) == 3 * 8


def test_group_units_never_mixes_denials_with_what_they_deny() -> None:
    units = [
        _unit("a", 0, "Die Behörde hat dem Konzern vorgeworfen, Abfälle illegal zu lagern.",
              entities=frozenset({"konzern"}), accuses=True),
        _unit("b", 0, "Der Konzern hat dementiert, Abfälle illegal zu lagern.", kind="denial",
              entities=frozenset({"konzern"})),
        _unit("c", 0, "Der Konzern hat bestritten, Abfälle illegal gelagert zu haben.",
              kind="denial", entities=frozenset({"konzern"})),
    ]
    vectors = _vectors([[1, 0.1, 0], [1, 0.12, 0.01], [1, 0.11, 0.02]])
    scores = score_units(units, vectors, ["de"] * 3)
    groups = group_units(units, scores)
    assert [0] in groups and [1, 2] in groups


def test_dispute_links_follow_a_denial_that_points_back() -> None:
    units = [
        _unit("a", 0, "Umweltschützer haben der Firma vorgeworfen, den Fluss zu verschmutzen.",
              entities=frozenset({"firma"}), accuses=True),
        _unit("a", 1, "Die Firma hat die Vorwürfe zurückgewiesen.", kind="denial",
              entities=frozenset({"firma"}), points_back=True),
        _unit("b", 0, "Im Fluss wurden tote Fische gefunden, sagte ein Angler.",
              entities=frozenset({"fluss"})),
    ]
    vectors = _vectors([[1, 0, 0], [0.2, 1, 0], [0, 0, 1]])
    scores = score_units(units, vectors, ["de"] * 3)
    groups = group_units(units, scores)
    links = dispute_links(units, groups, scores)
    denial = next(g for g, m in enumerate(groups) if 1 in m)
    accusation = next(g for g, m in enumerate(groups) if 0 in m)
    assert accusation in links[denial]
    assert "refers back" in links[denial][accusation]


def test_copies_detects_the_same_text_in_two_outlets() -> None:
    text = "Die Bahn stellt den Verkehr zwischen beiden Städten am Freitag vollständig ein."
    units = [_unit("a", 0, text, entities=frozenset({"bahn"})),
             _unit("b", 0, text, entities=frozenset({"bahn"})),
             _unit("c", 0, "Die Bahn fährt am Freitag zwischen den Städten nur eingeschränkt.",
                   entities=frozenset({"bahn"}))]
    vectors = _vectors([[1, 0, 0], [1, 0, 0], [1, 0.4, 0]])
    scores = score_units(units, vectors, ["de"] * 3)
    assert copies(units, [0, 1, 2], scores) == {1: 0}
