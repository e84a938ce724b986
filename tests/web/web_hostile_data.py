"""A hostile article for the web tests, written for them: its title, text, outlet and URL
carry markup and script. Kept apart from conftest.py so tests can import it by a name no
other conftest shares."""

from __future__ import annotations

#: Each payload tries to run script; a run would set window.__pwned, change
#: document.title or open a dialog, which the browser tests watch for.
PAYLOADS = (
    "<script>window.__pwned=1;document.title='pwned';alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    '"><svg onload="window.__pwned=3;alert(3)">',
    '<a href="javascript:window.__pwned=4;alert(4)">Hintergrund</a>',
)

HOSTILE_TITLE = f"Giftige Schlagzeile {PAYLOADS[0]} über den Deichbau {PAYLOADS[1]}"

HOSTILE_TEXT = "\n\n".join(
    [
        "Kiel. Am Mittwoch (12. März 2025) hat der Landesbetrieb Küstenschutz in Kiel den "
        f"Bau eines neuen Deiches an der Förde begonnen {PAYLOADS[2]} und damit einen lange "
        "erwarteten Schritt getan.",
        f"„Wir bauen für die nächsten hundert Jahre {PAYLOADS[0]}“, sagte Projektleiterin "
        "Marlene Quast am Mittwoch vor Journalisten in Kiel.",
        f"Die Kosten liegen nach Angaben des Landes bei rund 48 Millionen Euro {PAYLOADS[3]}. "
        "Der Deich soll bis zum Herbst 2027 fertig sein, teilte das Umweltministerium in Kiel mit.",
        f"Lesen Sie auch: Sturmflut an der Ostsee {PAYLOADS[1]}",
        f"Anwohner äußerten sich skeptisch {PAYLOADS[1]} und verlangten eine Bürgerversammlung "
        "noch im April.",
    ]
)

HOSTILE = {
    "title": HOSTILE_TITLE,
    "text": HOSTILE_TEXT,
    "outlet": "Küstenbote <script>alert(6)</script>",
    "url": "javascript:window.__pwned=5;alert(5)",
    "published": "2025-03-12",
}
