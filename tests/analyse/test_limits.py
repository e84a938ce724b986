"""Analysis is linear and bounded: long paragraphs, words and files finish in seconds.

The texts are generated here (no seed or benchmark text): ordinary German news
sentences with names, dates, figures and quotes, the mix that made the old sentence
splitter, date finder and speaker lookup quadratic.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

import storyline
from storyline.analyse.limits import (
    MAX_ANALYSE_CHARS,
    MAX_SENTENCE_CHARS,
    MAX_TOKEN_CHARS,
    analysed_part,
)
from storyline.analyse.sentences import split_sentences, tokenize
from storyline.store import Store

Cli = Callable[..., Result]

SUBJECTS = ["Die Regierung", "Der Minister", "Eine Sprecherin", "Die Polizei", "Anna Keller"]
VERBS = ["sagte am Dienstag", "erklärte am 3. Oktober", "teilte mit", "bestätigte"]
OBJECTS = [
    "dass rund {n} Menschen betroffen seien",
    "es gebe {n} Euro Schaden",
    "man prüfe den Fall seit {n} Tagen",
    "„Wir arbeiten seit {n} Stunden an einer Lösung“",
]


def paragraph(chars: int, seed: int = 13) -> str:
    """One paragraph (no line break) of ordinary sentences, about ``chars`` long; a
    figure in most makes them distinct (an article does not repeat its sentences, and
    copies past MAX_SENTENCE_REPEATS are not analysed)."""
    rnd = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        figure = f"{rnd.randint(2, 99_999):,}".replace(",", ".")
        obj = rnd.choice(OBJECTS).format(n=figure)
        sentence = f"{rnd.choice(SUBJECTS)} {rnd.choice(VERBS)}, {obj}."
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Load the models once, so that the timings below measure the analysis."""
    storyline.analyze("Der Rat tagte am Dienstag. Anna Keller sagte: „Gut.“", lang="de")


def test_limits_156kb_paragraph_analysed_whole_in_seconds() -> None:
    text = paragraph(156_000)
    assert "\n" not in text and len(text) >= 156_000
    found = None

    def run() -> None:
        nonlocal found
        found = storyline.analyze(text, lang="de", published="2024-05-07")

    seconds = timed(run)
    assert found is not None
    assert seconds < 30, f"156 KB paragraph took {seconds:.1f} s (was 159 s before the fix)"
    assert found.repairs == []  # ordinary text: nothing cut
    assert len(found.sentences) == text.count(". ") - text.count("3. Oktober") + 1
    assert found.quantities and found.dates and found.quotes


def test_limits_paragraph_time_grows_linearly() -> None:
    small, big = paragraph(20_000), paragraph(80_000)
    storyline.analyze(small, lang="de")
    t_small = min(timed(lambda: storyline.analyze(small, lang="de")) for _ in range(2))
    t_big = timed(lambda: storyline.analyze(big, lang="de"))
    # Four times the text: about four times the time; quadratic would be sixteen.
    assert t_big < 8 * t_small + 1.0, (t_small, t_big)


def test_limits_16k_character_word_in_seconds_and_reported() -> None:
    word = "Donaudampfschifffahrtsgesellschaft" * 480
    assert len(word) > 16_000
    text = f"Der Rat tagte am Dienstag. {word} Ende der Meldung."
    found = None

    def run() -> None:
        nonlocal found
        found = storyline.analyze(text, lang="de")

    assert timed(run) < 10
    assert found is not None
    assert f"analysis: 1 word(s) over {MAX_TOKEN_CHARS} characters split into pieces" in (
        found.repairs
    )
    assert found.sentences[0].text == "Der Rat tagte am Dienstag."


