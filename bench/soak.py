"""Soak benchmark of `storyline watch` on loopback: many feeds, items added while it runs,
faults on purpose; reports lost and doubled items, items/s and memory over time.

Issue 19: "50 feeds on the local server, 2,000 items, items added while it runs, over a
bounded time; report items/s, memory over time and zero lost or doubled items". A local
HTTP server (a thread of this process, 127.0.0.1 only) serves `--feeds` RSS feeds over
`--n` fictional articles (bench/gen_corpus.py). Items are published in rounds while the
watcher polls; on purpose some items are listed twice (a second feed, tracking parameters
and a fragment), some articles change after they were stored (a new version is expected,
not a double), some pages answer 503 once (retried at once), some fail for two polls (tried
again on the next poll), and one feed is dead (paused after `watch_pause_after` failures).

    .venv/bin/python -m bench.soak --n 2000 --feeds 50

Lost: a published URL without a stored article at the end. Doubled: a URL with more
article versions than it had changes, or an item stored twice. Also checked: never two
requests at once (the server counts them).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.common import save
from bench.gen_corpus import generate

DUPLICATE_EVERY = 40  #: every 40th item is also listed in the next feed, with tracking junk
CHANGE_EVERY = 50  #: every 50th item gets a correction after it was stored
FLAKY_EVERY = 30  #: every 30th page answers 503 (Retry-After: 0) on its first request
FAILING_EVERY = 70  #: every 70th page fails its first three requests (two polls)
FIRST_SHARE = 0.4  #: share of the items published before the first poll
ROUNDS = 6  #: publishing rounds for the rest
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")  #: bytes per page of /proc/self/statm
MIB = 1 << 20


def _rss_mb() -> float:
    """Resident memory now (MiB)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE_SIZE / MIB


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (a size limit, the end of the run) is no news here


@dataclass
class Item:
    n: int
    path: str
    title: str
    paragraphs: list[str]
    feed: int
    published_at: datetime
    version: int = 1
    requests: int = 0


@dataclass
class Site:
    """What the server serves; the publisher changes it between polls."""

    items: list[Item]
    feeds: int
    published: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    active: int = 0
    max_active: int = 0
    requests: int = 0

    def feed_body(self, feed: int, base: str) -> bytes:
        entries = []
        for item in self.items[: self.published]:
            links = []
            if item.feed == feed:
                links.append(f"{base}{item.path}")
            if item.n % DUPLICATE_EVERY == 0 and (item.feed + 1) % self.feeds == feed:
                links.append(f"{base}{item.path}?utm_source=soak&fbclid=x#kommentare")
            stamp = item.published_at + timedelta(minutes=item.version - 1)
            for link in links:
                entries.append(
                    f"<item><title>{escape(item.title)}</title><link>{escape(link)}</link>"
                    f"<pubDate>{format_datetime(stamp, usegmt=True)}</pubDate></item>"
                )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Soak {feed}</title><link>{base}/</link><description>soak</description>"
            f"{''.join(entries)}</channel></rss>"
        ).encode()

    def page(self, item: Item) -> bytes:
        paragraphs = list(item.paragraphs)
        if item.version > 1:
            paragraphs.append(
                f"Korrektur (Fassung {item.version}): In einer früheren Fassung dieses Berichts "
                f"war eine Zahl falsch angegeben; sie wurde für Meldung {item.n} berichtigt."
            )
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        return (
            f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>"
            f"{escape(item.title)}</title></head><body><article><h1>{escape(item.title)}</h1>"
            f"{body}</article></body></html>"
        ).encode()


