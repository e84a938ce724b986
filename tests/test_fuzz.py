"""Fuzzing the entry points: nothing but StorylineError escapes, and time stays linear.

clean_text, extract_html, analyze and the ingest readers get generated hostile input:
random Unicode with lone surrogates and NULs, long runs of one character or pattern
(full stops, digits, quotes, brackets, URLs), very long words and sentences, and
ordinary news sentences in between. Each call must return or raise a StorylineError,
within FUZZ_GRACE_SECONDS plus FUZZ_SECONDS_PER_100KB per 100 KB of input (times a
slack factor for a busy machine).

The number of examples is kept small so `make test` stays fast (the whole module
takes well under 30 s); set STORYLINE_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from bench.fuzz import ODD as ODD_CHARS
from bench.fuzz import PIECES, SENTENCES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storyline
from storyline.errors import StorylineError
from storyline.ingest.readers import read_bytes
from storyline.model import Document, Hints

FUZZ_SECONDS_PER_100KB = 2.0  # the target in issue 13
#: the int8 encoder's cost for German prose on the shared two-core machine (bench.ner's
#: encoder_cost: about 450 ms for an 800-word article of about 5.5 KB, 8 s per 100 KB)
ENCODER_SECONDS_PER_100KB = 10.0
#: German prose makes about one encoder token per four characters (0.24 measured)
PROSE_CHARS_PER_TOKEN = 4
FUZZ_GRACE_SECONDS = 1.0  # fixed cost per call (model loading is done before)
FUZZ_SLACK = 2.0  # a shared two-core test machine is slower than a quiet one
EXAMPLES = int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "0"))


def examples(default: int) -> Any:
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ODD = st.sampled_from(ODD_CHARS)

# A repeated piece: the shape that made matching quadratic.
RUNS = st.builds(lambda p, n: p * n, st.sampled_from(PIECES), st.integers(1, 4_000))
HOSTILE = st.lists(
    st.one_of(
        st.text(alphabet=st.one_of(st.characters(), ODD), max_size=200),
        RUNS,
        st.sampled_from(SENTENCES),
        st.builds(lambda s, n: " ".join([s] * n), st.sampled_from(SENTENCES), st.integers(1, 60)),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def allowed_seconds(size: int) -> float:
    """Issue 13's linear bound, plus, where the encoder tags entities (accurate profile),
    the encoder's own cost for the tokens it may take: the encoder tagger reads at most
    ENCODER_MAX_TOKENS of an article's prose (the CRF the rest), so the addition is
    bounded; its rate is measured, not wished (issue 14). `encoded` is in characters of
    prose that make that many tokens."""
    from storyline.analyse.ner import use_encoder
    from storyline.analyse.ner.encoder_tagger import ENCODER_MAX_TOKENS
    from storyline.config import resolve

    most = PROSE_CHARS_PER_TOKEN * ENCODER_MAX_TOKENS
    encoded = min(size, most) if use_encoder(resolve()) else 0
    rate = FUZZ_SECONDS_PER_100KB * size + ENCODER_SECONDS_PER_100KB * encoded
    return FUZZ_GRACE_SECONDS + FUZZ_SLACK * rate / 100_000


def check(call: Callable[[], object], size: int) -> object:
    """Run ``call``: a StorylineError is an answer; anything else fails; so does slowness."""
    start = time.perf_counter()
    try:
        result: object = call()
    except StorylineError as err:
        result = err
    seconds = time.perf_counter() - start
    assert seconds < allowed_seconds(size), f"{seconds:.2f} s for {size:,} characters"
    return result


def encodable(value: object) -> None:
    json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load models and word lists once, so that the time bounds measure the work."""
    storyline.analyze("Der Rat tagte am Dienstag. Anna Keller sagte: „Gut.“", lang="de")
    storyline.clean_text("Titel\n\nDer Rat tagte am Dienstag in Bremen.")
    page = "<p>Der Rat tagte am Dienstag in Bremen.</p><p>Er beschloss den Haushalt.</p>"
    storyline.extract_html(f"<html><body><article><h1>Rat</h1>{page}</article></body></html>")


@examples(40)
@given(HOSTILE, st.one_of(st.none(), HOSTILE.map(lambda t: t[:200])))
def test_fuzz_clean_text(text: str, title: str | None) -> None:
    result = check(lambda: storyline.clean_text(text, title=title), len(text))
    if not isinstance(result, StorylineError):
        encodable(result.__dict__)


@examples(25)
@given(HOSTILE, HOSTILE.map(lambda t: t[:100]))
def test_fuzz_extract_html(body: str, title: str) -> None:
    html = f"<html><head><title>{title}</title></head><body><article><p>{body}</p></article></body></html>"
    result = check(lambda: storyline.extract_html(html, url="https://example.org/a"), len(html))
    if not isinstance(result, StorylineError):
        encodable(result.__dict__)


@examples(25)
@given(HOSTILE, st.sampled_from([None, "de", "en", "fr", ""]))
def test_fuzz_analyze(text: str, lang: str | None) -> None:
    result = check(lambda: storyline.analyze(text, lang=lang), len(text))
    assert not isinstance(result, StorylineError)  # analysis has no input it refuses
    encodable(result.to_dict())  # type: ignore[attr-defined]
    for s in result.sentences:  # type: ignore[attr-defined]
        assert result.text[s.start : s.end] == s.text  # type: ignore[attr-defined]


# Fewer, larger inputs: a few long runs and sentences, up to a few hundred KB.
LARGE = st.lists(
    st.one_of(
        st.builds(lambda p, n: p * n, st.sampled_from(PIECES), st.integers(5_000, 60_000)),
        st.builds(lambda s, n: " ".join([s] * n), st.sampled_from(SENTENCES), st.integers(1, 800)),
    ),
    min_size=1,
    max_size=4,
).map("".join)


@examples(4)
@given(LARGE)
def test_fuzz_analyze_large(text: str) -> None:
    result = check(lambda: storyline.analyze(text), len(text))
    assert not isinstance(result, StorylineError)


ENCODINGS = st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"])


@examples(40)
@given(HOSTILE, ENCODINGS, st.sampled_from(["text", "html", "json", "jsonl", None]))
def test_fuzz_readers_text(text: str, encoding: str, kind: str | None) -> None:
    data = text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")
    items = check(lambda: list(read_bytes(data, "fuzz.txt", kind, Hints())), len(data))
    assert isinstance(items, list)
    for item in items:
        assert isinstance(item, Document | StorylineError)
        if isinstance(item, Document):
            encodable([item.raw_text, item.html, item.repairs, item.source])


@examples(40)
@given(st.binary(max_size=20_000), st.sampled_from(["text", "html", "json", "jsonl", None]))
def test_fuzz_readers_bytes(data: bytes, kind: str | None) -> None:
    items = check(lambda: list(read_bytes(data, "fuzz.bin", kind, Hints())), len(data))
    assert isinstance(items, list) and items


@examples(30)
@given(HOSTILE, HOSTILE.map(lambda t: t[:200]))
def test_fuzz_readers_json_records(text: str, title: str) -> None:
    record = {"title": title, "text": text, "outlet": title[:20], "published": title[:10]}
    data = json.dumps(record).encode("ascii")  # lone surrogates travel as \udXXX escapes
    items = check(lambda: list(read_bytes(data, "fuzz.json", "json", Hints())), len(data))
    assert isinstance(items, list)
    for item in items:
        if isinstance(item, Document):
            encodable([item.raw_text, item.hints, item.repairs])
