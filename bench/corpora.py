"""Plain sentences from the token-per-line corpora in ../shared/bench (CoNLL-2003,
GermEval 2014, Europarl NER), for the encoder's benchmark, calibration and tests."""

from __future__ import annotations

from pathlib import Path


def column_sentences(path: Path, column: int, *, skip: tuple[str, ...] = ("#",)) -> list[str]:
    """Sentences of a one-token-per-line file (blank line between sentences): the tokens
    of `column` (split on tabs, or on whitespace for CoNLL) joined by spaces. Lines that
    start with one of `skip` are left out."""
    out: list[str] = []
    cur: list[str] = []
    tab = path.suffix == ".tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(skip):
            continue
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
                cur = []
            continue
        cur.append((line.split("\t") if tab else line.split())[column])
    if cur:
        out.append(" ".join(cur))
    return out


def conll_sentences(path: Path) -> list[str]:
    """CoNLL-2003 sentences (the -DOCSTART- lines left out)."""
    return column_sentences(path, 0, skip=("-DOCSTART",))


def conll_documents(path: Path) -> list[str]:
    """CoNLL-2003 documents as plain text, one string per -DOCSTART- block."""
    docs: list[str] = []
    cur: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART"):
            if cur:
                docs.append(" ".join(cur))
            cur = []
        elif line.strip():
            cur.append(line.split()[0])
    return [*docs, " ".join(cur)] if cur else docs