def _handler(site: Site, by_path: dict[str, Item]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self._done()  # before the client can have the answer (see `_done`)
            self.end_headers()
            self.wfile.write(body)

        def _done(self) -> None:
            """The request stops counting as active once its answer starts to go out: a
            client that sends its next request on reading this answer is one request at a
            time, even when this thread is scheduled again only after that request came."""
            if getattr(self, "counted", False):
                with site.lock:
                    site.active -= 1
                self.counted = False

        def do_GET(self) -> None:
            with site.lock:
                site.active += 1
                site.max_active = max(site.max_active, site.active)
                site.requests += 1
            self.counted = True
            try:
                self._route()
            finally:
                self._done()

        def _route(self) -> None:
            base = f"http://{self.headers.get('Host')}"
            path = self.path.split("?")[0]
            if path.startswith("/feed/"):
                self._send(200, site.feed_body(int(path[6:].split(".")[0]), base))
            elif path == "/dead.xml":
                self._send(500, b"down")
            elif path in by_path:
                item = by_path[path]
                item.requests += 1
                if item.n % FLAKY_EVERY == 0 and item.requests == 1:
                    self._send(503, b"busy", {"Retry-After": "0"})
                elif item.n % FAILING_EVERY == 0 and item.requests <= 3:
                    self._send(500, b"broken")
                else:
                    self._send(200, site.page(item), {"Content-Type": "text/html; charset=utf-8"})
            else:
                self._send(404, b"not found")

    return Handler


def _items(n: int, feeds: int, folder: Path) -> list[Item]:
    generate(n, folder)
    start = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    out = []
    for i, path in enumerate(sorted((folder / "articles").glob("*.txt"))):
        title, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
        paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
        out.append(
            Item(
                i,
                f"/a/{i}-{path.stem}-meldung",
                title.strip(),
                paragraphs,
                i % feeds,
                start + timedelta(minutes=i),
            )
        )
    return out


def run(n: int, feeds: int, budget: float, profile: str) -> dict[str, Any]:
    from storyline.config import defaults
    from storyline.store import Store
    from storyline.store import watch as db
    from storyline.watch import sources
    from storyline.watch.fetch import Fetcher, FetchPolicy
    from storyline.watch.run import poll_once
    from storyline.watch.urls import normalise

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        items = _items(n, feeds, root / "corpus")
        site = Site(items, feeds, published=int(n * FIRST_SHARE))
        server = _Server(("127.0.0.1", 0), _handler(site, {i.path: i for i in items}))
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        step = max(1, (n - site.published) // ROUNDS)
        changed: set[str] = set()
        memory: list[tuple[float, float]] = []
        polls = []
        started = time.perf_counter()
        config = defaults().replace(
            profile=profile,
            watch_host_interval=0,
            watch_retries=1,
            watch_backoff=0.01,
            watch_pause_after=3,
            watch_max_items=1000,
        )
        with (
            Store(root / "soak.db", config=config) as store,
            Fetcher(FetchPolicy.from_config(config)) as fetcher,
        ):
            for f in range(feeds):
                sources.add(store, f"{base}/feed/{f}.xml", every="1m")
            sources.add(store, f"{base}/dead.xml", every="1m")
            quiet = 0
            while time.perf_counter() - started < budget:
                db.make_all_due(store)
                report = poll_once(store, fetcher)
                elapsed = time.perf_counter() - started
                memory.append((round(elapsed, 1), round(_rss_mb(), 1)))
                polls.append(
                    {
                        "t": round(elapsed, 1),
                        "stored": len(report.stored),
                        "versions": report.versions,
                        "item_errors": len(report.item_errors),
                        "published": site.published,
                    }
                )
                # correct some stored articles, then publish the next round
                marked = 0
                for item in items[: site.published]:
                    url = normalise(base + item.path)
                    due = item.n % CHANGE_EVERY == 0 and url not in changed
                    seen = db.seen_items(store, [url]).get(url) if due else None
                    if seen is not None and seen.article_id is not None:  # stored, not failed
                        item.version = 2
                        changed.add(url)
                        marked += 1
                grew = site.published < n
                site.published = min(n, site.published + step)
                nothing = not report.stored and not report.item_errors and not report.versions
                quiet = quiet + 1 if nothing and not grew and not marked else 0
                if (
                    quiet >= 1
                    and site.published == n
                    and all(
                        normalise(base + i.path) in changed
                        for i in items
                        if i.n % CHANGE_EVERY == 0
                    )
                ):
                    break
            seconds = time.perf_counter() - started
            expected = {normalise(base + i.path) for i in items[: site.published]}
            rows = store.conn.execute(
                "SELECT url, article_id FROM watch_items WHERE article_id IS NOT NULL"
            ).fetchall()
            have = {str(r[0]) for r in rows}
            versions = dict(
                store.conn.execute("SELECT url, count(*) FROM article_versions GROUP BY url")
            )
            doubled = sum(
                max(0, int(versions.get(u, 0)) - (2 if u in changed else 1)) for u in expected
            )
            missing_versions = sum(1 for u in changed if int(versions.get(u, 0)) < 2)
            paused = [s.url for s in db.list_sources(store) if s.paused_reason]
            counts = db.counts(store)
            articles = store.count()
        server.shutdown()
        server.server_close()
    stored_items = len(have & expected)
    return {
        "n": n,
        "feeds": feeds,
        "profile": profile,
        "published": site.published,
        "items_stored": stored_items,
        "articles": articles,
        "versions_expected": len(changed),
        "versions_missing": missing_versions,
        "lost": len(expected - have),
        "doubled": doubled,
        "extra_items": counts.items - len(expected),
        "paused_sources": paused,
        "polls": len(polls),
        "seconds": round(seconds, 1),
        "items_per_s": round(stored_items / seconds, 2),
        "requests": site.requests,
        "max_concurrent_requests": site.max_active,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_mib_over_time": memory,
        "poll_log": polls,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Soak storyline watch on a loopback site.")
    ap.add_argument("--n", type=int, default=2000, help="items (articles) in all")
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--budget", type=float, default=1800.0, help="seconds at most")
    ap.add_argument("--profile", default="fast", choices=["fast", "accurate"])
    args = ap.parse_args(argv)
    result = run(args.n, args.feeds, args.budget, args.profile)
    save("soak", result)
    short = {k: v for k, v in result.items() if k not in ("rss_mib_over_time", "poll_log")}
    for key, value in short.items():
        print(f"{key:>24}: {value}")
    print(f"{'rss_mib_over_time':>24}: {result['rss_mib_over_time']}")


if __name__ == "__main__":
    main()
