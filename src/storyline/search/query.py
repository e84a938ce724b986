"""Turning what a user typed into a safe FTS5 MATCH expression on the normalised index.

Why a parser of our own: FTS5's query syntax (AND/OR/NOT, NEAR, parentheses, column
filters, ^, quotes) makes almost any raw input either an error (`"foo`, `AND OR (`) or a
different query than meant. So user input never reaches MATCH: it is cut into terms,
every term is reduced to index keys (which hold only letters and digits) and each key is
written as a double-quoted FTS5 string. What is supported on purpose:

* words, all of which must occur (AND), each matching any of its keys (OR);
* ``"quoted phrases"`` (an unclosed quote runs to the end of the query);
* a trailing ``*`` for a prefix: ``gewerksch*``;
* a word joined by punctuation (``GHL-Chefin``, ``4.200``) is a phrase of its parts,
  as FTS5 would read it.

Everything else (operators, brackets, colons) is ordinary punctuation and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.errors import QueryError
from storyline.search.normalise import MAX_WORD, fold, key, prepare, query_keys, words

#: Terms beyond this many are dropped: a pasted paragraph still searches (its start),
#: and the MATCH expression stays small.
MAX_TERMS = 24

#: Query languages tried for phrases (German and English stems, and unstemmed).
_PHRASE_LANGS: tuple[str | None, ...] = ("de", "en", None)

_CHUNK = re.compile(r'"([^"]*)"?(\*?)|([^\s"]+)')


@dataclass
class ParsedQuery:
    """A query ready for FTS5, plus what the snippet finder needs to spot a match."""

    expression: str
    #: keys that count as a hit when snippets are built
    keys: set[str] = field(default_factory=set)
    #: key prefixes from `word*` terms
    prefixes: set[str] = field(default_factory=set)
    #: the plain words, for embedding the query
    text: str = ""


def _quote(k: str) -> str:
    return '"' + k.replace('"', '""') + '"'


def _any(alternatives: list[str]) -> str:
    unique = list(dict.fromkeys(alternatives))
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def _term(parts: list[str], prefix: bool, parsed: ParsedQuery) -> str:
    """The FTS5 expression of one term: a word or a phrase, maybe with a prefix."""
    parts = [p[:MAX_WORD] for p in parts]
    star = " *" if prefix else ""
    if len(parts) == 1 and not prefix:
        keys = query_keys(parts[0])
        parsed.keys.update(keys)
        return _any([_quote(k) for k in keys])
    if len(parts) == 1:
        # a prefix is typed before the word ends: stemming it would cut it further
        # ("gewerksch" -> "gewerk"), so the folded prefix is tried with the stems
        stems = [fold(parts[0]), key(parts[0], "de"), key(parts[0], "en")]
        parsed.prefixes.update(s for s in stems if s)
        return _any([_quote(s) + star for s in stems if s])
    variants = []
    for lang in _PHRASE_LANGS:
        keyed = [key(p, lang) for p in parts]
        parsed.keys.add(keyed[0])
        variants.append(_quote(" ".join(keyed)) + star)
    return _any(variants)


def parse_query(query: str) -> ParsedQuery:
    """The MATCH expression for `query`; raises QueryError when it has no words.

    The result only ever contains quoted strings joined by AND/OR and brackets we wrote,
    so no input can make FTS5 raise a syntax error.
    """
    query = prepare(query)
    parsed = ParsedQuery(expression="")
    terms: list[str] = []
    plain: list[str] = []
    for m in _CHUNK.finditer(query):
        phrase, phrase_star, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            prefix = bare.endswith("*")
            parts = words(bare)
        else:
            prefix = bool(phrase_star)
            parts = words(phrase)
        if not parts:
            continue
        plain.extend(parts)
        terms.append(_term(parts, prefix, parsed))
        if len(terms) >= MAX_TERMS:
            break
    if not terms:
        raise QueryError(
            f"the search {query.strip()[:60]!r} has no words to look for"
            if query.strip()
            else "the search is empty",
            hint='type one or more words; "quotes" for a phrase, word* for a prefix',
        )
    parsed.expression = " AND ".join(terms)
    parsed.text = " ".join(plain)
    return parsed