def test_limits_tokens_are_cut_to_the_token_limit() -> None:
    text = "kurz " + "x" * (MAX_TOKEN_CHARS * 2 + 5) + " ende"
    tokens = tokenize(text)
    assert max(t.end - t.start for t in tokens) == MAX_TOKEN_CHARS
    assert "".join(t.text for t in tokens[1:-1]) == "x" * (MAX_TOKEN_CHARS * 2 + 5)
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_limits_overlong_sentence_is_split_and_reported() -> None:
    clause = "und die Stadt tagte wieder im großen Saal "
    text = "Der Rat tagte " + clause * (3 * MAX_SENTENCE_CHARS // len(clause)) + "bis spät."
    sentences = split_sentences(text)
    assert len(sentences) >= 3
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    found = storyline.analyze(text, lang="de")
    assert any("split(s) inside sentences over" in r for r in found.repairs)


def test_limits_text_past_the_limit_is_analysed_up_to_it_and_reported() -> None:
    line = "Der Rat tagte am Dienstag mit 1.200 Gästen in der Stadthalle.\n"
    text = line * (MAX_ANALYSE_CHARS // len(line) + 200)
    part, notes = analysed_part(text)
    assert len(part) <= MAX_ANALYSE_CHARS and part.endswith("Stadthalle.")
    assert notes == [
        f"analysis: only the first {len(part):,} of {len(text):,} characters analysed "
        f"(limit {MAX_ANALYSE_CHARS:,})"
    ]
    assert max(s.end for s in split_sentences(text)) <= len(part)


@pytest.mark.parametrize(
    "text",
    [
        "." * 40_000,
        "Ende" + "!" * 40_000 + " Neu",
        ". " * 20_000,
        "https://example.org/" + "a/" * 20_000,
        ", ".join(["am 3. Oktober 2023 und am Dienstag vor 24 Jahren"] * 800),
        " ".join(["„Das ist so und bleibt so“, sagte er."] * 1000),
        "(" * 40_000,
        "a'" * 20_000,
    ],
    ids=["dots", "bangs", "spaced-dots", "url", "dates", "quotes", "brackets", "apostrophes"],
)
def test_limits_pathological_40kb_inputs_in_seconds(text: str) -> None:
    assert timed(lambda: storyline.analyze(text, lang="de")) < 10


def test_limits_10mb_single_line_file_ingested_in_seconds(
    cli: Cli, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "eine-zeile.txt"
    body = paragraph(10_000_000, seed=7)
    path.write_text("Eine sehr lange Meldung\n\n" + body + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = cli("ingest", path, "--db", db_path, "--no-stories", "--no-progress", "--json")
    seconds = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert seconds < 120, f"10 MB line took {seconds:.0f} s (over 900 s before the fix)"
    (article_id,) = json.loads(result.stdout)["stored"]
    with Store(db_path) as store:
        article = store.get_article(article_id)
    assert len(article["text"]) == len(body)  # stored whole, analysed up to the limit
    assert any(r.startswith("analysis: only the first") for r in article["repairs"])


def test_limits_a_sentence_repeated_is_analysed_three_times_and_reported() -> None:
    from storyline.analyse.limits import MAX_SENTENCE_REPEATS

    line = "Anna Keller sagte am Dienstag in Bremen: „Wir bauen weiter.“"
    text = "Der Rat tagte in Kiel. " + " ".join([line] * 50) + " Jonas Reiter kam aus Ulm."
    found = storyline.analyze(text, lang="de", published="2024-05-07")
    assert len(found.sentences) == 52  # every copy stays a sentence of the article
    kellers = [m for m in found.mentions if m.text == "Anna Keller"]
    assert len(kellers) == MAX_SENTENCE_REPEATS
    assert {m.text for m in found.mentions} >= {"Kiel", "Jonas Reiter", "Ulm"}  # after them
    assert len(found.quotes) == MAX_SENTENCE_REPEATS
    note = "analysis: 47 repeated cop(ies) of 1 sentence(s) not analysed (a sentence is "
    assert any(r.startswith(note) for r in found.repairs), found.repairs
    for m in found.mentions:  # offsets are into the article's text
        assert found.text[m.start : m.end] == m.text


@given(st.text(alphabet="ab .!?…“\"'_1\n,-", max_size=12))
def test_limits_quote_end_check_equals_the_regex_it_replaces(text: str) -> None:
    import re

    from storyline.analyse.quotes import _ends_sentence

    assert _ends_sentence(text) == bool(re.search(r"[.!?…]\W*$", text))


def test_limits_quote_end_check_is_linear_on_a_run_of_marks() -> None:
    from storyline.analyse.quotes import _ends_sentence

    run = "Wir " + ". " * 100_000 + "x"  # the regex took seconds on this (quadratic)
    assert timed(lambda: _ends_sentence(run)) < 0.5
    assert not _ends_sentence(run)
