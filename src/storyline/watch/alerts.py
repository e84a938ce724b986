"""Alerts: tell the user when a watched entity, query or story moves.

Matching: every article a watch poll stores is queued (in the transaction that stores it);
after grouping, each queued article is checked against every alert, and a match is
recorded once per (alert, article), so a re-check after a crash never fires twice. An
entity alert matches a mention linked to that entity (its name variants included); a
query alert a sentence holding every query word (stemmed and folded as search does); a
story alert an article grouped into that story. `min_sources` holds a match back until the
article's story has that many distinct outlets.

Delivery: stdout, JSON Lines (``jsonl:PATH``), a webhook (``webhook:URL``: POST JSON,
signed ``X-Storyline-Signature: sha256=<HMAC-SHA256(secret, body)>``, retried with
backoff) or e-mail (``email:ADDRESS`` over SMTP with STARTTLS and login as set). Each
message names the article, its outlet and link, the matching sentence and the story's
page. A digest alert (hourly, daily) collects its matches and sends them as one message
when its period is over. A delivery that fails is tried again on later polls; it never
holds up ingest, which committed before alerts run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import smtplib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import TextIO

import httpx

from storyline.config import Config, defaults, secret_from_env
from storyline.errors import ConfigError, DeliveryError
from storyline.search.normalise import key, query_keys, words
from storyline.settings import (
    ALERT_BASE_URL,
    ALERT_MAX_ATTEMPTS,
    ALERT_RETRIES,
    ALERT_WEBHOOK_SECRET,
    SMTP_FROM,
    SMTP_HOST,
    SMTP_PASSWORD_ENV,
    SMTP_PORT,
    SMTP_STARTTLS,
    SMTP_USER,
    WATCH_TIMEOUT,
)
from storyline.store import Store
from storyline.store import alerts as db
from storyline.store.alerts import Alert, CheckedArticle, Match

KINDS = ("entity", "query", "story")
DIGESTS = {"hourly": timedelta(hours=1), "daily": timedelta(days=1)}
DELIVERY_KINDS = ("stdout", "jsonl", "webhook", "email")
SIGNATURE_HEADER = "X-Storyline-Signature"
#: Seconds before the second try of a webhook or e-mail; doubled for each further one.
DELIVERY_BACKOFF = 0.5
#: Longest sentence quoted in an alert (characters).
MAX_SENTENCE = 400
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»“”]?\s+|\n+")


def check_deliver(value: str) -> str:
    """A delivery target as `alert add --deliver` takes it; ConfigError when unusable."""
    kind, _, target = value.partition(":")
    if kind not in DELIVERY_KINDS or (kind != "stdout" and not target):
        raise ConfigError(
            f"delivery {value!r} is not one of stdout, jsonl:PATH, webhook:URL, email:ADDRESS",
            hint="e.g. --deliver webhook:https://hooks.example.org/storyline",
        )
    if kind == "webhook" and not target.startswith(("http://", "https://")):
        raise ConfigError(f"webhook {target!r} is not an http(s) URL", hint="give a full URL")
    if kind == "email" and "@" not in target:
        raise ConfigError(f"{target!r} is not an e-mail address", hint="give name@host")
    return value


# -- matching --------------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, cut at end punctuation and line breaks."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _quote(text: str, bounds: tuple[int, int]) -> str:
    piece = text[bounds[0] : bounds[1]].strip()
    return piece if len(piece) <= MAX_SENTENCE else piece[: MAX_SENTENCE - 1] + "…"


def sentence_at(text: str, offset: int) -> str:
    for bounds in sentences(text):
        if bounds[0] <= offset < bounds[1]:
            return _quote(text, bounds)
    return _quote(text, (offset, len(text)))


def query_sentence(text: str, query: str, lang: str | None) -> str | None:
    """The first sentence that holds every word of `query` (stemmed, folded), else None."""
    wanted = [set(query_keys(w)) for w in words(query)]
    if not wanted:
        return None
    for bounds in sentences(text):
        have: set[str] = set()
        for word in words(text[bounds[0] : bounds[1]]):
            # every key the word may stand under (the query side's bridges too: a sentence
            # that says "streikten" matches "Streik")
            have.add(key(word, lang))
            have.update(query_keys(word))
        if all(keys & have for keys in wanted):
            return _quote(text, bounds)
    return None


def match(store: Store, alert: Alert, article: CheckedArticle) -> str | None:
    """The sentence by which `article` matches `alert`, or None."""
    if alert.kind == "entity":
        from storyline.store.analysis import matching_entity_ids

        offsets = db.entity_mentions(store, article.id, matching_entity_ids(store, alert.value))
        found = sentence_at(article.text, offsets[0]) if offsets else None
    elif alert.kind == "query":
        found = query_sentence(article.text, alert.value, article.lang)
    else:
        lead = sentences(article.text)
        on_story = article.story_id == alert.value
        found = _quote(article.text, lead[0]) if on_story and lead else None
    if found is None:
        return None
    if alert.min_sources > 1:
        outlets = db.story_outlets(store, article.story_id) if article.story_id else 1
        if outlets < alert.min_sources:
            return None
    return found


def check_queue(store: Store) -> int:
    """Check every queued article against every alert; returns the new matches."""
    alerts = db.list_alerts(store)
    matched = 0
    for article_id in db.queued(store):
        with store.transaction():
            article = db.checked_article(store, article_id)
            if article is not None:
                for alert in alerts:
                    sentence = match(store, alert, article)
                    if sentence is not None and db.add_match(
                        store, alert.id, article.id, sentence, article.story_id
                    ):
                        matched += 1
            db.dequeue(store, [article_id])
    return matched


# -- delivery --------------------------------------------------------------------------


def story_url(base: str, story_id: str | None) -> str | None:
    """The story's page under `base` (the ``alert_base_url`` setting)."""
    if story_id is None:
        return None
    return f"{base.rstrip('/')}/stories/{story_id}"


