"""What a watched URL lists: the entries of a feed, a news sitemap or a plain page.

Formats: RSS 0.9x, 1.0 (RDF) and 2.0 and Atom through feedparser (the best-kept parser
of the lot, tolerant of the broken feeds newsrooms publish); JSON Feed 1.x; sitemaps and
sitemap indexes with the Google News extension; and any HTML page, whose links to the
same host that look like articles are taken as its entries. The kind is sniffed from the
body, not trusted from the Content-Type, which servers often get wrong.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import time
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import feedparser

from storyline.errors import FormatError, InputError
from storyline.watch.urls import normalise, same_host

KINDS = ("feed", "jsonfeed", "sitemap", "page")
#: Bytes of the body looked at to tell the format.
SNIFF_BYTES = 4096
#: Link suffixes that are never articles.
NOT_ARTICLES = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".css", ".js", ".pdf", ".zip",
    ".mp3", ".mp4", ".xml", ".rss", ".json", ".ico",
)  # fmt: skip
#: First path segments of section, tag and service pages rather than articles.
NOT_ARTICLE_SECTIONS = frozenset(
    {"tag", "tags", "topic", "topics", "category", "author", "authors", "search", "login",
     "about", "impressum", "kontakt", "contact", "datenschutz", "privacy", "feed", "rss"}
)  # fmt: skip
#: A slug with this many hyphen-separated words looks like an article's.
SLUG_WORDS = 3
_ROOT = re.compile(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_DIGITS = re.compile(r"\d{3,}")


@dataclass(frozen=True)
class Entry:
    """One item a source lists, with what the source says about it (provenance hints)."""

    url: str  #: normalised: the item's key
    link: str  #: as the source wrote it
    title: str | None = None
    published: str | None = None
    author: str | None = None
    #: A hash of what the listing says about the item (title, dates, summary): when it
    #: changes, the page is fetched again to look for a new version.
    signal: str = ""


@dataclass
class Listing:
    kind: str
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    #: child sitemaps of a sitemap index
    sitemaps: list[str] = field(default_factory=list)
    #: links that could not be used, with the reason
    skipped: list[InputError] = field(default_factory=list)


def _signal(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "replace")).hexdigest()[:16]


def sniff(body: bytes, content_type: str = "") -> str:
    """The kind of a body: feed, jsonfeed, sitemap or page."""
    head = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")) or "json" in content_type.lower():
        return "jsonfeed"
    match = _ROOT.search(head)
    root = match.group(1).decode("ascii", "replace").lower() if match else ""
    if root in ("rss", "rdf", "feed", "channel"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    return "page"


def parse(body: bytes, url: str, content_type: str = "", kind: str | None = None) -> Listing:
    """The entries a source's body lists; FormatError when it lists nothing readable."""
    found = kind if kind in KINDS else sniff(body, content_type)
    if found == "feed":
        return parse_feed(body, url)
    if found == "jsonfeed":
        return parse_json_feed(body, url)
    if found == "sitemap":
        return parse_sitemap(body, url)
    return parse_page(body, url)


def _entry(
    link: str | None,
    base: str,
    listing: Listing,
    *,
    title: str | None = None,
    published: str | None = None,
    author: str | None = None,
    extra: str | None = None,
) -> None:
    if not link or not link.strip():
        return
    try:
        url = normalise(link, base)
    except InputError as err:
        listing.skipped.append(err)
        return
    signal = _signal(title, published, extra)
    listing.entries.append(Entry(url, link.strip(), title, published, author, signal))


def _iso(parsed: time.struct_time | None) -> str | None:
    if parsed is None:
        return None
    stamp = calendar.timegm(parsed)
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_feed(body: bytes, url: str) -> Listing:
    """RSS 0.9x/1.0/2.0 and Atom; a feed that is not well-formed is read as far as it goes
    and refused only when nothing could be read."""
    with warnings.catch_warnings():
        # feedparser 6 warns on every read of "updated" where a feed has only "published"
        warnings.simplefilter("ignore", DeprecationWarning)
        result = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
        listing = Listing("feed", title=_text(result.feed.get("title")))
        for item in result.entries:
            published = item.get("published_parsed") or item.get("updated_parsed")
            _entry(
                item.get("link"),
                url,
                listing,
                title=_text(item.get("title")),
                published=_iso(published),
                author=_text(item.get("author")),
                extra=f"{item.get('updated', '')}{item.get('summary', '')}",
            )
    if not listing.entries and result.get("bozo"):
        reason = result.get("bozo_exception")
        raise FormatError(url, f"is not a readable feed ({reason})", hint="check the feed URL")
    return listing


def parse_json_feed(body: bytes, url: str) -> Listing:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:
        raise FormatError(url, f"is not valid JSON ({type(exc).__name__})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FormatError(url, "is JSON but not a JSON Feed (no 'items' list)")
    listing = Listing("jsonfeed", title=_text(data.get("title")))
    for item in data["items"]:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        first = authors[0] if isinstance(authors, list) and authors else None
        author = _text(first.get("name")) if isinstance(first, dict) else None
        _entry(
            _text(item.get("url")) or _text(item.get("external_url")),
            url,
            listing,
            title=_text(item.get("title")),
            published=_text(item.get("date_published")),
            author=author,
            extra=f"{item.get('date_modified', '')}{item.get('summary', '')}",
        )
    return listing


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _child_text(element: ET.Element | None, name: str) -> str | None:
    if element is None:
        return None
    found = _child(element, name)
    return _text(found.text) if found is not None else None


def parse_sitemap(body: bytes, url: str) -> Listing:
    """A sitemap (its <url>s, with news:title and news:publication_date when given) or a
    sitemap index (its child sitemaps)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise FormatError(url, f"is not a well-formed sitemap ({exc})") from exc
    listing = Listing("sitemap")
    if _local(root.tag) == "sitemapindex":
        for child in root:
            loc = _child_text(child, "loc")
            if loc:
                try:
                    listing.sitemaps.append(normalise(loc, url))
                except InputError as err:
                    listing.skipped.append(err)
        return listing
    for child in root:
        if _local(child.tag) != "url":
            continue
        news = _child(child, "news")
        lastmod = _child_text(child, "lastmod")
        published = _child_text(news, "publication_date")
        _entry(
            _child_text(child, "loc"),
            url,
            listing,
            title=_child_text(news, "title"),
            published=published or lastmod,
            extra=lastmod,
        )
    return listing


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        elif tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def looks_like_article(url: str) -> bool:
    """A heuristic for links on a front or section page: a long slug, three or more digits
    in the path (an id, a year), or an .html page; not under a tag, author or service
    section."""
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    if not segments or path.lower().endswith(NOT_ARTICLES):
        return False
    if segments[0].lower() in NOT_ARTICLE_SECTIONS:
        return False
    last = segments[-1]
    return (
        len(last.split("-")) >= SLUG_WORDS
        or bool(_DIGITS.search(path))
        or last.lower().endswith((".html", ".htm"))
    )


def parse_page(body: bytes, url: str) -> Listing:
    """A page's links to articles on the same host, in page order, each once."""
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    parser.close()
    base = normalise(parser.base, url) if parser.base else url
    listing = Listing("page", title=parser.title.strip() or None)
    own = normalise(url)
    seen: set[str] = set()
    for link in parser.links:
        try:
            target = normalise(link, base)
        except InputError:
            continue  # mailto:, javascript: and the like are not articles
        if target == own or target in seen or not same_host(target, url):
            continue
        if looks_like_article(target):
            seen.add(target)
            listing.entries.append(Entry(target, link, signal=""))
    return listing
