"""Named-entity tagging: strict span F1 on held-out GermEval, CoNLL-2003 English valid and
Europarl test, for both profiles (accurate: encoder tagger; fast: CRF), and speed.

Quality: each gold sentence is rebuilt as text (tokens joined by spaces), run
through storyline's own sentence splitter and ``tag_entities`` (so the score
includes the article-level passes), and compared as exact character spans
with labels. GermEval: the last 440 of the 2,200 dev sentences (1,761-2,200),
never used in training (train/ner/corpora.py trains on the first 1,760);
-deriv/-part tags count as O, OTH as MISC. Europarl: test split (IOB1).
CoNLL-2003 English valid (IOB2) is the encoder tagger's English dev set: its
settings were chosen on it (train/ner_encoder/train.py), so that figure is a
dev figure, not a test figure. Each sentence is scored as its own document, so
no consistency pass can carry answers from one sentence to another.

Speed: 800-word German articles cut from the seed articles (or, without the
seeds, from GermEval sentences), tagged in a fresh process that reports its
peak RSS, sentences + entities per article as ``storyline.analyze`` will run them.
For the accurate profile, ``encoder_cost`` splits one article's time into the
encoder's article-vector pass (what the profile pays anyway), the tagger's own
encoder pass over the sentences, and the head, decoding and article passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from bench.common import ROOT, prf, save, shared

GERMEVAL_TRAIN = 1760  # sentences 1..1760 are training data; 1761..2200 are held out
CORE = frozenset({"PER", "ORG", "LOC"})
ALL = CORE | {"MISC"}
PUBLISHED = {
    "GBERT-large, GermEval 2014 test (published)": 0.882,
    "Flair + German DistilBERT, GermEval 2014 test (published)": 0.856,
    "spaCy CNN from scratch, europarl + 1,760 GermEval dev, GermEval test (measured, docs)": 0.449,
    "Stanford CRF (Finkel et al. 2005), CoNLL-2003 English test (published)": 0.868,
    "BERT-large (Devlin et al. 2019), CoNLL-2003 English test (published)": 0.928,
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


def conll_valid(limit: int | None = None) -> Gold | None:
    """CoNLL-2003 English valid ('token tag' per line, IOB2) as (text, gold spans)."""
    path = shared("bench", "conll2003-en", "valid.txt")
    if path is None:
        return None
    sents: list[list[tuple[str, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        if len(cols) < 2 or cols[0] == "-DOCSTART-":
            if sents[-1]:
                sents.append([])
            continue
        sents[-1].append((cols[0], cols[-1]))
    return [_to_text(s) for s in sents if s][:limit]


@contextmanager
def profile(name: str) -> Iterator[None]:
    """Run the block under the profile `name` (accurate or fast), as --profile does, with
    the entity tagger following the profile (``entity_tagger=profile``)."""
    from storyline.settings import ENTITY_TAGGER, PROFILE

    wanted = {PROFILE.env_var: name, ENTITY_TAGGER.env_var: "profile"}
    before = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def batched_encoder(texts: list[str]) -> Iterator[None]:
    """Encode the sentences of all gold texts in one batched call up front.

    The encoder tagger encodes an article's sentences in one call; scored one
    sentence per document, it would make thousands of one-sentence calls. Same
    predictions (up to int8 batch noise), minutes less; the tagging path is
    otherwise unchanged (``tag_entities`` with its article passes).
    """
    from storyline.analyse.ner import encoder_tagger as et
    from storyline.analyse.sentences import split_sentences

    uniq = sorted({s.text for t in texts for s in split_sentences(t)})
    table = dict(zip(uniq, et.predict_spans(uniq), strict=True))
    original = et.predict_spans

    def lookup(
        texts: Sequence[str], model: et.Tagger | None = None, encoder: object = None
    ) -> list[list[et.Span]]:
        return [table[t] if t in table else original([t], model)[0] for t in texts]

    et.predict_spans = lookup
    try:
        yield
    finally:
        et.predict_spans = original


def score(
    gold: Gold, lang: str = "de", profile_name: str | None = None, passes: bool = True
) -> dict[str, Any]:
    """Strict span P/R/F1, PER/ORG/LOC ('core'), with MISC ('all') and per label, under
    the given profile (default: the one in force); `passes=False` scores the accurate
    profile's tagger without the article-level passes (what those passes are worth)."""
    if profile_name is not None:
        with profile(profile_name):
            return score(gold, lang, passes=passes)
    from storyline.analyse.ner import use_encoder
    from storyline.config import resolve

    if use_encoder(resolve()):
        with batched_encoder([text for text, _ in gold]):
            return _score(gold, lang, passes)
    return _score(gold, lang, passes)


