"""Speed and memory of the whole analysis (issue 3 and 4 targets).

Input: the seed articles, cleaned and cut into 800-word German pieces,
repeated to 200 pieces. Measures storyline.analyze (sentences, entities,
resolution, quotes, dates, figures) in one process, and sentences + entities
alone, in articles per second; peak resident memory of the process.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from bench.common import save, shared
from storyline import clean_text
from storyline.analyse.ner import tag_entities
from storyline.analyse.run import analyze
from storyline.analyse.sentences import split_sentences

WORDS = 800
PIECES = 200


def pieces() -> list[str] | None:
    seeds = shared("seeds")
    if seeds is None:
        return None
    words: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        words += clean_text(path.read_text(encoding="utf-8")).text.split(" ")
    chunks = [" ".join(words[i : i + WORDS]) for i in range(0, len(words) - WORDS + 1, WORDS)]
    return [chunks[i % len(chunks)] for i in range(PIECES)]


def _rate(fn: Any, texts: list[str]) -> float:
    fn(texts[0])  # load models outside the timing
    started = time.perf_counter()
    for text in texts:
        fn(text)
    return round(len(texts) / (time.perf_counter() - started), 1)


def run() -> dict[str, Any] | None:
    texts = pieces()
    if texts is None:
        return None
    result = {
        "input": f"{len(texts)} pieces of {WORDS} words of cleaned German seed text",
        "sentences_entities_per_s": _rate(
            lambda t: tag_entities(t, split_sentences(t), "de"), texts
        ),
        "full_analysis_per_s": _rate(lambda t: analyze(t, lang="de"), texts),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    save("speed", result)
    return result
