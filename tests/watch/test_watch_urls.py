"""URL normalisation: tracking parameters, fragments, case, ports, order; idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.errors import InputError
from storyline.watch.urls import host_of, normalise, origin, same_host


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Example.ORG/a/b?utm_source=x&utm_medium=y", "https://example.org/a/b"),
        ("https://example.org/a?b=2&a=1#kommentare", "https://example.org/a?a=1&b=2"),
        ("https://example.org:443/x?fbclid=abc&gclid=z&id=7", "https://example.org/x?id=7"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/p", "http://example.org:8080/p"),
        ("https://example.org/%7Eleser/", "https://example.org/~leser/"),
        ("https://example.org/stra%C3%9Fe", "https://example.org/stra%C3%9Fe"),
        ("https://example.org/a?ref_src=twsrc&mc_cid=1&q=hafen", "https://example.org/a?q=hafen"),
    ],
)
def test_watch_urls_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_watch_urls_relative_links_resolve_against_the_base() -> None:
    assert normalise("../b?utm_campaign=x", "https://example.org/a/c/") == "https://example.org/a/b"


@pytest.mark.parametrize(
    "bad", ["mailto:a@example.org", "javascript:alert(1)", "ftp://x/y", "", "http://"]
)
def test_watch_urls_refuses_what_is_not_http(bad: str) -> None:
    with pytest.raises(InputError):
        normalise(bad)


def test_watch_urls_hosts() -> None:
    assert host_of("http://127.0.0.1:8123/a") == "127.0.0.1:8123"
    assert origin("https://example.org/a/b?c") == "https://example.org"
    assert same_host("https://www.example.org/a", "https://example.org/b")
    assert not same_host("https://example.org/a", "https://example.com/a")


_SEGMENT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzÄÖÜäöüß0123456789-_.~%!$&'()*+,;=:@ ", max_size=12
)
_NAME = st.sampled_from(["id", "q", "utm_source", "fbclid", "page", "gclid", "x", "utm_term"])
_VALUE = st.text(alphabet="abc123 %&=+/?#äß", max_size=8)


@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=st.sampled_from(["Example.org", "www.example.org", "127.0.0.1", "nachrichten.example"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_SEGMENT, max_size=4),
    query=st.lists(st.tuples(_NAME, _VALUE), max_size=5),
    fragment=st.text(max_size=6),
)
def test_watch_urls_normalise_is_idempotent_and_drops_tracking(
    scheme: str, host: str, port: str, path: list[str], query: list[tuple[str, str]], fragment: str
) -> None:
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit

    raw = f"{scheme}://{host}{port}/" + "/".join(quote(p, safe="") for p in path)
    if query:
        raw += "?" + urlencode(query)
    raw += "#" + quote(fragment)
    once = normalise(raw)
    assert normalise(once) == once
    parts = urlsplit(once)
    assert not parts.fragment
    names = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    assert not any(n.startswith("utm_") or n in ("fbclid", "gclid") for n in names)
    assert names == sorted(names)
    assert parts.netloc == parts.netloc.lower()
