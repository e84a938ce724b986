"""The long fuzz run of issue 13: many hostile inputs of up to 1 MB through every entry point.

`make test` runs a few dozen hypothesis examples (tests/test_fuzz.py); this benchmark runs
many more and larger ones, seeded so that a run can be repeated: random Unicode with lone
surrogates, NULs and escape sequences, long runs of one piece (the shape that makes
matching quadratic), very long words and sentences, and ordinary news sentences. Each
input goes through `clean_text`, `extract_html` (wrapped in a page), `analyze` and the
ingest readers (as UTF-8 bytes). Counted: exceptions other than StorylineError, and calls
slower than the issue's bound (2 s per 100 KB, plus 1 s fixed) on this machine.

    .venv/bin/python -m bench.fuzz --n 2000 --max-kb 1024     # the issue's run (hours)
    .venv/bin/python -m bench.fuzz --n 200 --max-kb 1024      # a quicker sample
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench.common import save

SECONDS_PER_100KB = 2.0  #: issue 13's bound
GRACE_SECONDS = 1.0  #: fixed cost per call
RATE_MIN_CHARS = 10_000  #: inputs from this size on count for the worst rate reported

SENTENCES = [
    "Der Stadtrat tagte am Dienstag, dem 3. Oktober 2023, in Bremen.",
    "Anna Keller sagte: „Wir bauen rund 1.200 Wohnungen bis 2026.“",
    "Die Kosten liegen bei 4,5 Millionen Euro, so die Verwaltung.",
    'Mr. Smith said on Tuesday: "We will not pay $3.5 billion."',
    "Vor 24 Jahren hatte die Stadt zuletzt gebaut, hieß es am Montag.",
]
PIECES = [
    ".", "!", "?", "…", ". ", "a", "ab", "1", "1.", "1,", "2023", "„", "“", '"', "'", "(", ")",
    "[", "-", "/", "a/", "a'", "A", "Ab ", " ", "\n", "\t", "\x00", "\ud800", "\udfff",
    "\x1b[2J", "https://x.org/", "am 3. Oktober ", "sagte er", "3. ", "Dr. ", "z. B. ",
    "\u00a0", "\u200b", "ß", "😀",
]  # fmt: skip
ODD = ["\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\x1b", "\x9b"]


def hostile_text(rng: random.Random, size: int) -> str:
    """About `size` characters of mixed hostile parts."""
    parts: list[str] = []
    total = 0
    while total < size:
        kind = rng.random()
        room = size - total
        if kind < 0.25:  # random code points, odd ones mixed in
            n = min(room, rng.randint(1, 400))
            part = "".join(
                rng.choice(ODD) if rng.random() < 0.05 else chr(rng.randint(1, 0x2FFF))
                for _ in range(n)
            )
        elif kind < 0.6:  # a long run of one piece
            piece = rng.choice(PIECES)
            part = piece * max(1, min(room, rng.randint(1, 60_000)) // len(piece))
        else:  # news sentences, repeated
            part = " ".join([rng.choice(SENTENCES)] * rng.randint(1, 200))
        parts.append(part[: room + 1])
        total += len(parts[-1])
    return "".join(parts)


def _size(rng: random.Random, max_chars: int) -> int:
    """Log-uniform between 10 characters and `max_chars`: many small inputs, some huge."""
    return int(math.exp(rng.uniform(math.log(10), math.log(max_chars))))


def _calls(text: str) -> list[tuple[str, Callable[[], object], int]]:
    import storyline
    from storyline.ingest.readers import read_bytes
    from storyline.model import Hints

    page = f"<html><body><article><h1>Titel</h1><p>{text}</p></article></body></html>"
    data = text.encode("utf-8", errors="surrogatepass")
    return [
        ("clean_text", lambda: storyline.clean_text(text), len(text)),
        ("extract_html", lambda: storyline.extract_html(page), len(page)),
        ("analyze", lambda: storyline.analyze(text), len(text)),
        ("read_bytes", lambda: list(read_bytes(data, "fuzz.txt", None, Hints())), len(data)),
    ]


def run(n: int, max_kb: int, seed: int = 13) -> dict[str, Any]:
    import storyline
    from storyline.errors import StorylineError

    storyline.analyze("Der Rat tagte am Dienstag. Anna Keller sagte: „Gut.“", lang="de")  # warm
    rng = random.Random(seed)
    unexpected: list[dict[str, Any]] = []
    slow: list[dict[str, Any]] = []
    worst = 0.0  # seconds per 100 KB over the fixed grace, the largest seen
    chars = 0
    started = time.perf_counter()
    for i in range(n):
        text = hostile_text(rng, _size(rng, max_kb * 1024))
        chars += len(text)
        for name, call, size in _calls(text):
            t0 = time.perf_counter()
            try:
                call()
            except StorylineError:
                pass
            except Exception as exc:
                unexpected.append(
                    {"input": i, "call": name, "size": size, "error": repr(exc)[:200],
                     "where": traceback.format_exc(limit=2).strip().splitlines()[-1][:200]}
                )  # fmt: skip
            seconds = time.perf_counter() - t0
            allowed = GRACE_SECONDS + SECONDS_PER_100KB * size / 100_000
            if size >= RATE_MIN_CHARS:  # on tiny inputs the fixed cost is all there is
                worst = max(worst, (seconds - GRACE_SECONDS) * 100_000 / size)
            if seconds > allowed:
                slow.append({"input": i, "call": name, "size": size, "seconds": round(seconds, 2)})
    return {
        "inputs": n,
        "max_kb": max_kb,
        "seed": seed,
        "mean_kb": round(chars / max(n, 1) / 1024, 1),
        "unexpected_exceptions": len(unexpected),
        "over_time_bound": len(slow),
        "over_time_bound_by_call": {
            name: sum(1 for x in slow if x["call"] == name)
            for name in ("clean_text", "extract_html", "analyze", "read_bytes")
        },
        "worst_seconds_per_100kb_over_grace": round(worst, 3),
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "examples_unexpected": unexpected[:10],
        "examples_slow": slow[:10],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--max-kb", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    result = run(args.n, args.max_kb, args.seed)
    save("fuzz", result)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
