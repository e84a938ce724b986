"""A loopback web site for the watch tests: feeds, sitemaps, pages and faults on demand.

Every article here is fictional and written for these tests. The server records each
request (path, headers, start and end) so tests can check politeness: never two requests
at once, intervals kept, conditional headers sent.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from storyline.watch.fetch import FetchPolicy, user_agent

TOWNS = ["Lindenau", "Kaltbrunn", "Oberwies", "Sandhafen", "Birkenfeld", "Moorstadt",
         "Eschental", "Rabenau", "Weidenbach", "Steinhude"]  # fmt: skip
TOPICS = [
    ("Fähre", "Die neue Fähre über den Fluss nimmt am Montag den Betrieb auf.",
     "Bürgermeisterin Hanna Vogt sprach von einem guten Tag für die Pendler."),
    ("Bibliothek", "Die Stadtbibliothek verlängert ihre Öffnungszeiten bis zweiundzwanzig Uhr.",
     "Studierende hatten dafür über tausend Unterschriften gesammelt."),
    ("Hafenstreik", "Im Hafen legen die Beschäftigten seit dem frühen Morgen die Arbeit nieder.",
     "Die Gewerkschaft fordert einen höheren Lohn für die Schichtarbeit."),
    ("Brücke", "Die alte Brücke über den Kanal wird ab dem Frühjahr vollständig saniert.",
     "Der Verkehr soll während der Bauzeit über eine Behelfsbrücke laufen."),
    ("Schule", "Die Grundschule erhält einen Neubau mit zwölf zusätzlichen Klassenräumen.",
     "Die Elternvertretung begrüßte den Beschluss des Gemeinderats ausdrücklich."),
]  # fmt: skip


def article_html(n: int, *, version: int = 1, title: str | None = None) -> bytes:
    """A fictional article page; `n` picks town and topic, `version` changes the text."""
    town = TOWNS[n % len(TOWNS)]
    topic, lead, second = TOPICS[(n // len(TOWNS)) % len(TOPICS)]
    head = title or f"{topic} in {town}: Nachricht Nummer {n}"
    extra = (
        f"Nach Angaben der Verwaltung von {town} kostet das Vorhaben {n + 3} Millionen Euro."
        if version == 1
        else f"Inzwischen korrigierte die Verwaltung von {town} die Kosten auf {n + 9} Millionen "
        f"Euro, wie ein Sprecher am Abend mitteilte."
    )
    paragraphs = [
        f"{town} (eigener Bericht). {lead}",
        second,
        extra,
        f"Der Stadtrat von {town} will sich in der kommenden Woche erneut mit dem Thema "
        f"befassen; Meldung {n} wurde für die Tests geschrieben.",
    ]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{escape(head)}"
        f"</title></head><body><article><h1>{escape(head)}</h1>{body}</article></body></html>"
    ).encode()


def rss(base: str, items: list[tuple[str, str]], *, version: str = "2.0") -> bytes:
    """RSS 2.0 (or 0.91/0.92) with (path, title) items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{base}{p}</link>"
        f"<pubDate>Mon, 07 Dec 2026 08:{i % 60:02d}:00 GMT</pubDate>"
        f"<author>redaktion@example.invalid (Lea Sommer)</author></item>"
        for i, (p, t) in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="{version}"><channel>'
        f"<title>Testblatt</title><link>{base}/</link><description>Test</description>"
        f"{entries}</channel></rss>"
    ).encode()


def rdf(base: str, items: list[tuple[str, str]]) -> bytes:
    """RSS 1.0 (RDF)."""
    entries = "".join(
        f'<item rdf:about="{base}{p}"><title>{escape(t)}</title><link>{base}{p}</link>'
        f"<dc:date>2026-12-07T08:00:00Z</dc:date></item>"
        for p, t in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{base}/"><title>RDF-Blatt</title><link>{base}/</link>'
        f"<description>Test</description></channel>{entries}</rdf:RDF>"
    ).encode()


