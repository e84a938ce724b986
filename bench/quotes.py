"""Quote and speaker attribution on SpkAtt-2023 (German WikiNews), scored by token overlap.

Held-out part, fixed once: the files of ../shared/bench/spkatt2023/train whose index in
the sorted file list is divisible by 5 (140 of 700). They are never used for tuning; rule
development looked only at the other 560 (``run(split="tune")``).

The input is tokenized sentences. We rebuild the text (tokens joined by single spaces;
sentences are joined by a space too, because the
corpus has no paragraph marks), pass the corpus sentences as ``sentences`` and no
mentions, and map every predicted span back to the tokens it overlaps. A direct quote's
span is the words inside the marks; the marks right around it are added back because the
corpus counts them as part of the message.

Scoring, as in the shared task: predictions are matched one-to-one to gold annotations by
message token overlap (largest overlap first, any overlap counts). Then
- message P/R: overlap share of the predicted / gold message, summed over matched pairs and
  divided by the number of predicted / gold annotations;
- source P/R: the same for the speaker span, over annotations that have a source;
- joint P/R: pooled over message and source tokens (matched overlap tokens divided by all
  predicted / all gold message+source tokens).
Published rule-based baseline (dev): message 0.483, source 0.348, joint 0.418.
Speed: milliseconds spent in ``find_quotes`` alone per 800 words of the held-out text
(for the learned tagger this includes its encoder pass, which an article shares with the
encoder entity tagger and the claim vectors).

Both profiles are scored: "accurate" is the learned tagger (quotes_tagger.py, trained on
the tune part only by train/quotes_encoder), "fast" the rules.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from bench.common import save, shared
from storyline.analyse.model import Quote, Sentence
from storyline.analyse.quotes import find_quotes

PUBLISHED = {
    "rule-based baseline, dev (published)": {"message": 0.483, "source": 0.348, "joint": 0.418}
}
_MARKS = frozenset("„“”\"»«‚‘’'‹›")
Tok = tuple[int, int]


def split_files(root: Path, split: str) -> list[Path]:
    """'heldout': sorted index % 5 == 0; 'tune': the rest."""
    files = sorted(p for p in root.iterdir() if p.suffix == ".json")
    held = split == "heldout"
    return [p for i, p in enumerate(files) if (i % 5 == 0) == held]


def _ids(ids: list[str]) -> set[Tok]:
    out: set[Tok] = set()
    for x in ids:
        s, t = x.split(":")
        out.add((int(s), int(t)))
    return out


def rebuild(doc: dict[str, Any]) -> tuple[str, list[Sentence], list[tuple[int, int, Tok]]]:
    """Text, sentences and (start, end, token id) for every corpus token."""
    parts: list[str] = []
    sentences: list[Sentence] = []
    spans: list[tuple[int, int, Tok]] = []
    pos = 0
    for sent in doc["Sentences"]:
        sid = int(sent["SentenceId"])
        start = pos
        for ti, tok in enumerate(sent["Tokens"]):
            if pos > start:
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok), (sid, ti)))
            parts.append(tok)
            pos += len(tok)
        sentences.append(Sentence(start, pos, "".join(parts)[start:pos]))
        parts.append(" ")
        pos += 1
    return "".join(parts), sentences, spans


def _cover(spans: list[tuple[int, int, Tok]], a: int, b: int) -> list[int]:
    return [i for i, (s, e, _) in enumerate(spans) if s < b and a < e]


def predict(
    doc: dict[str, Any], tagger: str = "rules"
) -> tuple[list[tuple[set[Tok], set[Tok]]], float]:
    """Predicted (message, source) token sets, and the seconds ``find_quotes`` took."""
    text, sentences, spans = rebuild(doc)
    started = time.perf_counter()
    quotes = find_quotes(text, sentences, [], "de", tagger=tagger)
    seconds = time.perf_counter() - started
    return token_sets(quotes, text, spans), seconds


def token_sets(
    quotes: list[Quote], text: str, spans: list[tuple[int, int, Tok]]
) -> list[tuple[set[Tok], set[Tok]]]:
    """(message, source) corpus token sets of predicted quotes; a direct quote's marks
    right around it are added back."""
    out = []
    for q in quotes:
        idx = _cover(spans, q.start, q.end)
        if q.kind == "direct" and idx:
            for j in (idx[0] - 1, idx[-1] + 1):
                if 0 <= j < len(spans) and text[spans[j][0] : spans[j][1]] in _MARKS:
                    idx.append(j)
        msg = {spans[i][2] for i in idx}
        src = _source(q, spans)
        out.append((msg, src))
    return out


def _source(q: Quote, spans: list[tuple[int, int, Tok]]) -> set[Tok]:
    if q.speaker_start is None or q.speaker_end is None:
        return set()
    return {spans[i][2] for i in _cover(spans, q.speaker_start, q.speaker_end)}


def score(
    pairs: list[tuple[list[tuple[set[Tok], set[Tok]]], list[tuple[set[Tok], set[Tok]]]]],
) -> dict[str, Any]:
    m_p = m_r = s_p = s_r = 0.0
    n_pred = n_gold = n_pred_src = n_gold_src = 0
    j_tp = j_pred = j_gold = 0
    for pred, gold in pairs:
        n_pred += len(pred)
        n_gold += len(gold)
        n_pred_src += sum(1 for _, s in pred if s)
        n_gold_src += sum(1 for _, s in gold if s)
        j_pred += sum(len(m) + len(s) for m, s in pred)
        j_gold += sum(len(m) + len(s) for m, s in gold)
        cands = sorted(
            (
                (len(p[0] & g[0]), pi, gi)
                for pi, p in enumerate(pred)
                for gi, g in enumerate(gold)
                if p[0] & g[0]
            ),
            reverse=True,
        )
        used_p: set[int] = set()
        used_g: set[int] = set()
        for ov, pi, gi in cands:
            if pi in used_p or gi in used_g:
                continue
            used_p.add(pi)
            used_g.add(gi)
            (pm, ps), (gm, gs) = pred[pi], gold[gi]
            m_p += ov / len(pm)
            m_r += ov / len(gm)
            sov = len(ps & gs)
            if ps:
                s_p += sov / len(ps)
            if gs:
                s_r += sov / len(gs)
            j_tp += ov + sov
    return {
        "message": _f(m_p / max(n_pred, 1), m_r / max(n_gold, 1)),
        "source": _f(s_p / max(n_pred_src, 1), s_r / max(n_gold_src, 1)),
        "joint": _f(j_tp / max(j_pred, 1), j_tp / max(j_gold, 1)),
        "predicted": n_pred,
        "gold": n_gold,
    }


def _f(p: float, r: float) -> dict[str, float]:
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def gold_of(doc: dict[str, Any]) -> list[tuple[set[Tok], set[Tok]]]:
    return [(_ids(a["Message"]), _ids(a["Source"])) for a in doc["Annotations"] if a["Message"]]


def evaluate(files: list[Path], tagger: str = "rules") -> dict[str, Any]:
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    pairs = []
    words = 0
    seconds = 0.0
    for doc in docs:
        words += sum(len(s["Tokens"]) for s in doc["Sentences"])
        pred, took = predict(doc, tagger)
        seconds += took
        pairs.append((pred, gold_of(doc)))
    result = score(pairs)
    result["documents"] = len(docs)
    result["ms_per_800_words"] = round(1000 * seconds / max(words, 1) * 800, 2)
    return result


def run(split: str = "heldout") -> dict[str, Any] | None:
    root = shared("bench", "spkatt2023", "train")
    if root is None:
        return None
    files = split_files(root, split)
    result = {
        "dataset": f"SpkAtt-2023 train, {split} part (sorted index % 5 "
        f"{'== 0' if split == 'heldout' else '!= 0'}), German WikiNews",
        "storyline": {
            "accurate (learned tagger)": evaluate(files, "encoder"),
            "fast (rules)": evaluate(files, "rules"),
        },
        "published": PUBLISHED,
    }
    if split == "heldout":
        save("quotes", result)
    return result


if __name__ == "__main__":
    print(json.dumps(run(os.environ.get("SPLIT", "heldout")), indent=2, ensure_ascii=False))