def _score(gold: Gold, lang: str, passes: bool = True) -> dict[str, Any]:
    from storyline.analyse.model import Mention, Sentence
    from storyline.analyse.ner import encoder_tagger, tag_entities
    from storyline.analyse.sentences import split_sentences
    from storyline.config import resolve

    config = resolve()  # the profile() block's settings

    def raw(text: str, sentences: list[Sentence], lang: str | None) -> list[Mention]:
        return encoder_tagger.tag_sentences(text, sentences)[1]

    def full(text: str, sentences: list[Sentence], lang: str | None) -> list[Mention]:
        return tag_entities(text, sentences, lang, config)

    tagger = full if passes else raw
    counts: dict[str, list[int]] = {k: [0, 0, 0] for k in ("core", "all", *sorted(ALL))}
    for text, spans in gold:
        pred = {(m.start, m.end, m.label) for m in tagger(text, split_sentences(text), lang)}
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
    from storyline.config import resolve
    config = resolve()
    docs = json.load(sys.stdin)
    tag_entities("Anna wohnt in Berlin.", split_sentences("Anna wohnt in Berlin."), "de", config)
    tokens = sum(len(tokenize(d)) for d in docs)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        for d in docs:
            tag_entities(d, split_sentences(d), "de", config)
        times.append(time.perf_counter() - started)
    cold, best = times[0], min(times)
    print(json.dumps({"articles": len(docs), "tokens": tokens, "seconds_first_pass": round(cold, 3),
        "articles_per_s": round(len(docs) / cold, 1), "tokens_per_s": round(tokens / cold),
        "articles_per_s_warm": round(len(docs) / best, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
    """
)


def speed(profile_name: str = "fast") -> dict[str, Any] | None:
    """Articles/s and tokens/s, and peak RSS, in a fresh process under a profile.

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
        env={**os.environ, "STORYLINE_PROFILE": profile_name, "STORYLINE_ENTITY_TAGGER": "profile"},
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    result["words_per_article"] = 800
    return result


COST_ARTICLES = 20  # articles timed for the accurate profile's cost split


def encoder_cost(n: int = COST_ARTICLES) -> dict[str, Any] | None:
    """Milliseconds per 800-word article: the article-vector pass the accurate profile
    runs anyway, and the entity tagger's parts (its encoder pass over the sentences,
    head + Viterbi, article-level passes). Median over `n` articles."""
    from storyline.analyse.ner import encoder_tagger as et
    from storyline.analyse.ner.document import clean, harmonise, name_rules
    from storyline.analyse.sentences import split_sentences
    from storyline.encoder import get_encoder

    docs = articles()[:n]
    if not docs:
        return None
    enc = get_encoder()
    model = et.head()
    enc.vectors(["warm up"])
    rows: list[dict[str, float]] = []
    for doc in docs:
        sents = split_sentences(doc)
        t0 = time.perf_counter()
        enc.vectors([doc])
        t1 = time.perf_counter()
        texts = [s.text for s in sents]
        outs = enc.encode(texts, layers=tuple(x for x in model.layers if x != 12))
        t2 = time.perf_counter()
        for out in outs:
            keep = out.offsets[:, 1] > out.offsets[:, 0]
            if keep.any():
                x = et.features(model.layers, out.states, out.layers)[keep]
                et.path_spans(model.decode(model.log_probs(x)), out.offsets[keep])
        t3 = time.perf_counter()
        seen, mentions = et.tag_sentences(doc, sents)
        t4 = time.perf_counter()
        clean(harmonise(doc, seen, name_rules(doc, seen, clean(mentions, doc), "de")), doc)
        t5 = time.perf_counter()
        rows.append(
            {
                "vector_pass": t1 - t0,
                "tagger_encode": t2 - t1,
                "head_decode": t3 - t2,
                "article_passes": t5 - t4,
            }
        )
    med = {k: round(1000 * float(sorted(r[k] for r in rows)[len(rows) // 2]), 1) for k in rows[0]}
    tagger = med["tagger_encode"] + med["head_decode"] + med["article_passes"]
    return {
        "articles": len(rows),
        "ms_per_article": med,
        "tagger_ms": round(tagger, 1),
        "tagger_vs_vector_pass": round(tagger / med["vector_pass"], 2),
        "head_vs_vector_pass": round(med["head_decode"] / med["vector_pass"], 3),
        "encoder": enc.describe(),
    }


def run() -> dict[str, Any] | None:
    held = germeval_heldout()
    if held is None:
        return None
    here = ROOT / "src" / "storyline" / "analyse" / "ner"
    parl = europarl_test()
    conll = conll_valid()
    result: dict[str, Any] = {
        "germeval_dataset": (
            f"germeval2014 dev sentences {GERMEVAL_TRAIN + 1}-2200 (never trained on)"
        )
    }
    # speed first: its subprocess would report this process's peak RSS after scoring
    speeds = {name: speed(name) for name in ("accurate", "fast")}
    for name in ("accurate", "fast"):
        result[name] = {
            "germeval_heldout": score(held, "de", name),
            "germeval_heldout_without_article_passes": (
                score(held, "de", name, passes=False) if name == "accurate" else None
            ),
            "conll2003_valid": score(conll, "en", name) if conll else None,
            "europarl_test": score(parl, "de", name) if parl else None,
            "speed": speeds[name],
        }
    result["accurate"]["cost"] = encoder_cost()
    result["model_mb"] = {
        "accurate": round((here / "encoder_head.npz").stat().st_size / 2**20, 2),
        "fast": round((here / "model.crfsuite").stat().st_size / 2**20, 1),
    }
    result["published_f1"] = PUBLISHED
    save("ner", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
