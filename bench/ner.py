"""Named-entity tagging: strict span F1 on held-out GermEval and Europarl test, and speed.

Quality: each gold sentence is rebuilt as text (tokens joined by spaces), run
through storyline's own sentence splitter and ``tag_entities`` (so the score
includes the article-level passes), and compared as exact character spans
with labels. GermEval: the last 440 of the 2,200 dev sentences (1,761-2,200),
never used in training (train/ner/corpora.py trains on the first 1,760);
-deriv/-part tags count as O, OTH as MISC. Europarl: test split (IOB1).
Each sentence is scored as its own document, so no consistency pass can
carry answers from one sentence to another.

Speed: 800-word German articles cut from the seed articles (or, without the
seeds, from GermEval sentences), tagged in a fresh process that reports its
peak RSS, sentences + entities per article as ``storyline.analyze`` will run them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

from bench.common import ROOT, prf, save, shared

GERMEVAL_TRAIN = 1760  # sentences 1..1760 are training data; 1761..2200 are held out
CORE = frozenset({"PER", "ORG", "LOC"})
ALL = CORE | {"MISC"}
PUBLISHED = {
    "GBERT-large, GermEval 2014 test (published)": 0.882,
    "Flair + German DistilBERT, GermEval 2014 test (published)": 0.856,
    "spaCy CNN from scratch, europarl + 1,760 GermEval dev, GermEval test (measured, docs)": 0.449,
}

Gold = list[tuple[str, set[tuple[int, int, str]]]]


def _germeval_label(tag: str) -> str:
    if tag == "O" or tag.endswith(("deriv", "part")):
        return "O"
    bio, label = tag.split("-", 1)
    return f"{bio}-{'MISC' if label == 'OTH' else label}"


def _to_text(tokens: list[tuple[str, str]]) -> tuple[str, set[tuple[int, int, str]]]:
    """Join tokens by spaces; BIO/IOB1 tags become (start, end, label) character spans."""
    parts: list[str] = []
    spans: set[tuple[int, int, str]] = set()
    pos, cur = 0, None
    for tok, tag in [*tokens, ("", "O")]:
        if tag == "O" or tag.startswith("B-") or (cur and cur[2] != tag[2:]):
            if cur:
                spans.add((cur[0], cur[1], cur[2]))
            cur = None
        if tag != "O":
            end = pos + len(tok)
            cur = [pos, end, tag[2:]] if cur is None else [cur[0], end, cur[2]]
        parts.append(tok)
        pos += len(tok) + 1
    return " ".join(parts).strip(), spans


def germeval_heldout(limit: int | None = None) -> Gold | None:
    """The held-out GermEval sentences as (text, gold spans), or None without ../shared."""
    path = shared("bench", "germeval2014", "NER-de-dev.tsv")
    if path is None:
        return None
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if sents[-1]:
                sents.append([])
            continue
        cols = line.split("\t")
        sents[-1].append((cols[1], _germeval_label(cols[2])))
    held = [s for s in sents if s][GERMEVAL_TRAIN:]
    return [_to_text(s) for s in held[:limit]]


def europarl_test() -> Gold | None:
    path = shared("bench", "europarl-ner", "test.tsv")
    if path is None:
        return None
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5 or not cols[0]:
            if sents[-1]:
                sents.append([])
            continue
        sents[-1].append((cols[0], cols[4]))
    return [_to_text(s) for s in sents if s]


def score(gold: Gold, lang: str = "de") -> dict[str, Any]:
    """Strict span P/R/F1, PER/ORG/LOC ('core'), with MISC ('all') and per label."""
    from storyline.analyse.ner import tag_entities
    from storyline.analyse.sentences import split_sentences

    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in ("core", "all", *sorted(ALL))}
    for text, spans in gold:
        pred = {(m.start, m.end, m.label) for m in tag_entities(text, split_sentences(text), lang)}
        for key in counts:
            keep = CORE if key == "core" else ALL if key == "all" else {key}
            g = {s for s in spans if s[2] in keep}
            p = {s for s in pred if s[2] in keep}
            counts[key][0] += len(g & p)
            counts[key][1] += len(p - g)
            counts[key][2] += len(g - p)
    result: dict[str, Any] = {"sentences": len(gold)}
    for key, (tp, fp, fn) in counts.items():
        result[key] = {**prf(tp, fp, fn), "gold": tp + fn}
    return result


def articles(words_per_article: int = 800) -> list[str]:
    """Distinct 800-word German articles: all 2,200 GermEval dev sentences, 5 to a paragraph.

    Distinct text, so the feature caches do not flatter the figure; the seed
    articles are added on top when present (real layout: headlines, credits).
    """
    lines: list[str] = []
    path = shared("bench", "germeval2014", "NER-de-dev.tsv")
    if path is not None:
        sent: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            if line.strip():
                sent.append(line.split("\t")[1])
            elif sent:
                lines.append(" ".join(sent))
                sent = []
    paragraphs = [" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)]
    seeds = shared("seeds")
    if seeds is not None:
        for seed in sorted(seeds.glob("*.txt")):
            paragraphs += [ln for ln in seed.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for para in paragraphs:
        cur.append(para)
        n += len(para.split())
        if n >= words_per_article:
            out.append("\n\n".join(cur))
            cur, n = [], 0
    return out


_SPEED = textwrap.dedent(
    """
    import json, resource, sys, time
    from storyline.analyse.ner import tag_entities
    from storyline.analyse.sentences import split_sentences, tokenize
    docs = json.load(sys.stdin)
    tag_entities("Anna wohnt in Berlin.", split_sentences("Anna wohnt in Berlin."))  # load
    tokens = sum(len(tokenize(d)) for d in docs)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        for d in docs:
            tag_entities(d, split_sentences(d))
        times.append(time.perf_counter() - started)
    cold, best = times[0], min(times)
    print(json.dumps({"articles": len(docs), "tokens": tokens, "seconds_first_pass": round(cold, 3),
        "articles_per_s": round(len(docs) / cold, 1), "tokens_per_s": round(tokens / cold),
        "articles_per_s_warm": round(len(docs) / best, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
    """
)


def speed() -> dict[str, Any] | None:
    """Articles/s and tokens/s on one core, and peak RSS, in a fresh process.

    The headline figure is the first pass over distinct text (cold caches);
    the warm figure (best of three passes) is what repeated names give.
    """
    docs = articles()
    if not docs:
        return None
    proc = subprocess.run(
        [sys.executable, "-c", _SPEED],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    result["words_per_article"] = 800
    return result


def run() -> dict[str, Any] | None:
    held = germeval_heldout()
    if held is None:
        return None
    model = ROOT / "src" / "storyline" / "analyse" / "ner" / "model.crfsuite"
    parl = europarl_test()
    result: dict[str, Any] = {
        "germeval_heldout": {
            "dataset": f"germeval2014 dev sentences {GERMEVAL_TRAIN + 1}-2200 (never trained on)",
            **score(held),
        },
        "europarl_test": score(parl) if parl else None,
        "speed": speed(),
        "model_mb": round(model.stat().st_size / 2**20, 1),
        "published_f1": PUBLISHED,
    }
    save("ner", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