def atom(base: str, items: list[tuple[str, str]], updated: str = "2026-12-07T08:00:00Z") -> bytes:
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{base}{p}"/><id>{base}{p}</id>'
        f"<updated>{updated}</updated><author><name>Jonas Brenner</name></author></entry>"
        for p, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Atom-Kurier</title><id>{base}/</id><updated>{updated}</updated>{entries}</feed>"
    ).encode()


def json_feed(base: str, items: list[tuple[str, str]]) -> bytes:
    import json

    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON-Bote",
            "items": [
                {
                    "id": p,
                    "url": base + p,
                    "title": t,
                    "date_published": "2026-12-07T09:00:00Z",
                    "authors": [{"name": "Mira Feld"}],
                }
                for p, t in items
            ],
        }
    ).encode()


def sitemap(base: str, paths: list[str], *, news: bool = True) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><lastmod>2026-12-07</lastmod>"
        + (
            "<news:news><news:publication><news:name>Testblatt</news:name>"
            "<news:language>de</news:language></news:publication>"
            "<news:publication_date>2026-12-07T07:00:00Z</news:publication_date>"
            f"<news:title>Sitemap-Meldung {i}</news:title></news:news>"
            if news
            else ""
        )
        + "</url>"
        for i, p in enumerate(paths)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    ).encode()


def sitemap_index(base: str, children: list[str]) -> bytes:
    inner = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{inner}</sitemapindex>'
    ).encode()


def front_page(links: list[str]) -> bytes:
    anchors = "".join(f'<li><a href="{escape(href)}">Link</a></li>' for href in links)
    return (
        "<!doctype html><html><head><title>Startseite</title></head><body><ul>"
        f"{anchors}</ul></body></html>"
    ).encode()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    gzip: bool = False


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    start: float
    end: float = 0.0


Route = Callable[["Request"], Reply]


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


class Site:
    """Routes by path (query included); each value a Reply or a function of the request."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | Route] = {}
        self.hits: list[Hit] = []
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        self.base = ""
        self.posts: list[Request] = []

    def page(self, path: str, body: bytes, **kw: object) -> None:
        self.routes[path] = Reply(body=body, **kw)  # type: ignore[arg-type]

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found")
        return route(request) if callable(route) else route


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body leave at once: no 40 ms stalls

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _serve(self, body_in: bytes) -> None:
            hit = Hit(self.path, dict(self.headers.items()), time.monotonic())
            with site.lock:
                site.active += 1
                site.max_active = max(site.max_active, site.active)
                site.hits.append(hit)
            done = False

            def finished() -> None:
                # counted as over once the answer is ready, before it is sent: the client may
                # read it and send its next request before this thread runs again
                nonlocal done
                if not done:
                    done = True
                    with site.lock:
                        site.active -= 1
                        hit.end = time.monotonic()

            try:
                request = Request(self.path, dict(self.headers.items()), body_in)
                if self.command == "POST":
                    site.posts.append(request)
                reply = site._reply(request)
                if reply.delay:
                    time.sleep(reply.delay)
                body = gzip.compress(reply.body) if reply.gzip else reply.body
                finished()
                self.send_response(reply.status)
                headers = {"Content-Length": str(len(body)), **reply.headers}
                if reply.gzip:
                    headers["Content-Encoding"] = "gzip"
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (a size limit, a timeout): what tests want
            finally:
                finished()

        def do_GET(self) -> None:
            self._serve(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._serve(self.rfile.read(length))

    return Handler


@contextmanager
def serve(site: Site | None = None) -> Iterator[Site]:
    site = site or Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def http_date(at: datetime | None = None) -> str:
    return format_datetime(at or datetime.now(UTC), usegmt=True)


def policy(**changes: object) -> FetchPolicy:
    """Quick limits for tests (no waiting between requests, short backoffs); `changes`
    replace any of them."""
    base = FetchPolicy(
        user_agent=user_agent("tests@example.invalid"),
        host_interval=0.0,
        timeout=5.0,
        retries=2,
        backoff=0.01,
        max_wait=5.0,
        max_bytes=1_000_000,
        max_redirects=3,
    )
    return FetchPolicy(**{**base.__dict__, **changes})  # type: ignore[arg-type]
