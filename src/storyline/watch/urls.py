"""URL normalisation: one article, one key, however a feed or a share button wrote it.

Why: feeds and pages link the same article with tracking parameters (``utm_source``,
``fbclid``), fragments, upper-case hosts, default ports and shuffled queries; keyed by
the raw link, one article would be fetched and stored once per spelling.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from storyline.errors import InputError

#: Query parameters that only track where a click came from (exact names, lower case).
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ocid",
        "cmpid",
        "wt_mc",
        "wt.mc_id",
        "at_medium",
        "at_campaign",
        "s_cid",
        "spm",
        "share",
    }
)
#: Prefixes of tracking parameter names (``utm_source``, ``utm_medium`` ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
SCHEMES = frozenset(DEFAULT_PORTS)
#: Characters left unescaped in a normalised path (RFC 3986 pchar and "/"; a literal "%"
#: is escaped, so decoding and encoding again gives the same path).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _path(path: str) -> str:
    """Percent-encoding made canonical ("%7e" and "~" are one path); empty is "/"."""
    return quote(unquote(path), safe=_PATH_SAFE) or "/"


def normalise(url: str, base: str | None = None) -> str:
    """The canonical form of an http(s) URL (resolved against `base` when relative):
    scheme and host lower case, default port, fragment and tracking parameters dropped,
    the remaining query sorted. Raises InputError for anything that is not http(s)."""
    raw = url.strip()
    if base is not None:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InputError(url, f"is not a valid URL ({exc})", hint="check the address") from exc
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in SCHEMES or not host:
        raise InputError(
            url, "is not an http(s) URL", hint="give a full address such as https://example.org/"
        )
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not is_tracking(k)]
    query.sort()
    return urlunsplit((scheme, netloc, _path(parts.path), urlencode(query), ""))


def host_of(url: str) -> str:
    """The host (with a non-default port) a URL is fetched from: the unit of politeness."""
    parts = urlsplit(url)
    return parts.netloc.lower()


def same_host(a: str, b: str) -> bool:
    """Whether two URLs are on one host, ``www.`` ignored."""

    def bare(url: str) -> str:
        host = host_of(url)
        return host[4:] if host.startswith("www.") else host

    return bare(a) == bare(b)


def origin(url: str) -> str:
    """scheme://host[:port] of a URL, where its robots.txt lives."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
