"""Reading the curated data files shipped inside the package (word lists, phrase lists).

One format for all of them: UTF-8 text, one row per line, columns separated
by tabs, blank lines and lines starting with "#" ignored (they carry the
licence and the explanation of the columns).
"""

from __future__ import annotations

from importlib import resources


def data_rows(package: str, name: str) -> list[list[str]]:
    """The rows of ``<package>/data/<name>``, split into tab-separated columns."""
    text = resources.files(package).joinpath("data", name).read_text("utf-8")
    return [row.split("\t") for row in text.splitlines() if row.strip() and not row.startswith("#")]


def word_table(package: str, name: str) -> dict[str, frozenset[str]]:
    """A two-column table "key<TAB>word word …" as key → set of words."""
    return {key: frozenset(words.split()) for key, words in data_rows(package, name)}
