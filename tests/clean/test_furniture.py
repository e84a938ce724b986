"""Datelines, bylines and source lines in five languages (issue 16): outlet, author, agency
and date read with evidence, the furniture taken out of the text with a reason."""

from __future__ import annotations

import pytest

from storyline.api import clean_text
from storyline.clean.furniture import agency_of

TITLE = "Neue Regeln für den Hafen von Nordstadt"
BODY = [
    "Die Hafenbehörde hat am Morgen neue Regeln für Containerschiffe vorgestellt.",
    "Die Reedereien reagierten zurückhaltend auf die Ankündigung der Behörde.",
]


@pytest.mark.parametrize(
    ("lead", "published", "agency"),
    [
        (
            "Roma, 3 marzo 2031 – Il ministro ha presentato una nuova legge sul porto.",
            "2031-03-03",
            None,
        ),
        (
            "BERLIN (dpa) – Die Bundesregierung hat am Montag neue Hafenregeln beschlossen.",
            None,
            "dpa",
        ),
        (
            "PARIS, 4 mars 2031 (AFP) - Le gouvernement a présenté un nouveau plan portuaire.",
            "2031-03-04",
            "AFP",
        ),
        (
            "Madrid, 5 de mayo de 2031 (EFE). – El Gobierno aprobó la reforma del puerto.",
            "2031-05-05",
            "EFE",
        ),
        (
            "NEW YORK (AP) — The city council voted to expand the harbour program.",
            None,
            "Associated Press",
        ),
        ("Hamburg, 4. März 2031 – Die Hafenbehörde hat neue Regeln erlassen.", "2031-03-04", None),
    ],
)
def test_dateline_leads(lead: str, published: str | None, agency: str | None) -> None:
    r = clean_text("\n".join([TITLE, lead, *BODY]))
    prefix = lead.split(" – ")[0] if " – " in lead else None
    assert r.agency == agency
    if published:
        assert r.published == published and r.published_source == "text"
    removed = [x for x in r.removed if x["reason"] == "dateline"]
    assert len(removed) == 1 and removed[0]["position"] == 1
    if prefix:
        assert removed[0]["line"].startswith(prefix)
    assert not r.text.startswith(lead[:6])
    assert lead[len(removed[0]["line"]) :].strip() in r.text


def test_outlet_and_date_line_above_the_headline() -> None:
    r = clean_text("\n".join(["Northern Gazette | May 2, 2031", "Harbour rules tightened", *BODY]))
    assert r.title == "Harbour rules tightened"
    assert r.outlet == "Northern Gazette"
    assert r.outlet_evidence == {
        "method": "text:source-line",
        "detail": "Northern Gazette | May 2, 2031",
    }
    assert r.published == "2031-05-02"
    assert {"line": "Northern Gazette | May 2, 2031", "reason": "source-line", "position": 0} in (
        r.removed
    )


def test_source_line_at_the_bottom_names_agency_and_outlet() -> None:
    r = clean_text("\n".join([TITLE, *BODY, "Quelle: dpa | Nordstädter Rundschau"]))
    assert r.outlet == "Nordstädter Rundschau"
    assert r.agency == "dpa"
    assert "Quelle" not in r.text
    assert any(x["reason"] == "source-line" for x in r.removed)


@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        ("By Jane Doe, The Outlet Post", "Jane Doe", "The Outlet Post"),
        ("Von Anna Muster", "Anna Muster", None),
        ("Di Mario Rossi | Il Corriere di Nordstadt", "Mario Rossi", "Il Corriere di Nordstadt"),
        ("Par Jean Dupont | Le Courrier du Lac | 4 mars 2031", "Jean Dupont", "Le Courrier du Lac"),
        ("Por Juan Pérez, El Diario del Puerto", "Juan Pérez", "El Diario del Puerto"),
    ],
)
def test_bylines(line: str, author: str, outlet: str | None) -> None:
    r = clean_text("\n".join([TITLE, line, *BODY]))
    assert r.author == author
    assert r.outlet == outlet
    assert line not in r.text
    assert any(x["line"] == line for x in r.removed)


def test_agency_alone_is_the_outlet_only_when_nothing_else_names_one() -> None:
    r = clean_text("\n".join([TITLE, "BERLIN (dpa) – " + BODY[0], BODY[1]]))
    assert r.agency == "dpa" and r.outlet == "dpa"
    r = clean_text("\n".join([TITLE, "BERLIN (dpa) – " + BODY[0], BODY[1], "Quelle: Stadtkurier"]))
    assert r.agency == "dpa" and r.outlet == "Stadtkurier"


def test_sentences_that_look_like_furniture_stay() -> None:
    lines = [
        "Von Berlin aus reiste der Minister am Abend weiter nach Hamburg und Kiel.",
        "Berlin, heute früh – die Polizei sperrte die Straße für mehrere Stunden.",
        "Die Preise – so der Verband – steigen weiter, sagte ein Sprecher am Montag.",
    ]
    r = clean_text("\n".join([TITLE, *lines, *BODY]))
    for line in lines:
        assert line in r.text
    assert r.author is None and r.agency is None


def test_agency_names() -> None:
    assert agency_of("dpa/AFP") == "dpa"
    assert agency_of("Agence France-Presse") == "AFP"
    assert agency_of("ap") is None  # short aliases count only as written
    assert agency_of("Nordstädter Rundschau") is None
