"""Polls end to end on the loopback site: new items stored once with the feed's provenance,
grouped; duplicates via two URLs, changed articles as new versions, restarts without
repeats, failing sources paused with the reason, sitemaps and pages as sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from watch_site import (
    Reply,
    Request,
    Site,
    article_html,
    front_page,
    policy,
    rss,
    sitemap,
    sitemap_index,
)

from storyline.store import Store
from storyline.store import watch as db
from storyline.watch import sources
from storyline.watch.fetch import Fetcher
from storyline.watch.run import PollReport, poll_once


def _feed(site: Site, count: int, *, start: int = 0, path: str = "/feed.xml") -> list[str]:
    items = [
        (f"/lokal/{i}-meldung-aus-der-region", f"Feedtitel {i}")
        for i in range(start, start + count)
    ]
    site.page(path, rss(site.base, items))
    for i in range(start, start + count):
        site.page(f"/lokal/{i}-meldung-aus-der-region", article_html(i))
    return [p for p, _ in items]


def _poll(store: Store, **changes: object) -> PollReport:
    db.make_all_due(store)
    with Fetcher(policy(**changes)) as f:
        return poll_once(store, f)


def test_watch_run_stores_new_items_with_the_feed_provenance(site: Site, wstore: Store) -> None:
    paths = _feed(site, 4)
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert report.ok and len(report.stored) == 4
    assert report.sources[0].kind == "feed" and report.sources[0].new == 4
    art = wstore.get_article(report.stored[0])
    assert art["title"] == "Feedtitel 0"
    assert art["url"] == site.base + paths[0]
    assert art["published"].startswith("2026-12-07")
    assert art["event"] is not None and art["story"] is not None  # grouped like any ingest
    assert db.counts(wstore).items == 4
    assert db.recent_fetches(wstore)[0].status == 200


def test_watch_run_second_poll_repeats_nothing(site: Site, wstore: Store) -> None:
    _feed(site, 3)
    sources.add(wstore, site.base + "/feed.xml")
    _poll(wstore)
    pages = sum(site.count(f"/lokal/{i}-meldung-aus-der-region") for i in range(3))
    again = _poll(wstore)
    assert again.stored == [] and again.sources[0].new == 0
    assert sum(site.count(f"/lokal/{i}-meldung-aus-der-region") for i in range(3)) == pages
    assert wstore.count() == 3


def test_watch_run_restart_in_a_new_process_repeats_nothing(site: Site, tmp_path: Path) -> None:
    _feed(site, 3)
    with Store(tmp_path / "r.db") as s:
        sources.add(s, site.base + "/feed.xml")
        _poll(s)
    _feed(site, 2, start=3)  # the feed grows while nobody watches
    site.page(
        "/feed.xml",
        rss(
            site.base, [(f"/lokal/{i}-meldung-aus-der-region", f"Feedtitel {i}") for i in range(5)]
        ),
    )
    with Store(tmp_path / "r.db") as s:
        report = _poll(s)
        assert len(report.stored) == 2 and s.count() == 5
        assert db.counts(s).items == 5


def test_watch_run_uses_conditional_get_and_keeps_validators_after_items(
    site: Site, wstore: Store
) -> None:
    paths = _feed(site, 2)
    body = site.routes["/feed.xml"]
    assert isinstance(body, Reply)

    def feed(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"f1"':
            return Reply(304)
        return Reply(body=body.body, headers={"ETag": '"f1"'})

    site.routes["/feed.xml"] = feed
    source, _ = sources.add(wstore, site.base + "/feed.xml")
    _poll(wstore)
    assert db.get_source(wstore, source.id).etag == '"f1"'
    report = _poll(wstore)
    assert report.sources[0].status == "not_modified"
    assert site.count(paths[0]) == 1


def test_watch_run_same_article_via_two_urls_is_stored_once(site: Site, wstore: Store) -> None:
    site.page("/lokal/7-meldung-aus-der-region", article_html(7))
    site.page("/kopie/7-meldung-aus-der-region", article_html(7))
    items = [
        ("/lokal/7-meldung-aus-der-region?utm_source=rss&utm_medium=feed", "Sieben"),
        ("/lokal/7-meldung-aus-der-region#kommentare", "Sieben nochmal"),
        ("/kopie/7-meldung-aus-der-region", "Sieben als Kopie"),
    ]
    site.page("/feed.xml", rss(site.base, items))
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert site.count("/lokal/7-meldung-aus-der-region?utm_source=rss&utm_medium=feed") == 0
    assert site.count("/lokal/7-meldung-aus-der-region") == 1  # fetched under its clean URL
    assert db.counts(wstore).items == 2  # two URLs
    # one original; the copy under another URL (and feed title) is marked its duplicate
    originals = [a for a in wstore.list_articles() if not a["duplicate_of"]]
    assert len(originals) == 1
    assert report.ingest is not None
    assert report.ingest.duplicates == [(report.stored[1], originals[0]["id"])]


def test_watch_run_same_page_via_two_urls_with_one_title_is_one_article(
    site: Site, wstore: Store
) -> None:
    site.page("/lokal/8-meldung-aus-der-region", article_html(8))
    site.page("/amp/8-meldung-aus-der-region", article_html(8))
    items = [("/lokal/8-meldung-aus-der-region", "Acht"), ("/amp/8-meldung-aus-der-region", "Acht")]
    site.page("/feed.xml", rss(site.base, items))
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert wstore.count() == 1 and len(report.stored) == 1
    assert report.ingest is not None and len(report.ingest.known) == 1
    assert len(wstore.get_article(report.stored[0])["sources"]) == 2  # both URLs as provenance


def test_watch_run_changed_article_becomes_a_new_version(site: Site, wstore: Store) -> None:
    from watch_site import atom

    path = "/lokal/3-meldung-aus-der-region"
    site.page(path, article_html(3))
    site.page("/atom.xml", atom(site.base, [(path, "Drei")]))
    sources.add(wstore, site.base + "/atom.xml")
    first = _poll(wstore)
    site.page(path, article_html(3, version=2))
    site.page("/atom.xml", atom(site.base, [(path, "Drei")], updated="2026-12-07T12:00:00Z"))
    second = _poll(wstore)
    assert second.versions == 1 and len(second.stored) == 1
    versions = db.versions(wstore, site.base + path)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].article_id == first.stored[0] and versions[1].article_id == second.stored[0]
    assert wstore.has_article(first.stored[0])  # the old version is kept
    assert "korrigierte" in wstore.get_article(second.stored[0])["text"]


def test_watch_run_unchanged_page_with_a_new_feed_signal_is_not_stored_again(
    site: Site, wstore: Store
) -> None:
    from watch_site import atom

    path = "/lokal/4-meldung-aus-der-region"
    site.page(path, article_html(4))
    site.page("/atom.xml", atom(site.base, [(path, "Vier")]))
    sources.add(wstore, site.base + "/atom.xml")
    _poll(wstore)
    site.page("/atom.xml", atom(site.base, [(path, "Vier")], updated="2026-12-07T13:00:00Z"))
    again = _poll(wstore)
    assert again.stored == [] and again.versions == 0 and site.count(path) == 2


@pytest.mark.settings(watch_pause_after=3)
def test_watch_run_pauses_a_source_after_failures_in_a_row(site: Site, wstore: Store) -> None:
    site.page("/tot.xml", b"", status=500)
    source, _ = sources.add(wstore, site.base + "/tot.xml")
    states = [_poll(wstore, retries=0).sources[0].status for _ in range(3)]
    assert states == ["failed", "failed", "paused"]
    paused = db.get_source(wstore, source.id)
    assert (
        paused.paused_reason
        and "3 failures" in paused.paused_reason
        and "HTTP 500" in paused.paused_reason
    )
    assert _poll(wstore).sources == []  # paused sources are not polled
    sources.add(wstore, site.base + "/tot.xml")  # adding again resumes it
    assert db.get_source(wstore, source.id).paused_reason is None


def test_watch_run_a_failing_source_does_not_stop_the_others(site: Site, wstore: Store) -> None:
    _feed(site, 2)
    site.page("/kaputt.xml", b"<rss><channel><title>halb", status=200)
    sources.add(wstore, site.base + "/kaputt.xml")
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert [s.status for s in report.sources] == ["failed", "ok"]
    assert len(report.stored) == 2 and not report.ok


def test_watch_run_item_that_cannot_be_fetched_is_tried_again_later(
    site: Site, wstore: Store
) -> None:
    paths = _feed(site, 2)
    site.page(paths[1], b"", status=503)
    sources.add(wstore, site.base + "/feed.xml")
    first = _poll(wstore, retries=0)
    assert len(first.stored) == 1 and len(first.item_errors) == 1
    site.page(paths[1], article_html(1))
    second = _poll(wstore, retries=0)
    assert len(second.stored) == 1 and wstore.count() == 2


def test_watch_run_sitemap_index_and_page_sources(site: Site, wstore: Store) -> None:
    for i in (20, 21, 22, 23):
        site.page(f"/lokal/{i}-meldung-aus-der-region", article_html(i))
    site.page("/sm-a.xml", sitemap(site.base, ["/lokal/20-meldung-aus-der-region"]))
    site.page("/sm-b.xml", sitemap(site.base, ["/lokal/21-meldung-aus-der-region"], news=False))
    site.page("/sitemap.xml", sitemap_index(site.base, ["/sm-a.xml", "/sm-b.xml"]))
    site.page(
        "/",
        front_page(
            ["/lokal/22-meldung-aus-der-region", "/lokal/23-meldung-aus-der-region", "/impressum"]
        ),
    )
    sources.add(wstore, site.base + "/sitemap.xml")
    sources.add(wstore, site.base + "/")
    report = _poll(wstore)
    assert [s.kind for s in report.sources] == ["sitemap", "page"]
    assert wstore.count() == 4
    titles = {a["title"] for a in wstore.list_articles()}
    assert "Sitemap-Meldung 0" in titles  # the news sitemap's title is the hint


def test_watch_run_robots_disallowed_items_are_not_fetched(site: Site, wstore: Store) -> None:
    paths = _feed(site, 2)
    site.page("/robots.txt", b"User-agent: *\nDisallow: /lokal/1-\n")
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert len(report.stored) == 1 and site.count(paths[1]) == 0
    assert any("robots.txt" in e.reason for e in report.item_errors)


def test_watch_run_settings_file_adds_sources(
    site: Site, wstore: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _feed(site, 1)
    listing = tmp_path / "quellen.toml"
    listing.write_text(
        f'[[source]]\nurl = "{site.base}/feed.xml"\nevery = "30m"\nname = "Testblatt"\n'
    )
    with Store(
        tmp_path / "listed.db", config=wstore.config.replace(watch_sources=str(listing))
    ) as s:
        report = _poll(s)
        (source,) = db.list_sources(s)
    assert len(report.stored) == 1
    assert source.origin == "settings" and source.every_s == 1800 and source.name == "Testblatt"


@pytest.mark.settings(watch_max_items=2)
def test_watch_run_takes_at_most_max_items_per_poll(site: Site, wstore: Store) -> None:
    _feed(site, 3)
    listing = site.routes["/feed.xml"]
    assert isinstance(listing, Reply)
    site.routes["/feed.xml"] = lambda r: (
        Reply(304)
        if r.headers.get("If-None-Match") == '"e"'
        else Reply(body=listing.body, headers={"ETag": '"e"'})
    )
    source, _ = sources.add(wstore, site.base + "/feed.xml")
    first = _poll(wstore)
    assert len(first.stored) == 2 and first.sources[0].new == 2
    assert db.get_source(wstore, source.id).etag is None  # so the next poll reads it all
    assert len(_poll(wstore).stored) == 1 and wstore.count() == 3


def test_watch_run_source_recovers_after_failures(site: Site, wstore: Store) -> None:
    _feed(site, 2)
    good = site.routes["/feed.xml"]
    calls = {"n": 0}

    def flaky(request: Request) -> Reply:
        calls["n"] += 1
        if calls["n"] <= 2:
            return Reply(502, b"bad gateway")
        assert isinstance(good, Reply)
        return good

    site.routes["/feed.xml"] = flaky
    source, _ = sources.add(wstore, site.base + "/feed.xml")
    assert _poll(wstore, retries=0).sources[0].status == "failed"
    assert db.get_source(wstore, source.id).failures == 1
    assert _poll(wstore, retries=0).sources[0].status == "failed"
    recovered = _poll(wstore, retries=0)
    assert recovered.sources[0].status == "ok" and len(recovered.stored) == 2
    healthy = db.get_source(wstore, source.id)
    assert healthy.failures == 0 and healthy.last_error is None and healthy.last_ok
    fetches = db.recent_fetches(wstore, source.id)
    assert [f.status for f in fetches if f.purpose == "source"] == [200, 502, 502]
