"""Search keys: how a word is written into, and looked up in, the normalised index.

Why not FTS5 alone: its unicode61 tokenizer neither stems nor folds ß, so "Streiks" misses
"Streik" and "Strasse" misses "Straße". Every word is therefore turned into a *key*
before it reaches FTS5 (on both sides, index and query):

* casefold (which already maps ß and ẞ to "ss") and fold ä/ö/ü to a/o/u;
* stem with Snowball: German for ``lang == "de"``, English for ``"en"``, nothing else.
  Snowball's German stemmer (3.x) also reads "ae"/"oe"/"ue" as umlauts (not after "q"),
  so "Muenchen" and "München" share the key "munch". That rule is only applied to
  German text: in English "blue" or "does" must keep their "ue"/"oe".

An article's words get the key of the article's language. A query's words get every
key they might have been indexed under (German, English, unstemmed) and are OR-ed,
because the query language is unknown and short queries defeat language detection.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

#: A word: letters and digits. "_" counts as a separator, as in FTS5's unicode61.
WORD = re.compile(r"[^\W_]+")

#: Longer tokens are cut here on both sides (index and query), so a pasted hash or
#: URL fragment cannot make keys, or the stemmer's work, unbounded.
MAX_WORD = 64

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})

#: Article language -> Snowball algorithm. Other languages are folded, not stemmed.
STEMMED = {"de": "german", "en": "english"}


def fold(word: str) -> str:
    """Casefolded, umlauts and ß folded: the unstemmed key of a word."""
    return word.casefold().translate(_FOLD)


@lru_cache(maxsize=4)
def _stemmer(algorithm: str) -> Any:
    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=262_144)
def key(word: str, lang: str | None) -> str:
    """The index key of one word (as matched by `WORD`) in an article of language `lang`.

    German is stemmed before folding (the stemmer needs the umlauts and ß to find
    suffixes, and folds them itself); English after, so "Straße" in an English text
    becomes "strass" like a typed "Strasse".
    """
    word = word[:MAX_WORD]
    algorithm = STEMMED.get(lang or "")
    if algorithm == "german":
        stemmer = _stemmer(algorithm)
        return fold(str(stemmer.stemWord(word.casefold())))
    if algorithm == "english":
        stemmer = _stemmer(algorithm)
        return str(stemmer.stemWord(fold(word)))
    return fold(word)


def prepare(text: str) -> str:
    """Text in the form the tokenizer expects: NFKC (ligatures, full-width forms, composed
    accents), with lone surrogates (possible in Python strings, fatal to SQLite) dropped."""
    text = text.encode("utf-8", "ignore").decode("utf-8") if _has_surrogates(text) else text
    return unicodedata.normalize("NFKC", text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def words(text: str) -> list[str]:
    """The words of a text as the index sees them (before keying)."""
    return WORD.findall(prepare(text))


def index_text(text: str | None, lang: str | None) -> str:
    """A text as stored in the normalised index: its keys, space-separated, in order
    (order matters for phrase queries)."""
    if not text:
        return ""
    lang = (lang or "").lower()
    return " ".join(key(w, lang) for w in words(text))


def query_keys(word: str) -> list[str]:
    """Every key a query word may have been indexed under, most specific first.

    Beyond Snowball, two German verb forms that it leaves apart are bridged here (on the
    query side only, so a wrong guess widens one query, never the index): the weak
    past tense ("streikten" -> "streikt" -> also "streik", the stem of "streiken")
    and, for a lowercase word, the participle ("gestreikt" -> "streik"). Nouns are
    capitalised in German, which keeps "Gesetz" from turning into "setz".
    """
    out = [key(word, "de"), key(word, "en"), key(word, None)]
    low = word.casefold()
    german = out[0]
    if german.endswith("t") and low.endswith(("te", "ten", "tet", "test")) and len(german) > 4:
        out.append(german[:-1])
    if word.islower() and low.startswith("ge") and low.endswith("t") and len(low) > 6:
        bare = german[2:]
        out.append(bare[:-1] if bare.endswith("t") and german == fold(low) else bare)
    return list(dict.fromkeys(k for k in out if k))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) of every word in the original text, for snippets.

    Offsets are into `text` as given (not NFKC-normalised), so a word written with a
    decomposed accent may be keyed differently here than in the index; the snippet then
    falls back to the lead, which is harmless.
    """
    for m in WORD.finditer(text):
        yield m.start(), m.end(), m.group()
