"""Dates and figures: resolution accuracy, publication-date inference, speed.

1. Date resolution on bench/data/dates.tsv (our own hand-made cases, German
   and English, with tense traps): a case is right when a date found over the
   expression has the expected value and precision, or, for "-", when no date
   is found there.
2. Publication-date inference on the seed articles (../shared/seeds): days
   between the inferred date and the date the outlet published it. The
   reference dates are our reading of each outlet's reporting (001 and 003
   state them in their own text and reporting; 000, 002, 004 within a day).
3. Milliseconds per 800-word German article for find_dates, infer_published
   and find_quantities (the seeds cut into 800-word pieces).
"""

from __future__ import annotations

import csv
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, save, shared
from storyline.analyse.dates import find_dates, infer_published
from storyline.analyse.figures import find_quantities
from storyline.analyse.sentences import split_sentences

CASES = ROOT / "bench" / "data" / "dates.tsv"
SEED_PUBLISHED = {
    "000": "2024-06-17",
    "001": "2024-06-17",
    "002": "2023-09-05",
    "003": "2023-09-13",
    "004": "2024-06-15",
}


def load_cases(path: Path = CASES) -> list[dict[str, str]]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


def check_case(case: dict[str, str]) -> tuple[bool, list[str]]:
    """(right?, the values found over the expression)."""
    sentence, expression = case["sentence"], case["expression"]
    start = sentence.find(expression)
    if start < 0:
        raise ValueError(f"expression {expression!r} not in {sentence!r}")
    end = start + len(expression)
    found = find_dates(sentence, split_sentences(sentence), case["published"] or None, case["lang"])
    over = [d for d in found if d.start < end and start < d.end]
    values = [f"{d.value} {d.precision}" for d in over]
    if case["value"] == "-":
        return not over, values
    return any(d.value == case["value"] and d.precision == case["precision"] for d in over), values


def resolution_accuracy() -> dict[str, Any]:
    cases = load_cases()
    by_lang: dict[str, list[int]] = {}
    wrong = []
    for case in cases:
        ok, values = check_case(case)
        by_lang.setdefault(case["lang"], [0, 0])[0] += ok
        by_lang[case["lang"]][1] += 1
        if not ok:
            wrong.append(f"{case['sentence']} | {case['expression']} → {values or 'none'}")
    right = sum(r for r, _ in by_lang.values())
    return {
        "cases": len(cases),
        "accuracy": round(right / len(cases), 3),
        "by_lang": {k: round(r / n, 3) for k, (r, n) in sorted(by_lang.items())},
        "wrong": wrong,
    }


def seed_inference(seeds: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sorted(seeds.glob("*.txt")):
        key = path.name[:3]
        text = path.read_text(encoding="utf-8")
        inferred = infer_published(text, split_sentences(text), "de")
        truth = SEED_PUBLISHED.get(key)
        days = None
        if inferred and truth:
            days = abs((date.fromisoformat(inferred[0]) - date.fromisoformat(truth)).days)
        out[key] = {
            "reference": truth,
            "inferred": inferred[0] if inferred else None,
            "confidence": inferred[1] if inferred else None,
            "days_off": days,
        }
    return out


def speed(seeds: Path, repeat: int = 3) -> dict[str, float]:
    """Per 800-word piece: find_dates alone (cold), and all three as the pipeline calls them."""
    words = " ".join(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))).split()
    pieces = [" ".join(words[i : i + 800]) for i in range(0, len(words) - 799, 800)]
    cold = together = 0.0
    for _ in range(repeat):
        for text in pieces:
            sentences = split_sentences(text)
            started = time.perf_counter()
            find_dates(text, sentences, "2024-06-17", "de")
            cold += time.perf_counter() - started
            variant = text + " "  # a new text: nothing cached
            sentences = split_sentences(variant)
            started = time.perf_counter()
            find_dates(variant, sentences, "2024-06-17", "de")
            infer_published(variant, sentences, "de")
            find_quantities(variant, sentences, "de")
            together += time.perf_counter() - started
    n = max(len(pieces) * repeat, 1)
    return {
        "pieces": len(pieces),
        "find_dates_ms_per_800_words": round(1000 * cold / n, 2),
        "dates_inference_figures_ms_per_800_words": round(1000 * together / n, 2),
    }


def run() -> dict[str, Any] | None:
    result: dict[str, Any] = {"resolution": resolution_accuracy()}
    seeds = shared("seeds")
    if seeds is not None:
        result["seed_publication_inference"] = seed_inference(seeds)
        result["speed"] = speed(seeds)
    save("dates", result)
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
