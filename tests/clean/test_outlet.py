"""Outlet detection: metadata beats URL beats the text's own furniture; body citations never count."""

from __future__ import annotations

import pytest

from storyline.api import clean_text
from storyline.clean.outlet import detect_outlet, outlet_from_url
from storyline.clean.phrases import canonical_outlet, outlets_in

TITLE = "Neue Regeln für den Hafen"
BODY = [
    "Die Hafenbehörde hat am Montag neue Regeln für Containerschiffe erlassen.",
    "Die Reedereien reagierten zurückhaltend auf die Ankündigung der Behörde.",
]
CITING_BODY = [
    "Die Hafenbehörde hat am Montag neue Regeln für Containerschiffe erlassen.",
    "Ein Sprecher der Reederei sagte der BBC, man prüfe die Folgen.",
    "Wie der Spiegel berichtet, sollen die Regeln ab Januar gelten.",
]


def text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_outlet_metadata_beats_url_and_text() -> None:
    r = clean_text(
        text(TITLE, *BODY, "Quelle: Stadtkurier"),
        outlet="Die Zeit",
        url="https://www.spiegel.de/politik/a-1",
    )
    assert r.outlet == "Die Zeit"
    assert r.outlet_evidence == {"method": "metadata", "detail": "Die Zeit"}


def test_outlet_metadata_alias_is_canonicalised() -> None:
    r = clean_text(text(TITLE, *BODY), outlet="  spiegel.de ")
    assert r.outlet == "Der Spiegel"
    assert r.outlet_evidence is not None and r.outlet_evidence["method"] == "metadata"


def test_outlet_url_beats_text() -> None:
    r = clean_text(text(TITLE, *BODY, "Quelle: Stadtkurier"), url="https://www.spiegel.de/a")
    assert r.outlet == "Der Spiegel"
    assert r.outlet_evidence == {"method": "url", "detail": "www.spiegel.de"}


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.bbc.co.uk/news/world-1", "BBC"),
        ("https://edition.cnn.com/2024/06/17/x", "CNN"),
        ("de.rt.com/international/1", "RT"),
        ("http://www.tagesschau.de/inland/x.html", "Tagesschau"),
    ],
)
def test_outlet_from_known_url(url: str, outlet: str) -> None:
    found = outlet_from_url(url)
    assert found is not None and found[0] == outlet
    assert found[1].method == "url"


def test_outlet_unknown_url_uses_host_name() -> None:
    found = outlet_from_url("https://www.stadtkurier.example/lokales/1")
    assert found is not None
    assert found[0] == "stadtkurier.example"
    assert "not a known outlet" in found[1].detail


def test_outlet_url_without_host_is_ignored() -> None:
    assert outlet_from_url("") is None
    assert outlet_from_url("/nur/ein/pfad") is None


def test_outlet_malformed_url_does_not_crash() -> None:
    r = clean_text(text(TITLE, *BODY), url="http://[kaputt")
    assert r.outlet is None


def test_outlet_source_line() -> None:
    r = clean_text(text(TITLE, *BODY, "Quelle: Stadtkurier"))
    assert r.outlet == "Stadtkurier"
    assert r.outlet_evidence == {"method": "text:source-line", "detail": "Quelle: Stadtkurier"}
    assert {"line": "Quelle: Stadtkurier", "reason": "source-line", "position": 3} in r.removed


def test_outlet_source_line_with_known_alias_is_canonical() -> None:
    r = clean_text(text(TITLE, *BODY, "Source: BBC News"))
    assert r.outlet == "BBC"


def test_outlet_bare_known_outlet_line_near_top() -> None:
    r = clean_text(text("tagesschau", TITLE, *BODY))
    assert r.outlet == "Tagesschau"
    assert r.outlet_evidence == {"method": "text:outlet-name", "detail": "tagesschau"}
    assert r.title == TITLE


def test_outlet_bare_known_outlet_line_at_bottom() -> None:
    r = clean_text(text(TITLE, *BODY, "ZDFheute"))
    assert r.outlet == "ZDF"


def test_outlet_masthead_under_the_headline() -> None:
    r = clean_text(text(TITLE, "Harbour Times", *BODY))
    assert r.outlet == "Harbour Times"
    assert r.outlet_evidence == {"method": "text:outlet-name", "detail": "Harbour Times"}


@pytest.mark.parametrize("line", ["Anna Schmidt", "Exklusiv", "Live Updates"])
def test_outlet_author_or_label_under_headline_is_not_the_outlet(line: str) -> None:
    r = clean_text(text(TITLE, line, *BODY))
    assert r.outlet is None


def test_outlet_navigation_line_ending_in_name() -> None:
    nav = "Startseite > Politik > Hafen – Der Spiegel"
    r = clean_text(text(nav, TITLE, *BODY))
    assert r.outlet == "Der Spiegel"
    assert r.outlet_evidence == {"method": "text:navigation", "detail": nav}


@pytest.mark.parametrize(
    ("promo", "outlet"),
    [
        ("Laden Sie jetzt die ZDFheute App herunter", "ZDF"),
        ("Download the BBC News app", "BBC"),
        ("Werden Sie Mitglied bei Fox News und lesen Sie mehr", "Fox News"),
    ],
)
def test_outlet_promo_naming_known_outlet(promo: str, outlet: str) -> None:
    r = clean_text(text(TITLE, *BODY, promo))
    assert r.outlet == outlet
    assert r.outlet_evidence is not None
    assert r.outlet_evidence["method"].startswith("text:")
    assert r.outlet_evidence["detail"] == promo


def test_outlet_copyright_line_names_unknown_outlet() -> None:
    r = clean_text(text(TITLE, *BODY, "© 2025 Stadtkurier"))
    assert r.outlet == "Stadtkurier"
    assert r.outlet_evidence is not None and r.outlet_evidence["method"] == "text:copyright"


def test_outlet_copyright_boilerplate_is_not_a_name() -> None:
    r = clean_text(text(TITLE, *BODY, "© Alle Rechte vorbehalten"))
    assert r.outlet is None


def test_outlet_source_line_beats_promo() -> None:
    r = clean_text(
        text(TITLE, *BODY, "Laden Sie jetzt die ZDFheute App herunter", "Quelle: Stadtkurier")
    )
    assert r.outlet == "Stadtkurier"


def test_outlet_cited_in_body_is_not_used() -> None:
    r = clean_text(text(TITLE, *CITING_BODY))
    assert r.outlet is None and r.outlet_evidence is None
    assert "sagte der BBC" in r.text


def test_outlet_cited_in_body_does_not_beat_furniture() -> None:
    r = clean_text(text(TITLE, *CITING_BODY, "Quelle: Stadtkurier"))
    assert r.outlet == "Stadtkurier"


def test_outlet_detect_outlet_without_any_cue() -> None:
    assert detect_outlet(None, None, []) == (None, None)
    assert detect_outlet("   ", None, [])[0] is None


def test_outlet_aliases_and_short_caps_aliases() -> None:
    assert canonical_outlet("BBC News Deutsch") == "BBC"
    assert canonical_outlet("  zeit.de ") == "Die Zeit"
    assert canonical_outlet("Stadtkurier") is None
    assert outlets_in("Ein Bericht von RT DE und der ARD") == ["RT", "Tagesschau"]
    # short aliases only count in capitals: "dw" in lower case is not Deutsche Welle
    assert outlets_in("die dw und rt sind Abkürzungen") == []