def payload(alert: Alert, matches: list[Match], base: str) -> dict[str, object]:
    """The JSON every delivery is made from."""
    return {
        "alert": {"id": alert.id, "kind": alert.kind, "value": alert.value},
        "digest": alert.digest,
        "matches": [{**m.to_dict(), "story_url": story_url(base, m.story_id)} for m in matches],
    }


def text_message(alert: Alert, matches: list[Match], base: str) -> str:
    head = f"storyline alert {alert.id} ({alert.kind} {alert.value!r})"
    lines = [head + (f", {alert.digest} digest" if alert.digest else "")]
    for m in matches:
        lines.append(f"- {m.title or '(no title)'} [{m.outlet or 'unknown outlet'}] {m.url or ''}")
        lines.append(f"  \u201e{m.sentence}\u201c")
        if m.story_id:
            lines.append(f"  story: {story_url(base, m.story_id)}")
    return "\n".join(lines)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass
class Deliverer:
    """Sends messages with `config`'s alert and SMTP settings; `stdout`, `sleep` and `rng`
    can be replaced in tests."""

    config: Config = field(default_factory=defaults)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def send(self, alert: Alert, matches: list[Match]) -> None:
        kind, _, target = alert.deliver.partition(":")
        base = self.config[ALERT_BASE_URL]
        data = payload(alert, matches, base)
        if kind == "stdout":
            self.stdout.write(text_message(alert, matches, base) + "\n")
            self.stdout.flush()
        elif kind == "jsonl":
            self._jsonl(Path(target).expanduser(), data)
        elif kind == "webhook":
            self._retried(lambda: self._webhook(target, data))
        elif kind == "email":
            self._retried(lambda: self._email(target, alert, matches))
        else:
            raise DeliveryError(f"alert {alert.id}: unknown delivery {alert.deliver!r}")

    def _jsonl(self, path: Path, data: dict[str, object]) -> None:
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(data, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise DeliveryError(
                f"cannot append to {path} ({exc.strerror or exc})", hint="check the path"
            ) from exc

    def _retried(self, send: Callable[[], None]) -> None:
        tries = max(1, self.config[ALERT_RETRIES])
        for attempt in range(1, tries + 1):
            try:
                send()
                return
            except DeliveryError:
                if attempt == tries:
                    raise
                wait = DELIVERY_BACKOFF * 2 ** (attempt - 1)
                self.sleep(wait * (1 + self.rng.random() / 2))

    def _webhook(self, url: str, data: dict[str, object]) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "storyline-alerts"}
        secret = self.config[ALERT_WEBHOOK_SECRET]
        if secret:
            headers[SIGNATURE_HEADER] = sign(body, secret)
        try:
            with httpx.Client(timeout=self.config[WATCH_TIMEOUT], trust_env=False) as client:
                resp = client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {url}: {type(exc).__name__}: {exc}") from exc
        if resp.status_code >= 300:
            raise DeliveryError(f"webhook {url} answered HTTP {resp.status_code}")

    def _email(self, address: str, alert: Alert, matches: list[Match]) -> None:
        msg = EmailMessage()
        cfg = self.config
        msg["From"] = cfg[SMTP_FROM]
        msg["To"] = address
        first = matches[0].title or "new match"
        more = f" (+{len(matches) - 1})" if len(matches) > 1 else ""
        msg["Subject"] = f"storyline: {alert.value} - {first}{more}"
        msg.set_content(text_message(alert, matches, cfg[ALERT_BASE_URL]))
        starttls = cfg[SMTP_STARTTLS]
        try:
            with smtplib.SMTP(cfg[SMTP_HOST], cfg[SMTP_PORT], timeout=cfg[WATCH_TIMEOUT]) as s:
                s.ehlo()
                if starttls == "yes" or (starttls == "auto" and s.has_extn("starttls")):
                    s.starttls()
                    s.ehlo()
                user = cfg[SMTP_USER]
                if user:
                    s.login(user, secret_from_env(cfg[SMTP_PASSWORD_ENV]))
                s.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"e-mail to {address}: {type(exc).__name__}: {exc}") from exc


