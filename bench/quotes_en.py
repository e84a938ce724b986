"""English attribution regression set (issue 15): ``python -m bench.quotes_en``.

bench/data/quotes_en.json is written for storyline: news-style paragraphs in the manner
of several outlets (wire, broadsheet, tabloid, broadcaster, business, local, magazine,
news site), every person and quote invented. There is no public English speaker
attribution data here, so this small set is a regression gate, not a benchmark of
record: for each listed quote, is a quote holding its fragment attributed to a speaker
whose name holds the expected part (right), to someone else (wrong), or not found
(missed)? Stretches listed as 'not_quotes' must not be quotes ("at the town hall on
Wednesday"), and no speaker may be a word without a capital letter ("denied") unless it
is a document source ("reports").

Both taggers run through :func:`storyline.analyze` (entities and resolution included).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from storyline.analyse.run import analyze

DATA = Path(__file__).resolve().parent / "data" / "quotes_en.json"


def evaluate(tagger: str) -> dict[str, Any]:
    """Right / wrong / missed attributions, false quotes and bad speakers for one tagger."""
    articles = json.loads(DATA.read_text(encoding="utf-8"))["articles"]
    old = os.environ.get("STORYLINE_QUOTE_TAGGER")
    os.environ["STORYLINE_QUOTE_TAGGER"] = tagger
    try:
        right = wrong = missed = false = bad = 0
        errors: list[str] = []
        for art in articles:
            quotes = analyze(art["text"], lang="en").quotes
            for want in art["quotes"]:
                found = [q for q in quotes if want["fragment"] in q.text]
                if not found:
                    missed += 1
                    errors.append(f"missed {want['fragment']!r}")
                elif any(want["speaker"] in (q.speaker_name or "") for q in found):
                    right += 1
                else:
                    wrong += 1
                    errors.append(f"{want['fragment']!r} -> {found[0].speaker_name!r}")
            for frag in art["not_quotes"]:
                if any(frag in q.text for q in quotes):
                    false += 1
                    errors.append(f"false quote {frag!r}")
            for q in quotes:
                name = q.speaker_name or ""
                no_name = not any(c.isupper() for c in name) and q.speaker_kind != "document"
                if name and (no_name or name in ("Water",)):
                    bad += 1
                    errors.append(f"bad speaker {name!r}")
    finally:
        if old is None:
            os.environ.pop("STORYLINE_QUOTE_TAGGER", None)
        else:
            os.environ["STORYLINE_QUOTE_TAGGER"] = old
    total = right + wrong + missed
    return {
        "expected": total,
        "right": right,
        "wrong": wrong,
        "missed": missed,
        "false_quotes": false,
        "bad_speakers": bad,
        "accuracy": round(right / max(total, 1), 3),
        "errors": errors,
    }


def run() -> dict[str, Any]:
    return {
        "dataset": "bench/data/quotes_en.json (8 invented English news paragraphs)",
        "accurate (learned tagger)": evaluate("encoder"),
        "fast (rules)": evaluate("rules"),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
