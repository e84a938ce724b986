"""Which outlet published an article, with the evidence for the answer.

Metadata and the URL are trusted first. Without them we read the cues that
scraped text carries about its own outlet, strongest first: a "Quelle: X"
line, a bare outlet name near the top or bottom, a navigation line ending
in "– X", a paywall / app promo / copyright line naming a known outlet.
Outlets merely cited in the body ("sagte … der BBC") are never used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from storyline.clean.furniture import agency_of
from storyline.clean.phrases import canonical_outlet, outlets_in
from storyline.model import Evidence, LineVerdict

_SOURCE_LINE = re.compile(
    r"(quelle|source|via)\s*:\s*(?P<name>[\w&' -]{1,40}(?:\.[\w-]+)*)", re.IGNORECASE
)
_NAV_SUFFIX = re.compile(r"\s[–—|-]\s(?P<name>[A-ZÄÖÜ][\w.&' -]{1,40})$")
_COPYRIGHT_NAME = re.compile(
    r"(©|\(c\)|copyright)\s*(\d{4}\s*)?(?P<name>[A-ZÄÖÜ][\w&'-]*(\s+[A-ZÄÖÜ][\w&'-]*){0,4})",
    re.IGNORECASE,
)
_NOT_NAMES = re.compile(r"(alle rechte|all rights|tous droits|tutti i diritti)", re.IGNORECASE)
_AGENCY_RANK = 10  # after every other cue
_PROMO_REASONS = frozenset(
    {"paywall", "app-promo", "newsletter-promo", "outlet-promo", "copyright", "cookie-banner"}
)


def _canonical(name: str) -> str:
    name = " ".join(name.split()).strip(" -–—|,;")
    return canonical_outlet(name) or name


def outlet_from_url(url: str) -> tuple[str, Evidence] | None:
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    except ValueError:  # not a URL we can read ("http://[…"); other cues decide
        return None
    if not host:
        return None
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = canonical_outlet(".".join(parts[i:]))
        if name:
            return name, Evidence("url", host)
    bare = host[4:] if host.startswith("www.") else host
    return bare, Evidence("url", f"{host} (not a known outlet; host name used)")


def _is_short_name(name: str) -> bool:
    return 0 < len(name.split()) <= 5 and not _NOT_NAMES.search(name)


def _store_outlet_in(line: str, store_outlets: Sequence[str]) -> str | None:
    """An outlet already in the store named in a promo line, in full or by its first word."""
    folded = line.casefold()
    for name in store_outlets:
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", folded):
            return name
    for name in store_outlets:
        first = name.split()[0]
        if " " in name and len(first) >= 6 and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", line):
            return name
    return None


def outlet_from_text(
    verdicts: Sequence[LineVerdict], store_outlets: Sequence[str] = ()
) -> tuple[str, Evidence] | None:
    """The outlet named by the article's own furniture, or None."""
    edge = {v.position for v in (*verdicts[:6], *verdicts[-6:])}
    candidates: list[tuple[int, str, Evidence]] = []
    for v in verdicts:
        line, reason = v.line, v.reason
        if reason in ("source-line", "source-link"):
            m = _SOURCE_LINE.fullmatch(line)
            if m and _is_short_name(m.group("name").strip()):
                candidates.append(
                    (0, _canonical(m.group("name")), Evidence("text:source-line", line))
                )
        if reason == "outlet-name" and v.position in edge:
            candidates.append((1, _canonical(line), Evidence("text:outlet-name", line)))
        if reason == "navigation":
            m = _NAV_SUFFIX.search(line)
            if m and _is_short_name(m.group("name")):
                candidates.append(
                    (2, _canonical(m.group("name")), Evidence("text:navigation", line))
                )
        if reason in _PROMO_REASONS:
            named = outlets_in(line)
            in_store = _store_outlet_in(line, store_outlets)
            if named:
                candidates.append((3, named[0], Evidence(f"text:{reason}", line)))
            elif in_store:
                candidates.append((3, in_store, Evidence(f"text:{reason}", line)))
            elif reason == "copyright":
                m = _COPYRIGHT_NAME.match(line)
                if m and _is_short_name(m.group("name")):
                    candidates.append(
                        (4, _canonical(m.group("name")), Evidence("text:copyright", line))
                    )
    if not candidates:
        return None
    # An agency ("Quelle: dpa") is whom the outlet took the report from: the outlet only
    # when nothing else names one.
    candidates = [(p + _AGENCY_RANK if agency_of(n) else p, n, e) for p, n, e in candidates]
    candidates.sort(key=lambda c: c[0])
    _, name, evidence = candidates[0]
    if len(evidence.detail) > 200:
        evidence = Evidence(evidence.method, evidence.detail[:199] + "…")
    return name, evidence


def detect_outlet(
    hint: str | None,
    url: str | None,
    verdicts: Sequence[LineVerdict],
    store_outlets: Sequence[str] = (),
    furniture: tuple[str, Evidence] | None = None,
) -> tuple[str | None, Evidence | None]:
    """Metadata, a known outlet's URL, the article's byline or source line ("By Jane Doe,
    The Outlet Post", "Quelle: dpa | Outlet"), any URL, then the other cues of the text."""
    if hint and hint.strip():
        return _canonical(hint), Evidence("metadata", hint.strip())
    from_url = outlet_from_url(url) if url else None
    if from_url and from_url[1].detail == from_url[1].detail.split(" (not a known")[0]:
        return from_url
    if furniture is not None:
        return furniture
    if from_url:
        return from_url
    found = outlet_from_text(verdicts, store_outlets)
    if found:
        return found
    return None, None
