"""One poll of the due sources (`watch run --once`), and the loop (`watch run`).

A poll: fetch each due source (conditionally), list its entries, fetch the pages of the
new ones (and of those whose listing changed), and feed them as documents through the
ingest job, so they are cleaned, analysed, grouped and compared like any other input. The
feed's title, date, author and link go in as hints (provenance; the page's own metadata
fills what the feed left out). Then the alerts are checked and delivered.

Crash safety: an item is recorded in the transaction that stores its article
(ingest's `on_written`), and a source's validators (ETag, Last-Modified) are written only
after its items are in; killed at any point, the next poll fetches the listing again and
skips every item already stored. A source failing `watch_pause_after` polls in a row is
paused with the reason, so one dead feed does not cost a request every poll forever.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain

from storyline.errors import FetchError, InputError, StorylineError
from storyline.ingest.readers import read_bytes
from storyline.jobs.ingest import IngestReport, ingest
from storyline.model import Document, Hints
from storyline.settings import WATCH_MAX_ITEMS, WATCH_PAUSE_AFTER
from storyline.store import Store
from storyline.store import watch as db
from storyline.store.watch import FetchRecord, WatchSource
from storyline.watch.alerts import AlertReport, Deliverer, run_alerts
from storyline.watch.fetch import Fetcher, FetchPolicy
from storyline.watch.parse import Entry, Listing, parse
from storyline.watch.sources import sync_settings_file

#: Child sitemaps of one sitemap index read per poll.
MAX_CHILD_SITEMAPS = 20
#: Polls on which an item whose page cannot be fetched is tried before it is given up.
ITEM_MAX_TRIES = 3
#: Longest sleep of the loop between two looks at the schedule (digests are due too).
LOOP_MAX_SLEEP = 60.0

Say = Callable[[str], None]


@dataclass
class SourceResult:
    """What one poll did with one source."""

    id: int
    url: str
    status: str  #: ok, not_modified, failed or paused
    kind: str = "auto"
    entries: int = 0
    new: int = 0
    changed: int = 0
    error: str | None = None
    #: items left for the next poll (over watch_max_items)
    deferred: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "kind": self.kind,
            "entries": self.entries,
            "new": self.new,
            "changed": self.changed,
            "error": self.error,
        }


@dataclass
class PollReport:
    """What one poll did: per source, the articles stored, new versions, failed items."""

    sources: list[SourceResult] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    versions: int = 0
    item_errors: list[InputError] = field(default_factory=list)
    ingest: IngestReport | None = None
    alerts: AlertReport | None = None

    @property
    def ok(self) -> bool:
        return not self.item_errors and all(s.status != "failed" for s in self.sources)

    def to_dict(self) -> dict[str, object]:
        return {
            "sources": [s.to_dict() for s in self.sources],
            "stored": self.stored,
            "versions": self.versions,
            "item_errors": [e.to_dict() for e in self.item_errors],
            "alerts": self.alerts.to_dict() if self.alerts else None,
        }


@dataclass(frozen=True)
class _Pending:
    """An item fetched and on its way through ingest."""

    entry: Entry
    source_id: int
    content_hash: str


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fetch_line(record: FetchRecord) -> str:
    status = record.status if record.status is not None else "---"
    what = f"{record.bytes:,} B" if record.error is None else f"error: {record.error}"
    hops = f" ({len(record.redirects)} redirect(s))" if record.redirects else ""
    return (
        f"fetch {status} {record.purpose:<7} {record.elapsed_ms:5d} ms  {record.url}  {what}{hops}"
    )


class Poll:
    """One poll over the due sources; `run()` does it all."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        say: Say | None = None,
        deliverer: Deliverer | None = None,
    ) -> None:
        self.store = store
        self.deliverer = deliverer
        self.fetcher = fetcher
        self.say = say
        self.report = PollReport()
        self.pending: dict[str, _Pending] = {}
        self._done: list[tuple[WatchSource, str, str | None, str | None]] = []
        previous = fetcher.on_fetch

        def on_fetch(record: FetchRecord) -> None:
            db.log_fetch(store, record)
            if say is not None:
                say(_fetch_line(record))
            if previous is not None:
                previous(record)

        fetcher.on_fetch = on_fetch
        self._restore = previous

    def run(self, stop: threading.Event | None = None) -> PollReport:
        sync_settings_file(self.store)
        due = db.due_sources(self.store)
        try:
            documents = self._documents(due, stop)
            first = next(documents, None)  # nothing new: no ingest run, no grouping pass
            if first is not None:
                report = ingest(
                    [],
                    self.store,
                    documents=chain([first], documents),
                    on_written=self._written,
                    stop=stop,
                )
                self.report.ingest = report
                self.report.stored = list(report.stored)
                if report.stopped:
                    # items of a listing may be left unread: keep the old validators, so the
                    # next poll reads every listing again (and skips what was stored)
                    self._done.clear()
            for source, kind, etag, modified in self._done:
                db.source_ok(self.store, source, kind=kind, etag=etag, last_modified=modified)
        finally:
            self.fetcher.on_fetch = self._restore
        self.report.alerts = run_alerts(self.store, say=self.say, deliverer=self.deliverer)
        return self.report

    # -- sources ---------------------------------------------------------------------

    def _documents(
        self, due: list[WatchSource], stop: threading.Event | None
    ) -> Iterator[Document | InputError]:
        for source in due:
            if stop is not None and stop.is_set():
                return
            yield from self._source(source)

    def _source(self, source: WatchSource) -> Iterator[Document | InputError]:
        result = SourceResult(source.id, source.url, "ok", source.kind)
        self.report.sources.append(result)
        try:
            got = self.fetcher.get(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                ignore_robots=source.ignore_robots,
                purpose="source",
                source_id=source.id,
            )
            if got.not_modified:
                result.status = "not_modified"
                self._done.append((source, source.kind, source.etag, source.last_modified))
                return
            listing = parse(got.body, got.url, got.content_type, source.kind)
            self._children(source, listing)
        except StorylineError as err:
            self._failed(source, result, err.message)
            return
        result.kind = listing.kind
        result.entries = len(listing.entries)
        yield from self._items(source, listing, result)
        if result.deferred:  # no validators: the next poll must read the listing in full
            self._done.append((source, listing.kind, None, None))
        else:
            self._done.append((source, listing.kind, got.etag, got.last_modified))

    def _children(self, source: WatchSource, listing: Listing) -> None:
        """The child sitemaps of a sitemap index, read into `listing`."""
        for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
            try:
                got = self.fetcher.get(
                    child,
                    ignore_robots=source.ignore_robots,
                    purpose="sitemap",
                    source_id=source.id,
                )
                listing.entries.extend(parse(got.body, got.url, got.content_type).entries)
            except StorylineError as err:
                listing.skipped.append(InputError(child, err.message))

    def _failed(self, source: WatchSource, result: SourceResult, error: str) -> None:
        result.status, result.error = "failed", error
        paused = db.source_failed(self.store, source, error, self.store.config[WATCH_PAUSE_AFTER])
        if paused is not None:
            result.status = "paused"
            if self.say is not None:
                self.say(f"watch: source {source.id} {source.url} {paused}")

    # -- items -----------------------------------------------------------------------

    def _items(
        self, source: WatchSource, listing: Listing, result: SourceResult
    ) -> Iterator[Document | InputError]:
        entries: dict[str, Entry] = {}
        for entry in listing.entries:  # the first listing of a URL wins
            entries.setdefault(entry.url, entry)
        seen = db.seen_items(self.store, list(entries))
        budget = self.store.config[WATCH_MAX_ITEMS]
        for entry in entries.values():
            known = seen.get(entry.url)
            if entry.url in self.pending:
                continue  # listed by two sources in this poll
            changed = False
            if known is not None and known.content_hash is not None:
                if not entry.signal or entry.signal == known.entry_hash:
                    continue  # stored, and its listing says nothing new
                changed = True
            elif known is not None and known.tries >= ITEM_MAX_TRIES:
                continue  # given up on
            if budget <= 0:
                result.deferred = True  # the rest waits for the next poll
                break
            budget -= 1
            if changed:
                result.changed += 1
            else:
                result.new += 1
            doc = self._item(source, entry, known)
            if doc is not None:
                yield doc

    def _item(
        self, source: WatchSource, entry: Entry, known: db.SeenItem | None
    ) -> Document | InputError | None:
        try:
            got = self.fetcher.get(
                entry.url,
                ignore_robots=source.ignore_robots,
                purpose="article",
                source_id=source.id,
            )
        except FetchError as err:
            tries = db.item_failed(self.store, entry.url, entry.link, source.id, err.reason)
            self.report.item_errors.append(err)
            if tries >= ITEM_MAX_TRIES and self.say is not None:
                self.say(f"watch: giving up on {entry.url} after {tries} tries ({err.reason})")
            return None
        content_hash = _sha(got.body)
        if known is not None and known.content_hash == content_hash:
            with self.store.transaction(join=True):
                db.item_unchanged(self.store, entry.url, entry.signal)
            return None
        hints = Hints(
            title=entry.title, url=entry.url, published=entry.published, author=entry.author
        )
        self.pending[entry.url] = _Pending(entry, source.id, content_hash)
        for item in read_bytes(got.body, entry.url, "html", hints):
            return item
        return None

    def _written(self, item: Document | InputError, article_id: str | None) -> None:
        """Inside the batch's transaction: the item is recorded with its article."""
        pending = self.pending.get(item.source)
        if pending is None:
            return
        error = None
        if isinstance(item, InputError):
            error = item.reason
            self.report.item_errors.append(item)
        new = db.item_written(
            self.store,
            url=pending.entry.url,
            link=pending.entry.link,
            source_id=pending.source_id,
            entry_hash=pending.entry.signal,
            content_hash=pending.content_hash,
            article_id=article_id,
            error=error,
        )
        if new and article_id is not None and len(db.versions(self.store, item.source)) > 1:
            self.report.versions += 1


