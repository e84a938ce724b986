"""Claim matching on hand-labelled sentence pairs from SemEval-2022 task 8 (not our data).

Why this set: the claim thresholds were first set on the seeds and our own examples, so
their figures said nothing independent. SemEval-2022 task 8 pairs news articles about
the same story in German and in German/English; we read 338 sentence pairs of them and
labelled each: same claim, differ (the same quantity with other values), related (same
story, another statement), unrelated, or not_a_claim (a caption, teaser, byline or
boilerplate). How the pairs were chosen is in bench/data/claims_semeval_labels.json.

Only pointers live in the repository: pair id, character offsets into the ftfy-repaired
text and a hash of each sentence. Texts are read from ../shared at run time (the bench
skips with a message when they are absent); a sentence whose hash no longer matches is
counted as missing, never guessed.

Each article pair is run through storyline's own path: analysis (entities, figures,
dates, quotes), claim units, sentence vectors (e5), claims
(storyline.compare.job.claims_of_units: scores, grouping, disputes) and figure groups
with their differences (storyline.compare.figures, quantities).

* "same claim" predicted: both sentences are units of one claim group. Gold positives
  are the pairs labelled same; pairs labelled differ count neither way (grouping a
  differing figure with its claim is right, so is leaving it beside it).
* "differ" predicted: the figure groups list a difference between a figure of one
  sentence and a figure of the other. Gold positives are the pairs labelled differ.

The held-out part (int(sha1(pair id)) % 3 == 0) was never looked at while tuning.

    .venv/bin/python -m bench.claims_eval          # prints and saves bench/results/claims_eval.json
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import ROOT, prf, save, shared

LABELS = ROOT / "bench" / "data" / "claims_semeval_labels.json"
HELD_OUT_EVERY = 3


def is_held_out(pair_id: str) -> bool:
    return int(hashlib.sha1(pair_id.encode()).hexdigest(), 16) % HELD_OUT_EVERY == 0


def sentence_hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:16]


def load_labels() -> list[dict[str, Any]]:
    doc: dict[str, Any] = json.loads(LABELS.read_text(encoding="utf-8"))
    return list(doc["labels"])


def _texts(path: Path, wanted: set[int]) -> dict[int, dict[str, str]]:
    """Texts of the CSV rows in `wanted` (a pair id can occur twice, so rows are keys)."""
    import ftfy

    with path.open(encoding="utf-8", newline="") as fh:
        rows = [(i, r) for i, r in enumerate(csv.DictReader(fh)) if i in wanted]
    return {
        i: {
            "a": ftfy.fix_text(r["text_1"]),
            "b": ftfy.fix_text(r["text_2"]),
            "lang_a": r["lang1"],
            "lang_b": r["lang2"],
        }
        for i, r in rows
    }


def article_input(article_id: str, text: str, lang: str) -> dict[str, Any]:
    """The dict storyline.compare.units.article_units reads, made by analysing `text`."""
    from storyline.analyse.run import analyze
    from storyline.config import resolve
    from storyline.settings import QUOTE_MIN_CONFIDENCE

    found = analyze(text, lang=lang)
    names = {e.id: e.name for e in found.entities}
    least = resolve()[QUOTE_MIN_CONFIDENCE]
    return {
        "id": article_id,
        "text": found.text,
        "lang": lang,
        "mentions": [
            {
                "start": m.start,
                "end": m.end,
                "entity_id": m.entity,
                "name": names.get(m.entity or ""),
            }
            for m in found.mentions
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "kind": q.kind,
                "speaker": q.speaker,
                "speaker_name": q.speaker_name,
                "via": q.via,
            }
            for q in found.quotes
            if q.confidence is None or q.confidence >= least
        ],
        "quantities": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "value": q.value,
                "unit": q.unit,
                "counted": q.counted,
                "hedge": q.hedge,
            }
            for q in found.quantities
        ],
        "dates": [{"start": d.start, "end": d.end, "value": d.value} for d in found.dates],
    }


def predict_pair(
    texts: dict[str, str],
) -> tuple[dict[int, int], dict[int, Any], set[tuple[int, int]]]:
    """Claims of one article pair as storyline makes them (compare.job.claims_of_units,
    compare.figures.figure_groups): {unit start in a, or -1 - start in b: claim}, units by
    the same key, and the (start a, start b) sentence pairs listed as differing figures."""
    import numpy as np

    from storyline.compare.figures import figure_groups
    from storyline.compare.job import claims_of_units
    from storyline.compare.units import article_units
    from storyline.stories.embed import get_backend

    a = article_input("a", texts["a"], texts["lang_a"])
    b = article_input("b", texts["b"], texts["lang_b"])
    units = article_units(a) + article_units(b)
    if not units:
        return {}, {}, set()
    vectors = get_backend("e5").encode([u.text for u in units]).astype(np.float32)
    articles = {
        side: {"lang": texts[f"lang_{side}"], "outlet": side, "published": None, "echo_of": None}
        for side in ("a", "b")
    }
    claims = claims_of_units(units, vectors, articles, {"a": "e", "b": "e"})
    by_key = {(u.article, u.start): u for u in units}
    group_of: dict[int, int] = {}
    by_start: dict[int, Any] = {}
    for g, claim in enumerate(claims):
        for src in claim["sources"]:
            unit = by_key[(src["article"], src["start"])]
            key = unit.start if unit.article == "a" else -1 - unit.start
            group_of[key] = g
            by_start[key] = unit
            src["outlet"], src["text"] = unit.article, unit.text  # as read_claims adds them
    differ: set[tuple[int, int]] = set()
    for group in figure_groups(claims):
        for d in group["differences"]:
            sides = {
                v["article"]: next(
                    u.start
                    for u in units
                    if u.article == v["article"] and u.start <= v["start"] < u.end
                )
                for v in d["values"]
            }
            if set(sides) == {"a", "b"}:
                differ.add((sides["a"], sides["b"]))
    return group_of, by_start, differ


def _found(texts: dict[str, str], side: str, ref: dict[str, Any]) -> bool:
    return sentence_hash(texts[side][ref["start"] : ref["end"]]) == ref["sha1"]


def evaluate(labels: list[dict[str, Any]], csv_path: Path) -> dict[str, Any]:
    texts = _texts(csv_path, {int(x["row"]) for x in labels})
    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for x in labels:
        by_row[int(x["row"])].append(x)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    missing = 0
    started = time.perf_counter()
    for row, items in sorted(by_row.items()):
        pair = items[0]["pair"]
        t = texts.get(row)
        if t is None:
            missing += len(items)
            continue
        group_of, _units, differ = predict_pair(t)
        for x in items:
            if not (_found(t, "a", x["a"]) and _found(t, "b", x["b"])):
                missing += 1
                continue
            ga, gb = group_of.get(x["a"]["start"]), group_of.get(-1 - x["b"]["start"])
            same = ga is not None and ga == gb
            flagged = (x["a"]["start"], x["b"]["start"]) in differ
            for part in ("held_out" if is_held_out(pair) else "tuning", "all", x["langs"]):
                c = counts[part]
                if x["label"] != "differ":
                    gold = x["label"] == "same"
                    c["same_tp"] += same and gold
                    c["same_fp"] += same and not gold
                    c["same_fn"] += gold and not same
                gold_d = x["label"] == "differ"
                c["differ_tp"] += flagged and gold_d
                c["differ_fp"] += flagged and not gold_d
                c["differ_fn"] += gold_d and not flagged
                c["pairs"] += 1
    out: dict[str, Any] = {
        "labelled_pairs": len(labels),
        "missing": missing,
        "seconds": round(time.perf_counter() - started, 1),
    }
    for part, c in sorted(counts.items()):
        out[part] = {
            "pairs": c["pairs"],
            "same": {
                **prf(c["same_tp"], c["same_fp"], c["same_fn"]),
                "gold": c["same_tp"] + c["same_fn"],
            },
            "differ": {
                **prf(c["differ_tp"], c["differ_fp"], c["differ_fn"]),
                "gold": c["differ_tp"] + c["differ_fn"],
            },
        }
    return out


def run() -> dict[str, Any] | None:
    path = shared("bench", "semeval2022-t8", "pairs-de-en.csv")
    if path is None:
        return None
    result = evaluate(load_labels(), path)
    save("claims_eval", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
