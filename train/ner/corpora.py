"""Readers that turn the NER corpora in ../shared/bench into one shape: text plus labelled spans.

Every corpus has its own tokenisation and tag set. We rebuild running text from
each one, keep entity spans as character offsets, and re-tokenise with
storyline's own tokenizer (see :func:`to_sentences`), so the tagger is trained
on exactly the tokens it sees at run time. Labels are mapped onto
PER/ORG/LOC/MISC here; the mapping is documented in the model card.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storyline.analyse.sentences import split_sentences, tokenize

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"
# GermEval 2014 dev has 2,200 sentences; the last 440 are held out for evaluation, never trained.
GERMEVAL_TRAIN = 1760

Span = tuple[int, int, str]


@dataclass
class Doc:
    """Running text with gold entity spans (character offsets)."""

    text: str
    spans: list[Span] = field(default_factory=list)
    source: str = ""


@dataclass
class Tagged:
    """One sentence as the tagger sees it: tokens and BIO tags."""

    words: list[str]
    tags: list[str]
    source: str = ""


def _join(tokens: list[tuple[str, str]], source: str, space_after: list[bool] | None = None) -> Doc:
    """Join (token, label) pairs, labels as (B|I)-TYPE or O, into a Doc with spans."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    cur: list[int | str] | None = None  # [start, end, label]
    for i, (tok, tag) in enumerate(tokens):
        start = pos
        parts.append(tok)
        pos += len(tok)
        if space_after is None or space_after[i]:
            parts.append(" ")
            pos += 1
        if tag == "O":
            cur = _close(cur, spans)
            continue
        bio, label = tag.split("-", 1)
        if bio == "B" or cur is None or cur[2] != label:
            cur = _close(cur, spans)
            cur = [start, start + len(tok), label]
        else:
            cur[1] = start + len(tok)
    _close(cur, spans)
    return Doc("".join(parts).rstrip(), spans, source)


def _close(cur: list[int | str] | None, spans: list[Span]) -> None:
    if cur is not None:
        spans.append((int(cur[0]), int(cur[1]), str(cur[2])))
    return None


def germeval_label(tag: str) -> str:
    """GermEval outer tag to ours: OTH is MISC; -deriv ("deutsche") and -part ("EU-Gipfel") are O.

    Derivations and compounds that contain a name are not names themselves, and
    our mentions must be names that entity resolution can link.
    """
    if tag == "O" or tag.endswith("deriv") or tag.endswith("part"):
        return "O"
    bio, label = tag.split("-", 1)
    return f"{bio}-{'MISC' if label == 'OTH' else label}"


