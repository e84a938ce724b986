"""Feeds (RSS 0.91/0.92/1.0/2.0, Atom, JSON Feed), sitemaps and pages to entries."""

from __future__ import annotations

import pytest
from watch_site import atom, front_page, json_feed, rdf, rss, sitemap, sitemap_index

from storyline.errors import FormatError
from storyline.watch.parse import looks_like_article, parse, sniff

BASE = "https://zeitung.example"
ITEMS = [("/lokal/faehre-nimmt-betrieb-auf?utm_source=rss", "Fähre nimmt Betrieb auf"),
         ("/lokal/bibliothek-laenger-offen#top", "Bibliothek länger offen")]  # fmt: skip
URLS = [f"{BASE}/lokal/faehre-nimmt-betrieb-auf", f"{BASE}/lokal/bibliothek-laenger-offen"]


@pytest.mark.parametrize("version", ["0.91", "0.92", "2.0"])
def test_watch_parse_rss(version: str) -> None:
    listing = parse(rss(BASE, ITEMS, version=version), BASE + "/rss")
    assert listing.kind == "feed"
    assert [e.url for e in listing.entries] == URLS
    first = listing.entries[0]
    assert first.title == "Fähre nimmt Betrieb auf"
    assert first.published == "2026-12-07T08:00:00+00:00"
    assert first.author and "Lea Sommer" in first.author
    assert first.link.endswith("utm_source=rss")  # the link as given is kept too


def test_watch_parse_rss_1_0_rdf() -> None:
    listing = parse(rdf(BASE, ITEMS), BASE + "/rdf")
    assert listing.kind == "feed" and [e.url for e in listing.entries] == URLS
    assert listing.entries[0].published == "2026-12-07T08:00:00+00:00"


def test_watch_parse_atom() -> None:
    listing = parse(atom(BASE, ITEMS), BASE + "/atom")
    assert listing.kind == "feed" and listing.title == "Atom-Kurier"
    assert [e.url for e in listing.entries] == URLS
    assert listing.entries[1].author == "Jonas Brenner"


def test_watch_parse_atom_signal_changes_with_the_update() -> None:
    old = parse(atom(BASE, ITEMS), BASE).entries[0].signal
    new = parse(atom(BASE, ITEMS, updated="2026-12-07T11:00:00Z"), BASE).entries[0].signal
    assert old != new


def test_watch_parse_json_feed() -> None:
    listing = parse(json_feed(BASE, ITEMS), BASE + "/feed.json", "application/feed+json")
    assert listing.kind == "jsonfeed"
    assert [e.url for e in listing.entries] == URLS
    assert listing.entries[0].author == "Mira Feld"
    assert listing.entries[0].published == "2026-12-07T09:00:00Z"


def test_watch_parse_news_sitemap() -> None:
    listing = parse(sitemap(BASE, [p for p, _ in ITEMS]), BASE + "/sitemap.xml")
    assert listing.kind == "sitemap"
    assert [e.url for e in listing.entries] == URLS
    assert listing.entries[0].title == "Sitemap-Meldung 0"
    assert listing.entries[0].published == "2026-12-07T07:00:00Z"


def test_watch_parse_sitemap_index_lists_children() -> None:
    listing = parse(sitemap_index(BASE, ["/sm-1.xml", "/sm-2.xml"]), BASE + "/index.xml")
    assert listing.sitemaps == [BASE + "/sm-1.xml", BASE + "/sm-2.xml"]
    assert listing.entries == []


def test_watch_parse_page_takes_same_host_article_links() -> None:
    page = front_page(
        [
            "/lokal/faehre-nimmt-betrieb-auf",
            "/lokal/faehre-nimmt-betrieb-auf?utm_medium=social",  # the same article again
            "https://zeitung.example/politik/2026/12/07/rat-tagt",
            "https://andere.example/lokal/fremde-nachricht-aus-der-stadt",  # other host
            "/tag/hafen",
            "/impressum",
            "/bild-der-woche.jpg",
            "mailto:redaktion@zeitung.example",
            "/",
        ]
    )
    listing = parse(page, BASE + "/")
    assert listing.kind == "page" and listing.title == "Startseite"
    assert [e.url for e in listing.entries] == [
        URLS[0],
        "https://zeitung.example/politik/2026/12/07/rat-tagt",
    ]


def test_watch_parse_article_heuristic() -> None:
    assert looks_like_article("https://x.example/a/2026/hafen-streik-geht-weiter")
    assert looks_like_article("https://x.example/meldung/123456")
    assert looks_like_article("https://x.example/seite.html")
    assert not looks_like_article("https://x.example/sport/")
    assert not looks_like_article("https://x.example/author/lea-maria-sommer")


def test_watch_parse_malformed_xml_is_refused_with_the_reason() -> None:
    with pytest.raises(FormatError) as info:
        parse(b'<?xml version="1.0"?><rss version="2.0"><channel><title>kaputt', BASE + "/rss")
    assert "not a readable feed" in info.value.reason
    with pytest.raises(FormatError):
        parse(b"<urlset><url><loc>x</url>", BASE + "/sitemap.xml")
    with pytest.raises(FormatError):
        parse(b'{"items": 3}', BASE + "/feed.json")


def test_watch_parse_malformed_feed_keeps_what_it_could_read() -> None:
    broken = rss(BASE, ITEMS).replace(b"</channel></rss>", b"<item><title>halb")
    listing = parse(broken, BASE + "/rss")
    assert [e.url for e in listing.entries] == URLS


def test_watch_parse_sniffs_the_body_not_the_content_type() -> None:
    assert sniff(atom(BASE, ITEMS), "text/html") == "feed"
    assert sniff(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x --><urlset/>") == "sitemap"
    assert sniff(b"<!doctype html><html></html>", "application/rss+xml") == "page"
