"""Calls to action are junk by their shape, not by a phrase list (issue 16)."""

from __future__ import annotations

import pytest

from storyline.api import clean_text
from storyline.clean.cta import is_call_to_action

TITLE = "Stromanbieter erhöhen die Preise"
BODY = [
    "Mehrere Stromanbieter haben zum Monatsbeginn ihre Preise erhöht.",
    "Verbraucherschützer raten, die Verträge genau zu prüfen.",
]


@pytest.mark.parametrize(
    "line",
    [
        # written for this test, in the shapes the issue names (none is in a phrase list)
        "Jetzt Gastarife im Norden vergleichen und bares Geld sparen!",
        "Hier klicken und den Ratgeber kostenlos herunterladen.",
        "Tap here to get more stories like this. Share this story",
        "Sign up to keep reading. Already a member? Sign in.",
        "Folgen Sie uns jetzt auf allen Kanälen.",
        "Abonnez-vous maintenant à notre lettre du matin.",
        "Scopri qui tutte le offerte.",
        "Compara ahora las tarifas y ahorra.",
    ],
)
def test_calls_to_action_are_recognised(line: str) -> None:
    assert is_call_to_action(line)
    r = clean_text("\n".join([TITLE, BODY[0], line, BODY[1]]))
    assert line not in r.text
    assert {"line": line, "reason": "call-to-action", "position": 2} in r.removed


@pytest.mark.parametrize(
    "line",
    [
        "Die Regierung will jetzt sparen.",
        "Sparen Sie nicht an der falschen Stelle, warnte der Verband.",
        "Compare that with last year, when prices fell.",
        "„Jetzt vergleichen und sparen!“, rief der Händler den Kunden zu.",
        "Read the full report on the ministry website.",
        "Jetzt ist es zu spät!",
        "Der Minister forderte die Bürger auf, Strom zu sparen.",
    ],
)
def test_reporting_is_not_a_call(line: str) -> None:
    assert not is_call_to_action(line)