@dataclass
class AlertReport:
    matched: int = 0
    delivered: int = 0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"matched": self.matched, "delivered": self.delivered, "failed": self.failed}


def _digest_due(alert: Alert, now: datetime) -> bool:
    if alert.digest is None:
        return True
    last = datetime.fromisoformat(alert.last_digest_at or alert.created_at)
    return now - last >= DIGESTS[alert.digest]


def deliver_pending(
    store: Store, deliverer: Deliverer | None = None, now: datetime | None = None
) -> AlertReport:
    """Deliver every match not yet delivered (digests only when their period is over)."""
    sender = deliverer or Deliverer(store.config)
    moment = now or datetime.now(UTC)
    report = AlertReport()
    for alert in db.list_alerts(store):
        if not _digest_due(alert, moment):
            continue
        pending = db.pending_matches(store, alert.id, store.config[ALERT_MAX_ATTEMPTS])
        if not pending:
            continue
        batches = [pending] if alert.digest else [[m] for m in pending]
        for batch in batches:
            ids = [m.article_id for m in batch]
            try:
                sender.send(alert, batch)
            except DeliveryError as err:
                db.delivery_failed(store, alert.id, ids, err.message)
                report.failed.append(err.message)
                continue
            db.delivered(store, alert.id, ids)
            report.delivered += len(batch)
        if alert.digest:
            db.digest_sent(store, alert.id, moment)
    return report


def run_alerts(
    store: Store,
    *,
    say: Callable[[str], None] | None = None,
    deliverer: Deliverer | None = None,
    now: datetime | None = None,
) -> AlertReport:
    """Check the queue, then deliver; failures are reported through `say`, not raised."""
    matched = check_queue(store)
    report = deliver_pending(store, deliverer, now)
    report.matched = matched
    if say is not None:
        for failure in report.failed:
            say(f"alert: delivery failed, tried again next poll: {failure}")
    return report
