"""Alerts: matching (entity, query, story, min sources), firing once per match, and the
deliveries: stdout, JSON Lines, a signed and retried webhook, e-mail over SMTP, digests."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from watch_site import Reply, Request, Site, article_html, policy, rss

from storyline.store import Store
from storyline.store import alerts as adb
from storyline.store import watch as db
from storyline.watch import sources
from storyline.watch.alerts import (
    SIGNATURE_HEADER,
    Deliverer,
    deliver_pending,
    query_sentence,
    run_alerts,
    sentences,
)
from storyline.watch.fetch import Fetcher
from storyline.watch.run import PollReport, poll_once

HARBOUR = range(20, 23)  # the port-strike articles of the test site
FERRY = range(0, 3)  # the ferry articles, which quote Hanna Vogt


def _serve(site: Site, numbers: list[int]) -> None:
    items = [(f"/n/{n}-meldung-aus-der-region", f"Meldung {n}") for n in numbers]
    site.page("/feed.xml", rss(site.base, items))
    for n in numbers:
        site.page(f"/n/{n}-meldung-aus-der-region", article_html(n))


def _poll(store: Store, deliverer: Deliverer | None = None) -> PollReport:
    db.make_all_due(store)
    with Fetcher(policy()) as f:
        return poll_once(store, f, deliverer=deliverer)


def test_watch_alerts_query_matches_a_sentence_with_every_word() -> None:
    text = "Erster Satz ohne Treffer. Im Hafen streikten die Arbeiter am Morgen! Dritter Satz."
    assert (
        query_sentence(text, "Hafen Streik", "de") == "Im Hafen streikten die Arbeiter am Morgen!"
    )
    assert query_sentence(text, "Hafen Flughafen", "de") is None
    assert len(sentences(text)) == 3


def test_watch_alerts_fire_once_per_match_as_json_lines(
    site: Site, wstore: Store, tmp_path: Path
) -> None:
    out = tmp_path / "alerts.jsonl"
    adb.add_alert(wstore, "query", "Hafen Arbeit", 1, f"jsonl:{out}", None)
    adb.add_alert(wstore, "query", "Flughafen", 1, f"jsonl:{out}", None)
    _serve(site, [*HARBOUR, *FERRY])
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert report.alerts is not None and report.alerts.matched == 3
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 3
    first = lines[0]["matches"][0]
    assert first["title"] == "Meldung 20" and first["outlet"]
    assert first["url"].endswith("/n/20-meldung-aus-der-region")
    assert "Hafen" in first["sentence"] and "Arbeit" in first["sentence"]
    assert first["story_url"] == f"http://127.0.0.1:8000/stories/{first['story']}"
    _serve(site, [*HARBOUR, *FERRY, 23])  # one more port article
    _poll(wstore)
    assert len(out.read_text().splitlines()) == 4  # only the new one fired
    assert run_alerts(wstore).delivered == 0  # nothing twice
    adb.queue_articles(wstore, wstore.article_ids())  # even when everything is checked again
    assert run_alerts(wstore).matched == 0


def test_watch_alerts_entity_alert_names_the_sentence(site: Site, wstore: Store) -> None:
    _serve(site, [*FERRY, *HARBOUR])
    sources.add(wstore, site.base + "/feed.xml")
    adb.add_alert(wstore, "entity", "Hanna Vogt", 1, "stdout", None)
    buffer = io.StringIO()
    report = _poll(wstore, Deliverer(wstore.config, stdout=buffer))
    assert report.alerts is not None and report.alerts.delivered == 3
    text = buffer.getvalue()
    assert text.count("storyline alert") == 3 and "Bürgermeisterin Hanna Vogt" in text


def test_watch_alerts_story_alert_and_min_sources(site: Site, wstore: Store) -> None:
    _serve(site, [20])
    sources.add(wstore, site.base + "/feed.xml")
    first = _poll(wstore).stored[0]
    story = wstore.get_article(first)["story"]
    on_story = adb.add_alert(wstore, "story", story, 1, "stdout", None)
    two_sources = adb.add_alert(wstore, "story", story, 2, "stdout", None)
    adb.queue_articles(wstore, [first])
    report = run_alerts(wstore, deliverer=Deliverer(wstore.config, stdout=io.StringIO()))
    assert report.matched == 1  # one outlet: the two-source alert waits
    (match,) = adb.recent_matches(wstore)
    assert match.alert_id == on_story.id and match.alert_id != two_sources.id


def _hook(site: Site, secret: str, failures: int) -> list[dict[str, object]]:
    got: list[dict[str, object]] = []
    calls = {"n": 0}

    def receive(request: Request) -> Reply:
        calls["n"] += 1
        expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if secret and not hmac.compare_digest(signature, expected):
            return Reply(401, b"bad signature")
        if calls["n"] <= failures:
            return Reply(500, b"later")
        got.append(json.loads(request.body))
        return Reply(204)

    site.routes["/hook"] = receive
    return got


@pytest.mark.settings(alert_webhook_secret="geheim-fuer-tests")
def test_watch_alerts_webhook_is_signed_and_retried(site: Site, wstore: Store) -> None:
    received = _hook(site, "geheim-fuer-tests", failures=2)
    _serve(site, [20])
    sources.add(wstore, site.base + "/feed.xml")
    adb.add_alert(wstore, "query", "Hafen", 1, f"webhook:{site.base}/hook", None)
    slept: list[float] = []
    report = _poll(wstore, Deliverer(wstore.config, sleep=slept.append))
    assert report.alerts is not None and report.alerts.delivered == 1
    assert len(received) == 1 and len(slept) == 2  # two failures, retried with backoff
    assert received[0]["matches"][0]["title"] == "Meldung 20"  # type: ignore[index]


@pytest.mark.settings(alert_retries=2)
def test_watch_alerts_failing_receiver_does_not_block_ingest(site: Site, wstore: Store) -> None:
    site.routes["/hook"] = Reply(503, b"down")
    _serve(site, [20, 21])
    sources.add(wstore, site.base + "/feed.xml")
    adb.add_alert(wstore, "query", "Hafen", 1, f"webhook:{site.base}/hook", None)
    report = _poll(wstore, Deliverer(wstore.config, sleep=lambda _s: None))
    assert len(report.stored) == 2 and wstore.count() == 2  # stored all the same
    assert report.alerts is not None and report.alerts.delivered == 0 and report.alerts.failed
    received = _hook(site, "", failures=0)  # the receiver is back
    later = run_alerts(wstore, deliverer=Deliverer(wstore.config, sleep=lambda _s: None))
    assert later.delivered == 2 and len(received) == 2


@pytest.fixture
def smtp_server() -> Iterator[tuple[list[str], dict[str, str | int]]]:
    """A loopback SMTP server: the messages it receives, and the settings that reach it."""
    from aiosmtpd.controller import Controller

    messages: list[str] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            messages.append(envelope.content.decode("utf-8", "replace"))  # type: ignore[attr-defined]
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings: dict[str, str | int] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "smtp_from": "watch@example.invalid",
    }
    try:
        yield messages, settings
    finally:
        controller.stop()


def test_watch_alerts_email_over_smtp(
    site: Site, wstore: Store, smtp_server: tuple[list[str], dict[str, str | int]]
) -> None:
    received, settings = smtp_server
    _serve(site, [20])
    sources.add(wstore, site.base + "/feed.xml")
    adb.add_alert(wstore, "query", "Hafen", 1, "email:desk@example.invalid", None)
    report = _poll(wstore, Deliverer(wstore.config.replace(**settings)))
    assert report.alerts is not None and report.alerts.delivered == 1
    (message,) = received
    assert "To: desk@example.invalid" in message and "Meldung 20" in message
    assert "stories/" in message


def test_watch_alerts_digest_waits_for_its_period(
    site: Site, wstore: Store, tmp_path: Path
) -> None:
    out = tmp_path / "digest.jsonl"
    alert = adb.add_alert(wstore, "query", "Hafen", 1, f"jsonl:{out}", "hourly")
    _serve(site, [20, 21, 22])
    sources.add(wstore, site.base + "/feed.xml")
    report = _poll(wstore)
    assert report.alerts is not None and report.alerts.matched == 3 and not out.exists()
    created = datetime.fromisoformat(alert.created_at)
    assert deliver_pending(wstore, now=created + timedelta(minutes=30)).delivered == 0
    assert deliver_pending(wstore, now=created + timedelta(minutes=61)).delivered == 3
    (digest,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert digest["digest"] == "hourly" and len(digest["matches"]) == 3
    assert deliver_pending(wstore, now=datetime.now(UTC) + timedelta(hours=3)).delivered == 0
