"""Issue 16: pages of one kind years apart are not one story (through ingest and grouping).

Two car-leasing offer pages five years apart read alike (same vocabulary, same shape) and
were grouped into one story on similarity alone; with `story_gap_days` they stay apart,
and a follow-up days later still joins. The texts were written for this test.
"""

from __future__ import annotations

import json
from pathlib import Path

from storyline.config import Config, defaults
from storyline.jobs.ingest import ingest
from storyline.store import Store

LEASING_2019 = (
    "Leasing-Angebote im Mai: Kompaktwagen ab 159 Euro im Monat. Wer jetzt einen "
    "Kompaktwagen least, zahlt bei vielen Händlern weniger als im Vorjahr. Die günstigsten "
    "Angebote für Privatkunden beginnen bei 159 Euro monatlich, bei 36 Monaten Laufzeit und "
    "10.000 Kilometern im Jahr, ohne Anzahlung. Vergleichen Sie die Raten, die Laufzeit und "
    "die Kosten für Überführung und Zulassung, bevor Sie unterschreiben. Viele Angebote "
    "gelten nur für Fahrzeuge, die sofort verfügbar sind."
)
LEASING_2024 = (
    "Leasing-Deals der Woche: Kleinwagen und Kompakte ab 169 Euro monatlich. Beim Leasing "
    "eines Kompaktwagens lohnt sich der Vergleich: Die besten Angebote für Privatkunden "
    "starten bei 169 Euro im Monat, mit 48 Monaten Laufzeit und 10.000 Kilometern pro Jahr, "
    "ohne Anzahlung. Achten Sie neben der Rate auf Überführungskosten, Zulassung und "
    "Laufzeit. Die meisten Deals gelten nur für sofort verfügbare Fahrzeuge."
)
LEASING_2019_FOLLOW_UP = (
    "Leasing im Mai: Kompaktwagen weiter ab 159 Euro. Auch in dieser Woche beginnen die "
    "günstigsten Leasing-Angebote für Kompaktwagen bei 159 Euro im Monat, bei 36 Monaten "
    "Laufzeit und 10.000 Kilometern im Jahr, ohne Anzahlung. Vor der Unterschrift sollten "
    "Kunden Raten, Laufzeit sowie Überführung und Zulassung vergleichen."
)


def _write(folder: Path, rows: list[tuple[str, str, str]]) -> None:
    folder.mkdir()
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as fh:
        for i, (title, text, published) in enumerate(rows):
            record = {
                "title": title,
                "text": text,
                "published": published,
                "outlet": "Autoabo Vergleich",
                "lang": "de",
                "url": f"https://autoabo-vergleich.example/leasing/{i}",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _stories(db: Path) -> list[str]:
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT e.story_id FROM articles a JOIN events e ON e.id = a.event_id "
            "ORDER BY a.published, a.id"
        ).fetchall()
    return [r[0] for r in rows]


def _ingest(
    tmp_path: Path, name: str, rows: list[tuple[str, str, str]], config: Config | None = None
) -> list[str]:
    _write(tmp_path / name, rows)
    with Store(tmp_path / f"{name}.db", config=config or defaults()) as store:
        ingest([str(tmp_path / name)], store)
    return _stories(tmp_path / f"{name}.db")


def test_story_gap_keeps_leasing_pages_years_apart(tmp_path: Path) -> None:
    rows = [
        ("Leasing-Angebote im Mai", LEASING_2019, "2019-05-14"),
        ("Leasing im Mai: weiter ab 159 Euro", LEASING_2019_FOLLOW_UP, "2019-05-21"),
        ("Leasing-Deals der Woche", LEASING_2024, "2024-05-21"),
    ]
    may_2019, follow_up, may_2024 = _ingest(tmp_path, "gap", rows)
    assert follow_up == may_2019  # days apart: similarity is enough
    assert may_2024 != may_2019  # five years apart: it is not
    # the rule is what keeps them apart: without it the pages are grouped as before
    again = _ingest(tmp_path, "nogap", rows, defaults().replace(story_gap_days=100000))
    assert len(set(again)) == 1, again
