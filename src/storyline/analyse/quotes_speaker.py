"""Speaker phrases next to a cue, and the fullest name an article gives a speaker.

Without a tagger we still need the speaker, so this is a small noun-phrase
grammar over tokens: an article or genitive name ("Nordkoreas"), inflected
adjectives ("stellvertretende"), a capitalised head and name run ("Kremlsprecher
Dmitri Peskow"), then a genitive ("des Präsidialamtes"), a short bracket or a
name apposition (", Lars Beringer,"). German capitalises nouns, so a capitalised
run after an article is head noun plus name; role nouns and titles are peeled off
to leave the name. English phrases ("a senior official") may have lower-case heads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.analyse.model import Token
from storyline.analyse.names import name_parts, part_key
from storyline.analyse.quotes_lex import (
    DETERMINERS,
    FUNCTION_CAPS,
    PRONOUNS,
    is_adjective,
    is_cap,
    is_common_noun,
    is_name_particle,
)

_EN_STOP = frozenset(
    "said says told added that who which on in at to by after before during when while as "
    "and but or was were is are has have had will would could also".split()
)
_GEN_PRONOUNS = frozenset("dessen deren".split())
_PUNCT_STOP = frozenset(",.;:!?()[]„“”\"»«‚‘’'–—")


@dataclass(frozen=True)
class Phrase:
    """A speaker phrase: token range [start, end), name range inside it, pronoun flag."""

    start: int
    end: int
    name_start: int
    name_end: int
    pronoun: bool = False


def _cap_run(words: list[str], j: int, limit: int) -> int:
    k = j
    while k < limit and k - j < 6:
        w = words[k]
        if k > j and k + 1 < limit and words[k + 1] == "zufolge":
            break  # "sagte Peskow Berichten zufolge"
        if (is_cap(w) and w not in FUNCTION_CAPS) or (
            k > j
            and is_name_particle(w)
            and k + 1 < limit
            and is_cap(words[k + 1])
            and words[k + 1] not in FUNCTION_CAPS
        ):
            k += 1
        else:
            break
    return k


def _name_range(words: list[str], a: int, b: int, determined: bool) -> tuple[int, int]:
    """The name inside a capitalised run: role nouns, titles and a determined head peeled off."""
    if determined and b - a >= 1:
        a += 1  # "die Zeitung Wedomosti": the first capitalised word is the head noun
    while a < b and is_common_noun(words[a]):
        a += 1
    return a, b


def phrase_at(words: list[str], i: int, limit: int, lang: str) -> Phrase | None:
    """The speaker phrase that starts at token ``i`` (not past ``limit``), or None."""
    if i >= limit:
        return None
    lw = words[i].lower()
    if lw in PRONOUNS:
        return Phrase(i, i + 1, i, i + 1, pronoun=True)
    j = i
    determined = False
    if lw in DETERMINERS:
        j, determined = j + 1, True
    elif (
        is_cap(words[j])
        and words[j] not in FUNCTION_CAPS
        and words[j].endswith("s")
        and j + 1 < limit
        and (is_adjective(words[j + 1]) or is_common_noun(words[j + 1]))
    ):
        j, determined = j + 1, True  # "Nordkoreas offizielle Nachrichtenagentur", "Russlands"
    elif _capital_adjective(words, j, limit):
        j, determined = j + 1, True  # sentence-initial "Nordkoreanische Staatsmedien"
    mods = j
    while j < limit and (is_adjective(words[j]) or (lang == "en" and _en_modifier(words, j))):
        j += 1
    k = _cap_run(words, j, limit)
    if k == j:
        if lang == "en" and (determined or j > mods):
            return Phrase(i, j, j, j) if j > i + (1 if determined else 0) else None
        return None
    a, b = _name_range(words, j, k, determined or j > mods)
    end = _attachments(words, k, limit, has_name=b > a, lang=lang)
    if b == a and end > k:
        comma = max((x for x in range(k, end) if words[x] == ","), default=-1)
        if comma > 0 and all(is_cap(w) for w in words[comma + 1 : end]):
            a, b = comma + 1, end  # role phrase with a name apposition: "Ein Sprecher, L. B."
    return Phrase(i, end, a, b)


_ADJ_ENDINGS = tuple(
    f"{stem}{end}"
    for stem in ("isch", "lich", "ig", "al", "ierte", "tige")
    for end in ("e", "en", "er", "es")
)


def _capital_adjective(words: list[str], j: int, limit: int) -> bool:
    w = words[j].lower()
    return is_cap(words[j]) and w.endswith(_ADJ_ENDINGS) and j + 1 < limit and is_cap(words[j + 1])


def _en_modifier(words: list[str], j: int) -> bool:
    w = words[j]
    return w.isalpha() and w.islower() and w not in _EN_STOP and w not in DETERMINERS


def _attachments(words: list[str], k: int, limit: int, has_name: bool, lang: str) -> int:
    """Extend a phrase over a genitive, a short bracket or a name apposition."""
    end = k
    if end < limit and words[end] == "(":
        close = next((x for x in range(end + 1, min(limit, end + 6)) if words[x] == ")"), None)
        if close is not None:
            end = close + 1
    gen = ("des", "der", "von", "vom") if lang == "de" else ("of", "for", "at")
    if not has_name and end < limit and words[end] in gen:
        j = end + 1
        if j < limit and words[j].lower() in DETERMINERS:
            j += 1
        while j < limit and (is_adjective(words[j]) or (lang == "en" and _en_modifier(words, j))):
            j += 1
        k2 = _cap_run(words, j, limit)
        if k2 > j:
            end = k2
    if not has_name and end + 2 < limit and words[end] == ",":
        k3 = _cap_run(words, end + 1, limit)
        if 0 < k3 - end - 1 <= 4 and k3 < limit and words[k3] == ",":
            end = k3
    return end


def is_phrase_stop(word: str) -> bool:
    return word in _PUNCT_STOP


@dataclass
class NameBook:
    """Full names seen in an article, keyed by the key of their last part.

    Each name is listed once however often the article repeats it, and names are also
    indexed by their first part, so a lookup costs the same in a long article as in a
    short one (it used to walk every occurrence of every name).
    """

    by_last: dict[str, list[str]]
    _by_first: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        names = [name for cands in self.by_last.values() for name in cands]
        self.by_last = {}
        for name in names:
            self.add(name)

    @classmethod
    def build(
        cls, tokens: list[Token], extra: list[str], in_quote: list[int], cue_words: frozenset[str]
    ) -> NameBook:
        """Names of two to five parts from the tagger (``extra``) and from name contexts.

        German capitalises every noun, so a capitalised run is taken as a name only
        where news text introduces people: after a role noun or title ("Kremlsprecher
        Dmitri Peskow"), next to a cue verb ("sagte Leif-Eric Easley") or before an
        apposition ("Andrei Lankov, ein Experte").
        """
        words = [t.text for t in tokens]
        names: list[str] = list(extra)
        k = 0
        while k < len(words):
            end = _cap_run(words, k, len(words))
            if end == k:
                k += 1
                continue
            if any(in_quote[x] >= 0 for x in range(k, end)):
                k = end
                continue
            run: list[int] = []
            for x in range(k, end + 1):
                if x < end and not is_common_noun(words[x]):
                    run.append(x)
                    continue
                if len(run) >= 2 and _name_context(words, run, cue_words):
                    names.append(" ".join(words[y] for y in run))
                run = []
            k = end
        book = cls({})
        for name in names:
            book.add(name)
        return book

    def add(self, name: str) -> None:
        parts = name_parts(name)
        if 2 <= len(parts) <= 5:
            cands = self.by_last.setdefault(part_key(parts[-1]), [])
            if name in cands:
                return
            cands.append(name)
            joined = "".join(part_key(p) for p in parts)
            self._by_first.setdefault(part_key(parts[0]), {})[joined] = name

    def fullest(self, name: str) -> str:
        """'Lankov' → 'Andrei Lankov' when the article names him so; otherwise ``name``.

        A single family-first name ("Shin") expands only when one full name starts with it.
        """
        parts = name_parts(name)
        if not parts:
            return name
        keys = [part_key(p) for p in parts]
        best = name
        for cand in self.by_last.get(keys[-1], []):
            ckeys = [part_key(p) for p in name_parts(cand)]
            if len(ckeys) > len(name_parts(best)) and _subsequence(keys, ckeys):
                best = cand
        if best == name and len(keys) == 1:
            firsts = self._by_first.get(keys[0], {})
            if len(firsts) == 1:
                best = next(iter(firsts.values()))
        return best


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(k == c for c in it) for k in short)


def _name_context(words: list[str], run: list[int], cue_words: frozenset[str]) -> bool:
    a, b = run[0], run[-1] + 1
    if any(words[x].isupper() and len(words[x]) > 3 for x in run):
        return False
    if any(words[x].endswith("s") and words[x + 1][:1].isupper() for x in run[:-1]):
        return False  # "Putins Besuch": a genitive, not a first name
    before = words[a - 1] if a else ""
    after = words[b] if b < len(words) else ""
    after2 = words[b + 1].lower() if b + 1 < len(words) else ""
    return (
        is_common_noun(before)
        or before.lower() in cue_words
        or after.lower() in cue_words
        or (after == "," and (after2 in DETERMINERS or is_common_noun(after2)))
    )
