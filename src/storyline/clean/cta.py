"""Calls to action: lines that tell the reader to click, subscribe, compare or share.

Why: the phrase list (``data/junk_phrases.tsv``) knew paywall sentences word for word,
and calls it had not seen stayed in the text ("Jetzt … vergleichen und sparen!",
"Click here to read more stories like this. Share this article", "Subscribe to read
more. Already a subscriber? Log in."). A call has a shape rather than a wording: every
sentence of the line addresses the reader, opening with an imperative ("Click", "Teilen
Sie", "Abonnez-vous") or with "jetzt/hier/now" and ending on an infinitive ("Jetzt
Tarife vergleichen und sparen!"), or is a short question about the reader's account
("Already a subscriber?"). A line that reports (a quote mark, "sagte", "said") is news
whatever its verbs. The words are data (``data/cta_words.tsv``), five languages.
"""

from __future__ import annotations

import re
from functools import cache

from storyline.datafiles import data_rows

#: A call is short; a paragraph that happens to start "Lesen Sie" is not one.
MAX_WORDS = 40
#: A question about the reader's account is a few words ("Already a subscriber?").
MAX_QUESTION_WORDS = 6
#: Second-person words that may follow a German or French imperative ("Klicken Sie").
_ADDRESS = frozenset({"sie", "du", "ihr", "vous", "you"})

#: How a German infinitive ends, closing a call ("… und nichts verpassen!").
_INFINITIVE = ("en", "ern", "eln")

_SENTENCES = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[\w'-]+")
_QUOTES = re.compile(r"[\"“”„»«]")


@cache
def _words() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for row in data_rows("storyline.clean", "cta_words.tsv"):
        if len(row) != 3:
            raise ValueError(f"cta_words.tsv: malformed row {row!r}")
        table.setdefault(row[1], set()).update(w.replace("_", " ") for w in row[2].split())
    return {k: frozenset(v) for k, v in table.items()}


def _starts_with(words: list[str], cls: str) -> int:
    """How many words at the start form a word of class ``cls`` (0: none)."""
    for n in (2, 1):
        if len(words) >= n and " ".join(words[:n]) in _words()[cls]:
            return n
    return 0


def _is_call(sentence: str) -> bool:
    words = [w.casefold() for w in _WORD.findall(sentence)]
    if not words:
        return True  # a stray mark between calls
    verbs = _words()["verb"]
    if sentence.rstrip().endswith("?"):
        return len(words) <= MAX_QUESTION_WORDS and any(w in _words()["noun"] for w in words)
    i = 0
    while i < len(words) and (n := _starts_with(words[i:], "lead")):
        i += n
    if i < len(words) and _starts_with(words[i:], "verb"):
        return True  # "Click here …", "Teilen Sie …", "Jetzt abonnieren"
    # "Jetzt Stromtarife vergleichen und sparen!", "Jetzt den Newsletter abonnieren und
    # nichts verpassen!": a lead word, a call's verb, an infinitive at the end
    return (
        i > 0
        and sentence.rstrip().endswith("!")
        and any(w in verbs for w in words[i:])
        and (words[-1] in verbs or words[-1].endswith(_INFINITIVE))
    )


def is_call_to_action(line: str) -> bool:
    """Every sentence of the line addresses the reader with a call (see the module)."""
    if len(line) > MAX_WORDS * 12 or _QUOTES.search(line):
        return False
    words = [w.casefold() for w in _WORD.findall(line)]
    if not words or len(words) > MAX_WORDS:
        return False
    folded = " ".join(words)
    if any(re.search(rf"(?<!\w){re.escape(r)}(?!\w)", folded) for r in _words()["report"]):
        return False
    sentences = [s.strip() for s in _SENTENCES.findall(line) if s.strip()]
    if not sentences or not all(_is_call(s) for s in sentences):
        return False
    # "Compare that with last year" opens like a call: a call also points somewhere
    pointed = _words()["target"] | _words()["lead"] | _words()["noun"]
    return "!" in line or any(re.search(rf"(?<!\w){re.escape(t)}(?!\w)", folded) for t in pointed)


__all__ = ["is_call_to_action"]
