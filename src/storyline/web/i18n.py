"""Interface text of the web UI in German and English.

Why a table and not gettext: the UI has a few hundred words, two languages and no
translators; one dict that a reviewer reads top to bottom beats a toolchain. The shape
(``{key: {"de": ..., "en": ...}}``) is the one the briefings use, so both can share keys.
Article text is never translated: it is shown as the source wrote it.
"""

from __future__ import annotations

LANGS = ("de", "en")
DEFAULT_LANG = "de"

TEXT: dict[str, dict[str, str]] = {
    "nav.stories": {"de": "Geschichten", "en": "Stories"},
    "nav.search": {"de": "Suche", "en": "Search"},
    "nav.switch": {"de": "English", "en": "Deutsch"},
    "store.summary": {
        "de": "{articles} Artikel, {stories} Geschichten",
        "en": "{articles} articles, {stories} stories",
    },
    "stories.title": {"de": "Geschichten", "en": "Stories"},
    "stories.none": {
        "de": "Noch keine Geschichten: erst „storyline ingest“ ausführen.",
        "en": "No stories yet: run 'storyline ingest' first.",
    },
    "col.story": {"de": "Geschichte", "en": "Story"},
    "col.events": {"de": "Ereignisse", "en": "Events"},
    "col.articles": {"de": "Artikel", "en": "Articles"},
    "col.outlets": {"de": "Medien", "en": "Outlets"},
    "col.dates": {"de": "Zeitraum", "en": "Dates"},
    "col.langs": {"de": "Sprachen", "en": "Languages"},
    "col.date": {"de": "Datum", "en": "Date"},
    "col.title": {"de": "Titel", "en": "Title"},
    "col.outlet": {"de": "Medium", "en": "Outlet"},
    "col.lang": {"de": "Sprache", "en": "Language"},
    "col.mentions": {"de": "Nennungen", "en": "Mentions"},
    "col.note": {"de": "Hinweis", "en": "Note"},
    "col.text": {"de": "Text", "en": "Text"},
    "col.value": {"de": "Wert", "en": "Value"},
    "col.reason": {"de": "Grund", "en": "Reason"},
    "col.line": {"de": "Zeile", "en": "Line"},
    "col.alias": {"de": "Variante", "en": "Variant"},
    "col.claims": {"de": "Aussagen", "en": "Claims"},
    "col.unique": {"de": "nur hier", "en": "only here"},
    "col.echoes": {"de": "Echos", "en": "Echoes"},
    "col.independent": {"de": "unabh. Quellen", "en": "indep. sources"},
    "undated": {"de": "undatiert", "en": "undated"},
    "date.inferred": {
        "de": "erschlossen: aus dem Text gefolgert, nicht angegeben",
        "en": "inferred from the text, not stated",
    },
    "untitled": {"de": "(ohne Titel)", "en": "(untitled)"},
    "unknown": {"de": "unbekannt", "en": "unknown"},
    "page.prev": {"de": "← zurück", "en": "← previous"},
    "page.next": {"de": "weiter →", "en": "next →"},
    "page.of": {"de": "Seite {page}", "en": "page {page}"},
    "story.summary": {
        "de": "{articles} Artikel aus {outlets} Medien in {events} Ereignissen, {span}",
        "en": "{articles} articles from {outlets} outlets in {events} events, {span}",
    },
    "story.timeline": {"de": "Zeitleiste", "en": "Timeline"},
    "story.timeline.none": {
        "de": "Keine datierten Aussagen in dieser Geschichte.",
        "en": "No dated statements in this story.",
    },
    "story.timeline.more": {
        "de": "{n} weitere Einträge der Zeitleiste anzeigen",
        "en": "show {n} more timeline entries",
    },
    "story.chart": {
        "de": "Nummern verweisen auf die Einträge der Liste; Bänder zeigen die Ereignisse; "
        "≈ markiert ausgelassene Zeiträume.",
        "en": "Numbers refer to the entries of the list; bands show the events; "
        "≈ marks left-out stretches of time.",
    },
    "story.events": {"de": "Ereignisse", "en": "Events"},
    "story.actors": {"de": "Hauptakteure", "en": "Key actors"},
    "story.quotes": {"de": "Zitate", "en": "Quotes"},
    "story.quotes.none": {"de": "Keine Zitate gefunden.", "en": "No quotes found."},
    "story.outlets": {"de": "Medien", "en": "Outlets"},
    "story.articles": {"de": "Artikel", "en": "Articles"},
    "story.compare": {"de": "Quellenvergleich", "en": "Source comparison"},
    "story.compare.absent": {
        "de": "Der Quellenvergleich ist in dieser Version von storyline nicht verfügbar.",
        "en": "The source comparison is not available in this version of storyline.",
    },
    "story.compare.figures": {"de": "Abweichende Zahlen", "en": "Figures that differ"},
    "story.compare.claims": {
        "de": "Aussagen und wer sie bringt",
        "en": "Claims and who carries them",
    },
    "story.compare.claims.note": {
        "de": "Zahl vor der Aussage: unabhängige Quellen. Aufklappen zeigt die Textstellen.",
        "en": "Number before each claim: independent sources. Open a claim for its passages.",
    },
    "story.compare.disputes": {"de": "Bestritten", "en": "Disputed"},
    "story.compare.disputed_by": {"de": "bestritten von", "en": "disputed by"},
    "story.compare.more": {"de": "{n} weitere Aussagen", "en": "{n} more claims"},
    "story.compare.none": {
        "de": "Keine vergleichbaren Aussagen gefunden.",
        "en": "No comparable claims found.",
    },
    "story.briefing": {"de": "Briefing herunterladen", "en": "Download briefing"},
    "story.briefing.absent": {
        "de": "Briefings sind in dieser Version von storyline nicht verfügbar.",
        "en": "Briefings are not available in this version of storyline.",
    },
    "event.title": {"de": "Ereignis", "en": "Event"},
    "event.summary": {
        "de": "{articles} Artikel, {sources} unabhängige Quelle(n)",
        "en": "{articles} articles, {sources} independent source(s)",
    },
    "event.copy_of": {"de": "Kopie von", "en": "copy of"},
    "event.echo_of": {"de": "Echo von", "en": "echoes"},
    "article.legend": {"de": "Markiert:", "en": "Highlighted:"},
    "article.legend.per": {"de": "Person", "en": "person"},
    "article.legend.org": {"de": "Organisation", "en": "organisation"},
    "article.legend.loc": {"de": "Ort", "en": "place"},
    "article.legend.misc": {"de": "sonstiger Name", "en": "other name"},
    "article.legend.quote": {"de": "Zitat", "en": "quote"},
    "article.legend.date": {"de": "Datum", "en": "date"},
    "article.legend.figure": {"de": "Zahl", "en": "figure"},
    "article.removed": {
        "de": "{n} entfernte Zeilen mit Begründung",
        "en": "{n} removed lines with reasons",
    },
    "article.meta": {"de": "Metadaten und Herkunft", "en": "Metadata and provenance"},
    "article.outlet": {"de": "Medium", "en": "Outlet"},
    "article.lang": {"de": "Sprache", "en": "Language"},
    "article.published": {"de": "Veröffentlicht", "en": "Published"},
    "article.published_source": {"de": "Datumsquelle", "en": "Date from"},
    "article.confidence": {"de": "Sicherheit", "en": "confidence"},
    "article.url": {"de": "Adresse", "en": "URL"},
    "article.sources": {"de": "Eingelesen aus", "en": "Ingested from"},
    "article.event": {"de": "Ereignis", "en": "Event"},
    "article.story": {"de": "Geschichte", "en": "Story"},
    "article.duplicate_of": {"de": "Kopie von", "en": "Copy of"},
    "article.echo_of": {"de": "Echo von", "en": "Echoes"},
    "article.repairs": {"de": "Reparaturen", "en": "Repairs"},
    "article.id": {"de": "Kennung", "en": "Id"},
    "article.quotes": {"de": "Zitate", "en": "Quotes"},
    "article.dates": {"de": "Daten", "en": "Dates"},
    "article.figures": {"de": "Zahlen", "en": "Figures"},
    "article.entities": {"de": "Namen", "en": "Names"},
    "article.via": {"de": "über", "en": "via"},
    "article.unsure": {"de": "unsicher", "en": "unsure"},
    "article.quote_unsure": {
        "de": "Unsichere Zuordnung: nicht in Briefings, Storys und Vergleichen",
        "en": "Unsure attribution: left out of briefings, stories and comparisons",
    },
    "article.direct": {"de": "direkt", "en": "direct"},
    "article.indirect": {"de": "indirekt", "en": "indirect"},
    "source.metadata": {"de": "Metadaten", "en": "metadata"},
    "source.text": {"de": "Text (Ortsmarke)", "en": "text (dateline)"},
    "source.inferred": {"de": "erschlossen", "en": "inferred"},
    "entity.aliases": {"de": "Schreibweisen", "en": "Name variants"},
    "entity.descriptions": {"de": "Beschreibungen", "en": "Descriptions"},
    "entity.merges": {"de": "Zusammenführungen", "en": "Merges"},
    "entity.merges.none": {"de": "Keine.", "en": "None."},
    "entity.timeline": {"de": "Nennungen pro Monat", "en": "Mentions per month"},
    "entity.chart": {"de": "Nennungen pro Monat", "en": "Mentions per month"},
    "entity.quotes": {"de": "Zitate", "en": "Quotes"},
    "entity.articles": {"de": "Artikel", "en": "Articles"},
    "entity.summary": {
        "de": "{mentions} Nennungen in {articles} Artikeln",
        "en": "{mentions} mentions in {articles} articles",
    },
    "entity.search": {"de": "Artikel mit diesem Namen durchsuchen", "en": "Search its articles"},
    "type.PER": {"de": "Person", "en": "Person"},
    "type.ORG": {"de": "Organisation", "en": "Organisation"},
    "type.LOC": {"de": "Ort", "en": "Place"},
    "type.MISC": {"de": "Sonstiges", "en": "Other"},
    "search.title": {"de": "Suche", "en": "Search"},
    "search.q": {"de": "Suchbegriffe", "en": "Search words"},
    "search.go": {"de": "Suchen", "en": "Search"},
    "search.outlet": {"de": "Medium", "en": "Outlet"},
    "search.lang": {"de": "Sprache", "en": "Language"},
    "search.any": {"de": "alle", "en": "any"},
    "search.from": {"de": "von", "en": "from"},
    "search.to": {"de": "bis", "en": "to"},
    "search.entity": {"de": "Name (Kennung)", "en": "Entity (id)"},
    "search.semantic": {
        "de": "auch nach Bedeutung suchen (jede Sprache)",
        "en": "also search by meaning (any language)",
    },
    "search.help": {
        "de": "Alle Wörter müssen vorkommen; „Wörter in Anführungszeichen“ sind eine "
        "Phrase, wort* ein Präfix. „Streiks“ findet auch „Streik“.",
        "en": 'All words must occur; "quoted words" are a phrase, word* is a prefix. '
        '"strikes" also finds "strike".',
    },
    "search.results": {"de": "{n} Treffer", "en": "{n} results"},
    "search.none": {"de": "Keine Treffer für „{q}“.", "en": "No articles match '{q}'."},
    "search.try_semantic": {
        "de": "Tipp: „auch nach Bedeutung suchen“ findet Artikel in anderen Worten.",
        "en": "Tip: 'search by meaning' finds articles in other words.",
    },
    "search.matched.text": {"de": "Wörter", "en": "words"},
    "search.matched.meaning": {"de": "Bedeutung", "en": "meaning"},
    "search.copy": {"de": "Kopie", "en": "copy"},
    "error.title": {"de": "Fehler", "en": "Error"},
    "error.404": {"de": "Nicht gefunden", "en": "Not found"},
    "error.400": {"de": "Ungültige Anfrage", "en": "Bad request"},
    "error.500": {"de": "Interner Fehler", "en": "Internal error"},
    "error.500.text": {
        "de": "Beim Erstellen dieser Seite ist ein Fehler aufgetreten. Die Details stehen "
        "im Protokoll des Servers.",
        "en": "Something went wrong while building this page. The details are in the server's log.",
    },
    "error.home": {"de": "Zur Übersicht", "en": "Back to the stories"},
    "more": {"de": "… und {n} weitere", "en": "… and {n} more"},
}


def pick_lang(value: str | None, default: str = DEFAULT_LANG) -> str:
    """The interface language asked for, or `default` for anything unknown."""
    return value if value in LANGS else default


def translate(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang`, with ``{name}`` placeholders filled.

    An unknown key raises KeyError: a typo in a template must fail the tests, not show
    the key to an analyst.
    """
    text = TEXT[key][lang]
    return text.format(**values) if values else text
