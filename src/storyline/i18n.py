"""Every interface word of storyline in German and English: web UI, API labels and briefings.

Why one table and not gettext: storyline has a few hundred words, two languages and no
translators; one dict that a reviewer reads top to bottom beats a toolchain, and one
table is how the same thing gets the same word on a page and in a briefing (a test
checks that keys with the same English text have the same German). Keys are dotted by
where they are used (``story.*`` the story page, ``report.*`` the briefing). Article text
is never translated: it is shown as the source wrote it.
"""

from __future__ import annotations

import re

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
    "col.dates": {"de": "Zeitraum", "en": "Period"},
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
    "story.timeline": {"de": "Chronologie", "en": "Timeline"},
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
    "story.actors": {"de": "Wichtige Akteure", "en": "Key actors"},
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
    "story.compare.differs": {
        "de": "gleiche Größe, andere Werte",
        "en": "same quantity, other values",
    },
    "story.compare.claims": {
        "de": "Aussagen und wer sie bringt",
        "en": "Claims and who carries them",
    },
    "story.compare.claims.note": {
        "de": "Zahl vor der Aussage: unabhängige Quellen. Aufklappen zeigt die Textstellen.",
        "en": "Number before each claim: independent sources. Open a claim for its passages.",
    },
    "story.compare.disputes": {"de": "Umstritten", "en": "Disputed"},
    "story.compare.disputed_by": {"de": "bestritten von", "en": "denied by"},
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
    "event.echo_of": {"de": "Echo von", "en": "echo of"},
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
    "article.not_article": {
        "de": "Keine Artikelseite (nicht in Ereignissen und Geschichten)",
        "en": "Not an article page (kept out of events and stories)",
    },
    "article.meta": {"de": "Metadaten und Herkunft", "en": "Metadata and provenance"},
    "article.outlet": {"de": "Medium", "en": "Outlet"},
    "article.lang": {"de": "Sprache", "en": "Language"},
    "article.published": {"de": "Veröffentlicht", "en": "Published"},
    "article.published_source": {"de": "Datumsquelle", "en": "Date from"},
    "article.confidence": {"de": "Sicherheit", "en": "confidence"},
    "article.url": {"de": "Adresse", "en": "Address"},
    "article.sources": {"de": "Eingelesen aus", "en": "Ingested from"},
    "article.event": {"de": "Ereignis", "en": "Event"},
    "article.story": {"de": "Geschichte", "en": "Story"},
    "article.duplicate_of": {"de": "Kopie von", "en": "Copy of"},
    "article.echo_of": {"de": "Echo von", "en": "Echo of"},
    "article.repairs": {"de": "Reparaturen", "en": "Repairs"},
    "article.id": {"de": "ID", "en": "ID"},
    "article.quotes": {"de": "Zitate", "en": "Quotes"},
    "article.dates": {"de": "Datumsangaben", "en": "Dates"},
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
    "story.brief": {"de": "Zusammenfassung", "en": "Summary"},
    "story.brief.note": {
        "de": "Sätze aus den Artikeln, ausgewählt nach Zahl unabhängiger Quellen; geordnet "
        "nach Ereignissen in zeitlicher Folge, innerhalb eines Ereignisses nach Zahl "
        "unabhängiger Quellen.",
        "en": "Sentences taken from the articles, chosen by the number of independent "
        "sources; ordered by event in time order, and within an event by the number of "
        "independent sources.",
    },
    "story.compare.claims.folded": {"de": "{n} weitere Aussagen", "en": "{n} more claims"},
    "search.date_hint": {"de": "TT.MM.JJJJ", "en": "YYYY-MM-DD"},
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
    "search.matched.name": {"de": "Name", "en": "name"},
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
    "nav.watch": {"de": "Beobachten", "en": "Watch"},
    "watch.title": {"de": "Quellen beobachten", "en": "Watched sources"},
    "watch.sources": {"de": "Quellen", "en": "Sources"},
    "watch.url": {"de": "Adresse", "en": "Address"},
    "watch.kind": {"de": "Art", "en": "Kind"},
    "watch.every": {"de": "Alle", "en": "Every"},
    "watch.name": {"de": "Name", "en": "Name"},
    "watch.health": {"de": "Zustand", "en": "Health"},
    "watch.next": {"de": "Nächster Abruf", "en": "Next poll"},
    "watch.ok": {"de": "in Ordnung", "en": "ok"},
    "watch.paused": {"de": "Pausiert", "en": "Paused"},
    "watch.failures": {"de": "{n} Fehler in Folge", "en": "{n} failure(s) in a row"},
    "watch.robots_ignored": {"de": "robots.txt übergangen", "en": "robots.txt ignored"},
    "watch.ignore_robots": {"de": "robots.txt übergehen", "en": "Ignore robots.txt"},
    "watch.none": {
        "de": "Noch keine Quellen: unten eine Feed-, Sitemap- oder Seitenadresse eintragen.",
        "en": "No sources yet: add a feed, sitemap or page address below.",
    },
    "watch.add": {"de": "Hinzufügen", "en": "Add"},
    "watch.remove": {"de": "Entfernen", "en": "Remove"},
    "watch.token": {"de": "API-Token", "en": "API token"},
    "watch.saved": {"de": "Gespeichert.", "en": "Saved."},
    "watch.alerts": {"de": "Benachrichtigungen", "en": "Alerts"},
    "watch.no_alerts": {"de": "Noch keine Benachrichtigungen.", "en": "No alerts yet."},
    "watch.on": {"de": "Worauf", "en": "On"},
    "watch.value": {"de": "Name, Suchbegriffe oder Geschichte", "en": "Name, words or story"},
    "watch.kind.entity": {"de": "Person/Organisation/Ort", "en": "Entity"},
    "watch.kind.query": {"de": "Suchbegriffe", "en": "Search words"},
    "watch.kind.story": {"de": "Geschichte", "en": "Story"},
    "watch.min_sources": {"de": "mindestens Quellen", "en": "at least sources"},
    "watch.deliver": {"de": "Zustellung", "en": "Delivery"},
    "watch.digest": {"de": "Sammelmeldung", "en": "Digest"},
    "watch.hourly": {"de": "stündlich", "en": "hourly"},
    "watch.daily": {"de": "täglich", "en": "daily"},
    "watch.recent": {"de": "Letzte Treffer", "en": "Latest matches"},
    "watch.undelivered": {"de": "noch nicht zugestellt", "en": "not delivered yet"},
    "watch.help": {
        "de": "Abgerufen wird mit „storyline watch run“. Änderungen brauchen das API-Token "
        "aus der Datei „token“ im Konfigurationsordner von storyline.",
        "en": "Polling is done by 'storyline watch run'. Changes need the API token from the "
        "file 'token' in storyline's config folder.",
    },
    "watch.no_writes": {
        "de": "Dieser Server nimmt keine Änderungen an (ohne API-Token gestartet).",
        "en": "This server takes no changes (started without an API token).",
    },
    "watch.bad_token": {
        "de": "Das API-Token fehlt oder stimmt nicht.",
        "en": "The API token is missing or wrong.",
    },
    # how an outlet or a date was found (stored as codes: "text:outlet-name", "url", ...)
    "evidence.metadata": {"de": "aus den Metadaten", "en": "from the metadata"},
    "evidence.url": {"de": "aus der Adresse", "en": "from the address"},
    "evidence.url_unknown": {
        "de": "kein bekanntes Medium, Hostname verwendet",
        "en": "not a known outlet, host name used",
    },
    "evidence.inferred": {"de": "Anhaltspunkt im Text", "en": "clue in the text"},
    "evidence.text": {"de": "aus dem Text", "en": "from the text"},
    "evidence.text.source-line": {"de": "Quellenzeile", "en": "source line"},
    "evidence.text.outlet-name": {
        "de": "Name des Mediums im Text",
        "en": "outlet name in the text",
    },
    "evidence.text.navigation": {"de": "Navigationszeile", "en": "navigation line"},
    "evidence.text.copyright": {"de": "Copyright-Zeile", "en": "copyright line"},
    "evidence.text.paywall": {"de": "Bezahlschranke", "en": "paywall"},
    "evidence.text.app-promo": {"de": "App-Werbung", "en": "app promotion"},
    "evidence.text.newsletter-promo": {"de": "Newsletter-Werbung", "en": "newsletter promotion"},
    "evidence.text.outlet-promo": {"de": "Eigenwerbung", "en": "outlet promotion"},
    "evidence.text.cookie-banner": {"de": "Cookie-Hinweis", "en": "cookie notice"},
    "evidence.text.dateline": {"de": "Ortsmarke", "en": "dateline"},
    "evidence.text.metadata-line": {"de": "Metadatenzeile", "en": "metadata line"},
    # the briefing (storyline/report): its templates read these as L.<name>
    "report.briefing": {"de": "Lagebild", "en": "Briefing"},
    "report.story": {"de": "Geschichte", "en": "Story"},
    "report.event": {"de": "Ereignis", "en": "Event"},
    "report.period": {"de": "Zeitraum", "en": "Period"},
    "report.articles": {"de": "Artikel", "en": "Articles"},
    "report.outlets": {"de": "Medien", "en": "Outlets"},
    "report.outlet": {"de": "Medium", "en": "Outlet"},
    "report.languages": {"de": "Sprachen", "en": "Languages"},
    "report.generated": {"de": "Erstellt", "en": "Generated"},
    "report.contents": {"de": "Inhalt", "en": "Contents"},
    "report.summary": {"de": "Zusammenfassung", "en": "Summary"},
    "report.summary_note": {
        "de": "Sätze aus den Artikeln, ausgewählt nach Zahl unabhängiger Quellen; geordnet "
        "nach Ereignissen in zeitlicher Folge, innerhalb eines Ereignisses nach Zahl "
        "unabhängiger Quellen. In Klammern die Medien, die sie tragen.",
        "en": "Sentences taken from the articles, chosen by the number of independent "
        "sources; ordered by event in time order, and within an event by the number of "
        "independent sources. In brackets the outlets carrying them.",
    },
    "report.no_summary": {
        "de": "Keine geeigneten Aussagen für eine Zusammenfassung.",
        "en": "No statements suitable for a summary.",
    },
    "report.timeline": {"de": "Chronologie", "en": "Timeline"},
    "report.timeline_chart": {"de": "Zeitleiste", "en": "Timeline chart"},
    "report.chart_note": {
        "de": "Nummern verweisen auf die Einträge der Liste; Bänder zeigen die Ereignisse; "
        "≈ markiert ausgelassene Zeiträume.",
        "en": "Numbers refer to the entries of the list; bands show the events; "
        "≈ marks left-out stretches of time.",
    },
    "report.no_timeline": {"de": "Keine datierten Einträge.", "en": "No dated entries."},
    "report.date": {"de": "Datum", "en": "Date"},
    "report.what": {"de": "Was", "en": "What"},
    "report.sources": {"de": "Quellen", "en": "Sources"},
    "report.events": {"de": "Ereignisse", "en": "Events"},
    "report.title": {"de": "Titel", "en": "Title"},
    "report.independent": {"de": "unabhängig", "en": "independent"},
    "report.independent_sources": {"de": "Unabhängige Quellen", "en": "Independent sources"},
    "report.actors": {"de": "Wichtige Akteure", "en": "Key actors"},
    "report.name": {"de": "Name", "en": "Name"},
    "report.type": {"de": "Typ", "en": "Type"},
    "report.role": {"de": "Rolle", "en": "Role"},
    "report.mentions": {"de": "Nennungen", "en": "Mentions"},
    "report.places": {"de": "Orte", "en": "Places"},
    "report.type_PER": {"de": "Person", "en": "Person"},
    "report.type_ORG": {"de": "Organisation", "en": "Organisation"},
    "report.type_LOC": {"de": "Ort", "en": "Place"},
    "report.type_MISC": {"de": "Sonstiges", "en": "Other"},
    "report.no_actors": {"de": "Keine Akteure erkannt.", "en": "No actors found."},
    "report.quotes": {"de": "Zitate nach Sprecher", "en": "Key quotes by speaker"},
    "report.quote_count": {"de": "Zitate", "en": "quotes"},
    "report.indirect": {"de": "indirekt", "en": "indirect"},
    "report.via": {"de": "über", "en": "via"},
    "report.no_quotes": {"de": "Keine Zitate gefunden.", "en": "No quotes found."},
    "report.figures": {"de": "Zahlen", "en": "Figures"},
    "report.subject": {"de": "Gegenstand", "en": "Subject"},
    "report.reports": {"de": "Angaben", "en": "Reports"},
    "report.speaker": {"de": "Sprecher", "en": "Speaker"},
    "report.differ": {"de": "Angaben weichen ab", "en": "figures differ"},
    "report.no_figures": {"de": "Keine Zahlen verglichen.", "en": "No figures compared."},
    "report.comparison": {"de": "Quellenvergleich", "en": "Source comparison"},
    "report.claims": {"de": "Aussagen", "en": "Claims"},
    "report.unique": {"de": "nur hier", "en": "only here"},
    "report.echoes": {"de": "Echos", "en": "Echoes"},
    "report.claim": {"de": "Aussage", "en": "Claim"},
    "report.matrix_note": {
        "de": "✓ das Medium berichtet es selbst, ↻ nur als Echo eines anderen Mediums.",
        "en": "✓ the outlet reports it itself, ↻ only as an echo of another outlet.",
    },
    "report.top_claims": {"de": "Wichtigste Aussagen", "en": "Top claims"},
    "report.unique_details": {"de": "Nur in einem Medium", "en": "Reported by one outlet only"},
    "report.disputed": {"de": "Umstritten", "en": "Disputed"},
    "report.disputed_claim": {"de": "Behauptung", "en": "Assertion"},
    "report.denied_by": {"de": "Bestritten von", "en": "Denied by"},
    "report.no_disputes": {"de": "Keine Dementis gefunden.", "en": "No denials found."},
    "report.unmatched_denials": {
        "de": "Dementis ohne zugeordnete Behauptung",
        "en": "Denials without a matched claim",
    },
    "report.hedged": {"de": "Unbestätigt / vorsichtig formuliert", "en": "Unconfirmed / hedged"},
    "report.hedged_mark": {"de": "vorsichtig", "en": "hedged"},
    "report.published": {"de": "Veröffentlicht", "en": "Published"},
    "report.inferred": {"de": "erschlossen", "en": "inferred"},
    "report.source": {"de": "Herkunft", "en": "Source"},
    "report.id": {"de": "ID", "en": "ID"},
    "report.duplicate_of": {"de": "Kopie von", "en": "copy of"},
    "report.echo_of": {"de": "Echo von", "en": "echo of"},
    "report.undated": {"de": "undatiert", "en": "undated"},
    "report.unknown": {"de": "unbekannt", "en": "unknown"},
    "report.more": {"de": "weitere", "en": "more"},
    "report.chart_omitted": {
        "de": "Die Zeitleiste als Grafik steht nur in der HTML-Fassung oder mit -o DATEI.md.",
        "en": "The timeline chart is only in the HTML version or with -o FILE.md.",
    },
    "report.footer": {
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


#: Suffix the outlet detector adds to a host name it does not know.
_URL_UNKNOWN = " (not a known outlet; host name used)"


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


def section(prefix: str, lang: str) -> dict[str, str]:
    """Every text under ``prefix`` in `lang`, keyed without it: the briefing's templates
    read ``L.summary`` for ``report.summary``."""
    return {key[len(prefix) :]: TEXT[key][lang] for key in TEXT if key.startswith(prefix)}


def evidence_text(method: str | None, detail: str | None, lang: str) -> tuple[str, str]:
    """(label, detail) of stored evidence in the page's language.

    Evidence is stored as codes ("text:outlet-name", "inferred (confidence 0.45)") that
    once reached the page as they are, English inside a German page. A code without a
    label of its own gets the general one for its kind, never the raw code.
    """
    method, detail = method or "", detail or ""
    if method.startswith("inferred"):
        return translate("evidence.inferred", lang), detail  # confidence is shown already
    if method == "url" and detail.endswith(_URL_UNKNOWN):
        host = detail[: -len(_URL_UNKNOWN)]
        note = translate("evidence.url_unknown", lang)
        return translate("evidence.url", lang), f"{host} ({note})"
    if method in ("metadata", "url"):
        return translate(f"evidence.{method}", lang), detail
    if method.startswith("text:"):
        specific = f"evidence.text.{method[5:]}"
        return translate(specific if specific in TEXT else "evidence.text", lang), detail
    return translate("evidence.text", lang), detail


_GERMAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def iso_day(value: str) -> str:
    """A day typed as "17.06.2024" (the German form's format) as "2024-06-17"; anything
    else unchanged (ISO days pass, and a bad value is the search's to reject)."""
    m = _GERMAN_DAY.match(value.strip())
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


def local_day(value: str | None, lang: str) -> str:
    """An ISO day ("2024-06-17…") as the page's language writes it: 17.06.2024 in German."""
    if not value or not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value or ""
    year, month, day = value[:10].split("-")
    return f"{day}.{month}.{year}" if lang == "de" else value[:10]