def germeval(part: str = "train") -> list[Doc]:
    """GermEval 2014 dev sentences; part 'train' = first 1,760, 'heldout' = last 440."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    path = BENCH / "germeval2014" / "NER-de-dev.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                sents.append(cur)
            cur = []
            continue
        cols = line.split("\t")
        cur.append((cols[1], germeval_label(cols[2])))
    if cur:
        sents.append(cur)
    chosen = sents[:GERMEVAL_TRAIN] if part == "train" else sents[GERMEVAL_TRAIN:]
    return [_join(s, f"germeval-{part}") for s in chosen]


def europarl(split: str = "train") -> list[Doc]:
    """Europarl NER (IOB1: I-X, B-X only between two adjacent entities of one type).

    Its MISC also marks lower-case adjectives ("europäischen"), which GermEval
    calls -deriv; we drop those so the two corpora agree.
    """
    docs: list[Doc] = []
    cur: list[tuple[str, str]] = []
    path = BENCH / "europarl-ner" / f"{split}.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 5 or not cols[0]:
            if cur:
                docs.append(_join(cur, f"europarl-{split}"))
            cur = []
            continue
        cur.append((cols[0], cols[4]))
    if cur:
        docs.append(_join(cur, f"europarl-{split}"))
    for doc in docs:  # GermEval convention: adjectives ("europäischen") are -deriv, i.e. O
        doc.spans = [sp for sp in doc.spans if sp[2] != "MISC" or doc.text[sp[0]].isupper()]
    return docs


_HIPE = {"pers": "PER", "org": "ORG", "loc": "LOC", "prod": "MISC"}  # time -> O


def hipe() -> list[Doc]:
    """HIPE-2020 German (train+dev), rebuilt with NoSpaceAfter; 'prod' is MISC, 'time' is O."""
    docs: list[Doc] = []
    for name in ("HIPE-data-v1.0-train-de.tsv", "HIPE-data-v1.0-dev-de.tsv"):
        toks: list[tuple[str, str]] = []
        space: list[bool] = []
        for line in (BENCH / "ner-extra" / "hipe2020" / name).read_text("utf-8").splitlines():
            if line.startswith("# document_id") and toks:
                docs.append(_hipe_doc(toks, space))
                toks, space = [], []
            if line.startswith(("#", "TOKEN")) or not line.strip():
                continue
            cols = line.split("\t")
            tag = cols[1]
            if tag != "O":
                bio, typ = tag.split("-", 1)
                tag = f"{bio}-{_HIPE[typ]}" if typ in _HIPE else "O"
            misc = cols[-1]
            toks.append((cols[0], tag))
            space.append("NoSpaceAfter" not in misc or "EndOfLine" in misc)
        if toks:
            docs.append(_hipe_doc(toks, space))
    return docs


def _hipe_doc(toks: list[tuple[str, str]], space: list[bool]) -> Doc:
    return _join(toks, "hipe", space)


_ENP_TAG = re.compile(r"[BI]-(PER|ORG|LOC)")


def europeana() -> list[Doc]:
    """Europeana Newspapers (LFT, ONB, SBB): one 'token TAG' per line, no sentence breaks.

    We cut the stream into pseudo-documents of about 60 tokens at a full stop so the
    sentence splitter has something to work on; the stray tag 'BER' and rare MISC are O.
    """
    docs: list[Doc] = []
    for path in sorted((BENCH / "ner-extra" / "europeana-newspapers").glob("*.bio")):
        cur: list[tuple[str, str]] = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("#"):
                continue
            cols = line.split()
            if len(cols) != 2:
                continue
            tok, tag = cols
            if not _ENP_TAG.fullmatch(tag):
                tag = "O"
            cur.append((tok, tag))
            if tok in (".", "!", "?") and len(cur) >= 60:
                docs.append(_join(cur, "europeana"))
                cur = []
        if cur:
            docs.append(_join(cur, "europeana"))
    return docs


_SMART = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
    "location-stop": "LOC",
    "location-route": "LOC",
}


def smartdata() -> list[Doc]:
    """SmartData news/RSS/tweets; v3 re-annotations replace v1 documents with the same id.

    Persons, organisations and companies, and all location kinds (city, street,
    stop, route) are kept; dates, numbers, triggers and positions are O.
    """
    by_id: dict[str, Doc] = {}
    root = BENCH / "ner-extra" / "smartdata"
    for name in (
        "v1_20180119_train.json.gz",
        "v1_20180119_test.json.gz",
        "v3_20200302_dev.json.gz",
        "v3_20200302_test.json.gz",
    ):
        for d in _json_stream(root / name):
            text = d["text"]["string"]
            spans: list[Span] = []
            for m in (d.get("conceptMentions") or {}).get("array") or []:
                label = _SMART.get(m["type"].lower().replace("_", "-"))
                if label:
                    spans.append((m["span"]["start"], m["span"]["end"], label))
            source = "smartdata-" + d["refids"]["map"].get("source", "")
            by_id[d["id"]] = Doc(text, sorted(spans), source)
    return list(by_id.values())


def _json_stream(path: Path) -> Iterator[dict]:  # type: ignore[type-arg]
    dec = json.JSONDecoder()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        s = fh.read()
    i = 0
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            return
        obj, i = dec.raw_decode(s, i)
        yield obj


def to_sentences(doc: Doc) -> tuple[list[Tagged], int]:
    """Split and tokenise a Doc as storyline does, and project its spans onto BIO tags.

    Returns the tagged sentences and the number of spans that did not fall on
    token boundaries (dropped: counted so the card can report it).
    """
    out: list[Tagged] = []
    spans = sorted(doc.spans)
    misaligned = 0
    for sent in split_sentences(doc.text):
        toks = tokenize(sent.text, sent.start)
        if not toks:
            continue
        tags = ["O"] * len(toks)
        starts = {t.start: i for i, t in enumerate(toks)}
        ends = {t.end: i for i, t in enumerate(toks)}
        for s, e, label in spans:
            if e <= sent.start or s >= sent.end:
                continue
            # trim whitespace the source put inside the span
            while s < e and doc.text[s].isspace():
                s += 1
            while e > s and doc.text[e - 1].isspace():
                e -= 1
            i, j = starts.get(s), ends.get(e)
            if i is None or j is None or j < i or any(t != "O" for t in tags[i : j + 1]):
                misaligned += 1
                continue
            tags[i] = "B-" + label
            for k in range(i + 1, j + 1):
                tags[k] = "I-" + label
        out.append(Tagged([t.text for t in toks], tags, doc.source))
    return out, misaligned