def poll_once(
    store: Store,
    fetcher: Fetcher | None = None,
    *,
    say: Say | None = None,
    stop: threading.Event | None = None,
    deliverer: Deliverer | None = None,
) -> PollReport:
    """Poll every due source once (`storyline watch run --once`)."""
    if fetcher is not None:
        return Poll(store, fetcher, say, deliverer).run(stop)
    with Fetcher(FetchPolicy.from_config(store.config)) as own:
        return Poll(store, own, say, deliverer).run(stop)


def seconds_until_due(store: Store, now: datetime | None = None) -> float:
    """Seconds until the next source is due (at most LOOP_MAX_SLEEP)."""
    due = db.next_due(store)
    if due is None:
        return LOOP_MAX_SLEEP
    moment = now or datetime.now(UTC)
    wait = (datetime.fromisoformat(due) - moment).total_seconds()
    return max(0.0, min(LOOP_MAX_SLEEP, wait))


def run_loop(
    store: Store,
    stop: threading.Event,
    *,
    fetcher: Fetcher | None = None,
    say: Say | None = None,
    on_poll: Callable[[PollReport], None] | None = None,
    deliverer: Deliverer | None = None,
) -> int:
    """Poll until `stop` is set; sleeps until the next source is due. Returns the polls."""
    polls = 0
    client = fetcher if fetcher is not None else Fetcher(FetchPolicy.from_config(store.config))
    try:
        while not stop.is_set():
            report = Poll(store, client, say, deliverer).run(stop)
            polls += 1
            if on_poll is not None:
                on_poll(report)
            stop.wait(seconds_until_due(store))
    finally:
        if fetcher is None:
            client.close()
    return polls
