"""Run every benchmark and print a Markdown summary (`make bench`)."""

from __future__ import annotations

import platform

from bench import extraction, throughput


def main() -> None:
    print(
        f"# storyline benchmarks ({platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()})\n"
    )
    ext = extraction.run()
    if ext:
        print("## HTML main-text extraction, trafilatura-de (150 German pages)\n")
        print("| system | precision | recall | F1 | ms/page |")
        print("|---|---|---|---|---|")
        for name in ("storyline", "trafilatura"):
            r = ext[name]
            print(
                f"| {name} (measured here) | {r['precision']} | {r['recall']} | {r['f1']} "
                f"| {r['ms_per_page']} |"
            )
        for name, f1 in ext["published_f1"].items():
            print(f"| {name} | | | {f1} | |")
        print()
    thr = throughput.run()
    if thr:
        print("## Ingest throughput (fresh store, one process)\n")
        print("| input | articles | seconds | articles/s |")
        print("|---|---|---|---|")
        for name, r in thr.items():
            print(f"| {name} | {r['articles']} | {r['seconds']} | {r['articles_per_s']} |")
        print()


if __name__ == "__main__":
    main()
