"""Interface strings of the briefing in German and English.

Why a plain dict table: the report templates, the SVG chart and the web UI all read the
same words, and a translator can review one flat table without knowing Jinja. Article
text is never translated here; only the words around it.
"""

from __future__ import annotations

LANGS = ("de", "en")

STRINGS: dict[str, dict[str, str]] = {
    "briefing": {"de": "Lagebild", "en": "Briefing"},
    "story": {"de": "Geschichte", "en": "Story"},
    "event": {"de": "Ereignis", "en": "Event"},
    "period": {"de": "Zeitraum", "en": "Period"},
    "articles": {"de": "Artikel", "en": "Articles"},
    "outlets": {"de": "Medien", "en": "Outlets"},
    "outlet": {"de": "Medium", "en": "Outlet"},
    "languages": {"de": "Sprachen", "en": "Languages"},
    "generated": {"de": "Erstellt", "en": "Generated"},
    "contents": {"de": "Inhalt", "en": "Contents"},
    "summary": {"de": "Zusammenfassung", "en": "Summary"},
    "summary_note": {
        "de": "Sätze aus den Artikeln, ausgewählt nach Zahl unabhängiger Quellen; geordnet "
        "nach Ereignissen in zeitlicher Folge, innerhalb eines Ereignisses nach Zahl "
        "unabhängiger Quellen. In Klammern die Medien, die sie tragen.",
        "en": "Sentences taken from the articles, chosen by the number of independent "
        "sources; ordered by event in time order, and within an event by the number of "
        "independent sources. In brackets the outlets carrying them.",
    },
    "no_summary": {
        "de": "Keine geeigneten Aussagen für eine Zusammenfassung.",
        "en": "No statements suitable for a summary.",
    },
    "timeline": {"de": "Chronologie", "en": "Timeline"},
    "timeline_chart": {"de": "Zeitleiste", "en": "Timeline chart"},
    "chart_note": {
        "de": "Nummern verweisen auf die Einträge der Liste; Bänder zeigen die Ereignisse; "
        "≈ markiert ausgelassene Zeiträume.",
        "en": "Numbers refer to the entries of the list; bands show the events; "
        "≈ marks left-out stretches of time.",
    },
    "no_timeline": {"de": "Keine datierten Einträge.", "en": "No dated entries."},
    "date": {"de": "Datum", "en": "Date"},
    "what": {"de": "Was", "en": "What"},
    "sources": {"de": "Quellen", "en": "Sources"},
    "events": {"de": "Ereignisse", "en": "Events"},
    "title": {"de": "Titel", "en": "Title"},
    "independent": {"de": "unabhängig", "en": "independent"},
    "independent_sources": {"de": "Unabhängige Quellen", "en": "Independent sources"},
    "actors": {"de": "Wichtige Akteure", "en": "Key actors"},
    "name": {"de": "Name", "en": "Name"},
    "type": {"de": "Typ", "en": "Type"},
    "role": {"de": "Rolle", "en": "Role"},
    "mentions": {"de": "Nennungen", "en": "Mentions"},
    "places": {"de": "Orte", "en": "Places"},
    "type_PER": {"de": "Person", "en": "Person"},
    "type_ORG": {"de": "Organisation", "en": "Organisation"},
    "type_LOC": {"de": "Ort", "en": "Place"},
    "type_MISC": {"de": "Sonstiges", "en": "Other"},
    "no_actors": {"de": "Keine Akteure erkannt.", "en": "No actors found."},
    "quotes": {"de": "Zitate nach Sprecher", "en": "Key quotes by speaker"},
    "quote_count": {"de": "Zitate", "en": "quotes"},
    "indirect": {"de": "indirekt", "en": "indirect"},
    "via": {"de": "über", "en": "via"},
    "no_quotes": {"de": "Keine Zitate gefunden.", "en": "No quotes found."},
    "figures": {"de": "Zahlen", "en": "Figures"},
    "subject": {"de": "Gegenstand", "en": "Subject"},
    "reports": {"de": "Angaben", "en": "Reports"},
    "speaker": {"de": "Sprecher", "en": "Speaker"},
    "differ": {"de": "Angaben weichen ab", "en": "figures differ"},
    "no_figures": {"de": "Keine Zahlen verglichen.", "en": "No figures compared."},
    "comparison": {"de": "Quellenvergleich", "en": "Source comparison"},
    "claims": {"de": "Aussagen", "en": "Claims"},
    "unique": {"de": "nur hier", "en": "unique"},
    "echoes": {"de": "Echos", "en": "Echoes"},
    "claim": {"de": "Aussage", "en": "Claim"},
    "matrix_note": {
        "de": "✓ das Medium berichtet es selbst, ↻ nur als Echo eines anderen Mediums.",
        "en": "✓ the outlet reports it itself, ↻ only as an echo of another outlet.",
    },
    "top_claims": {"de": "Wichtigste Aussagen", "en": "Top claims"},
    "unique_details": {"de": "Nur in einem Medium", "en": "Reported by one outlet only"},
    "disputed": {"de": "Umstritten", "en": "Disputed"},
    "disputed_claim": {"de": "Behauptung", "en": "Claim"},
    "denied_by": {"de": "Bestritten von", "en": "Denied by"},
    "no_disputes": {"de": "Keine Dementis gefunden.", "en": "No denials found."},
    "unmatched_denials": {
        "de": "Dementis ohne zugeordnete Behauptung",
        "en": "Denials without a matched claim",
    },
    "hedged": {"de": "Unbestätigt / vorsichtig formuliert", "en": "Unconfirmed / hedged"},
    "hedged_mark": {"de": "vorsichtig", "en": "hedged"},
    "published": {"de": "Veröffentlicht", "en": "Published"},
    "inferred": {"de": "erschlossen", "en": "inferred"},
    "source": {"de": "Herkunft", "en": "Source"},
    "id": {"de": "ID", "en": "ID"},
    "duplicate_of": {"de": "Kopie von", "en": "copy of"},
    "echo_of": {"de": "Echo von", "en": "echo of"},
    "undated": {"de": "undatiert", "en": "undated"},
    "unknown": {"de": "unbekannt", "en": "unknown"},
    "more": {"de": "weitere", "en": "more"},
    "chart_omitted": {
        "de": "Die Zeitleiste als Grafik steht nur in der HTML-Fassung oder mit -o DATEI.md.",
        "en": "The timeline chart is only in the HTML version or with -o FILE.md.",
    },
    "footer": {
        "de": "Automatisch erstellt von storyline aus den gespeicherten Artikeln; "
        "jede Aussage ist mit ihren Quellen belegt und vor Verwendung zu prüfen.",
        "en": "Generated by storyline from the stored articles; every statement is cited "
        "with its sources and must be checked before use.",
    },
}

MONTHS: dict[str, tuple[str, ...]] = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def t(key: str, lang: str) -> str:
    """The string for ``key`` in ``lang``; English, then the key itself, when missing."""
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry.get("en") or key


def strings(lang: str) -> dict[str, str]:
    """Every string in one language, for templates (``L.summary``)."""
    return {key: t(key, lang) for key in STRINGS}
