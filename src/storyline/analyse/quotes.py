"""Who said what: direct and indirect quotes with their speakers.

Rules, not a model, because the signals are few and strong: quotation marks
(paired by position, see :mod:`quotes_marks`), reporting cues with their subject
(see :mod:`quotes_cues`) and the order of the article. A direct quote takes the
speaker of the cue right after it ("„…“, sagte X"), the cue clause right before
it ("X sagte: „…“"), the indirect quote it sits in, or - when a paragraph is only
a quote - the previous speaker. German reported speech continues in Konjunktiv I
sentences ("Es gebe keine Pläne.") after a cue, so those go to the same speaker.
Pronoun speakers ("sagte er") resolve to the most recent person named outside
quotes. Speaker names are expanded to the fullest form the article uses, and the
tagger's mentions, when given, supply entity ids.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from storyline.analyse.model import Mention, Quote, Sentence
from storyline.analyse.names import name_parts, part_key, strip_titles
from storyline.analyse.quotes_cues import Attribution, SentenceView, find_attributions
from storyline.analyse.quotes_lex import (
    FUNCTION_CAPS,
    KONJUNKTIV,
    cues,
    is_cap,
    is_common_noun,
)
from storyline.analyse.quotes_marks import quote_spans
from storyline.analyse.quotes_speaker import NameBook, Phrase
from storyline.analyse.sentences import split_sentences, tokenize
from storyline.config import Config, defaults
from storyline.settings import PROFILE, QUOTE_TAGGER

_REPORTIVE = frozenset(("soll", "sollen"))  # reportive modal: "soll … gekommen sein"
_ARTICLE = re.compile(r"^(?:des|der|die|das|dem|den|the|a|an)\s+", re.IGNORECASE)
_MIN_WORDS = 4  # shorter quoted stretches are scare quotes or titles unless attributed


@dataclass
class _Speaker:
    start: int  # char span of the speaker as written
    end: int
    name: str
    entity: str | None
    via: str | None
    cue: str
    pos: int  # token position, for recency


def _guess_lang(text: str) -> str:
    en = len(re.findall(r"\b(?:the|and|said|of|to)\b", text[:4000]))
    de = len(re.findall(r"\b(?:der|die|und|das|sagte|nicht)\b", text[:4000]))
    return "en" if en > de else "de"


Person = tuple[int, str, str | None]  # (token position, fullest name, entity id)


class _Persons:
    """Antecedents for pronouns, in token order: the latest before a token in log time."""

    def __init__(self, found: list[Person]) -> None:
        self._keys: list[tuple[int, int]] = []  # (token position, order added)
        self._items: list[Person] = []
        for person in found:
            self.append(person)

    def append(self, person: Person) -> None:
        key = (person[0], len(self._keys))
        i = bisect.bisect_right(self._keys, key)
        self._keys.insert(i, key)
        self._items.insert(i, person)

    def before(self, tok: int) -> Person | None:
        """The person at the greatest position below ``tok`` (the first added, on a tie)."""
        i = bisect.bisect_left(self._keys, (tok, -1))
        if i == 0:
            return None
        first = bisect.bisect_left(self._keys, (self._keys[i - 1][0], -1))
        return self._items[first]


class _Doc:
    def __init__(self, text: str, sentences: list[Sentence], mentions: list[Mention], lang: str):
        self.text, self.lang = text, lang
        self.tokens = tokenize(text)
        self.words = [t.text for t in self.tokens]
        self.starts = [t.start for t in self.tokens]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.longest_mention = max((m.end - m.start for m in self.mentions), default=0)
        self.sents = [(self._tok(s.start), self._tok(s.end)) for s in sentences]
        paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        self.para_starts = [p[0] for p in paras]
        self.quotes = quote_spans(text)
        self.in_quote = [-1] * len(self.tokens)
        for qi, q in enumerate(self.quotes):
            for k in range(self._tok(q.start), self._tok(q.end)):
                self.in_quote[k] = qi
        names = [strip_titles(m.text) for m in self.mentions if m.label == "PER"]
        lex = cues(lang)
        self.book = NameBook.build(
            self.tokens, names, self.in_quote, lex.verbs | frozenset(lex.separable)
        )
        self.persons = _Persons(self._subjects())

    def _tok(self, pos: int) -> int:
        return bisect.bisect_left(self.starts, pos)

    def para(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def chars(self, a: int, b: int) -> tuple[int, int]:
        return self.tokens[a].start, self.tokens[b - 1].end

    def _subjects(self) -> list[tuple[int, str, str | None]]:
        """People as sentence subjects or tagged persons: antecedents for "er"/"sie"/"he"."""
        found: list[tuple[int, str, str | None]] = []
        if self.mentions:
            for m in self.mentions:
                if m.label == "PER":
                    k = self._tok(m.start)
                    if k < len(self.in_quote) and self.in_quote[k] < 0:
                        found.append((k, self.book.fullest(strip_titles(m.text)), m.entity))
            return found
        for a, b in self.sents:
            for k in range(a, min(b, a + 6)):
                w = self.words[k]
                if self.in_quote[k] >= 0:
                    break
                if is_cap(w) and w not in FUNCTION_CAPS and not is_common_noun(w):
                    run = k
                    while run + 1 < b and is_cap(self.words[run + 1]):
                        run += 1
                    last = self.words[run]
                    if self.book.by_last.get(part_key(last)):
                        found.append((run, self.book.fullest(last), None))
                    break
        return found

    def person_before(self, tok: int) -> Person | None:
        """The most recent person (subject or named speaker) before token ``tok``."""
        return self.persons.before(tok)

    def mentions_near(self, a: int, b: int) -> list[Mention]:
        """Mentions (in text order) that can overlap [a, b): found by bisection, not a scan."""
        lo = bisect.bisect_left(self.mention_starts, a - self.longest_mention)
        hi = bisect.bisect_left(self.mention_starts, b)
        return self.mentions[lo:hi]

    def speaker(self, att: Attribution, ph: Phrase) -> _Speaker:
        a, b = self.chars(ph.start, ph.end)
        via = None if att.via is None else self.text[slice(*self.chars(*att.via))]
        if ph.pronoun:
            ante = self.person_before(ph.start)
            if ante is not None:
                return _Speaker(a, b, ante[1], ante[2], via, att.cue, ph.start)
            return _Speaker(a, b, self.text[a:b], None, via, att.cue, ph.start)
        best: Mention | None = None
        for m in self.mentions_near(a - 1, b + 1):
            if (
                m.start < b + 1
                and a - 1 < m.end
                and m.label in ("PER", "ORG")
                and (best is None or (m.label == "PER" and best.label != "PER"))
            ):
                best = m
        if best is not None:
            name = self.book.fullest(strip_titles(best.text)) if best.label == "PER" else best.text
            if best.label == "PER":
                self.persons.append((ph.start, name, best.entity))
            return _Speaker(a, b, name, best.entity, via, att.cue, ph.start)
        if ph.name_end > ph.name_start:
            na, nb = self.chars(ph.name_start, ph.name_end)
            self.book.add(self.text[na:nb])
            name = self.book.fullest(self.text[na:nb])
            self.persons.append((ph.start, name, None))
        else:
            name = _ARTICLE.sub("", self.text[a:b]) or self.text[a:b]
        return _Speaker(a, b, name, None, via, att.cue, ph.start)


def find_quotes(
    text: str,
    sentences: list[Sentence],
    mentions: list[Mention],
    lang: str | None = "de",
    *,
    tagger: str | None = None,
    config: Config | None = None,
) -> list[Quote]:
    """Direct and indirect quotes with speakers.

    Quote.speaker is the entity id of the speaker's mention (from ``mentions``, whose
    .entity may be None → then None); Quote.speaker_name is the speaker as written in
    the text, expanded to the fullest name used in the article (e.g. "Lankov" →
    "Andrei Lankov" if the article names him so earlier), speaker_start/speaker_end
    its char span; cue is the cue verb/phrase as written; via is the reporting chain
    if given. Direct quotes span the words inside the marks.

    ``tagger`` picks the rules or the learned tagger (:mod:`quotes_learned`); None takes
    the ``quote_tagger`` setting of `config` (default: the defaults), whose encoder
    settings the learned tagger also runs with.
    """
    if not text.strip():
        return []
    lang = lang[:2] if lang and lang[:2] in ("de", "en") else _guess_lang(text)
    cfg = config or defaults()
    if use_learned(cfg, tagger):
        from storyline.analyse.quotes_learned import learned_quotes
        from storyline.encoder.runtime import encoder_options

        sents = sentences or split_sentences(text)
        return learned_quotes(text, sents, mentions, lang, encoder_options(cfg))
    doc = _Doc(text, sentences or split_sentences(text), mentions, lang)
    direct: dict[int, _Speaker | None] = {}
    indirect: list[tuple[int, int, _Speaker]] = []
    last: tuple[int, _Speaker] | None = None  # (sentence index, speaker) of the last quote
    for si, (a, b) in enumerate(doc.sents):
        if b <= a:
            continue
        view = SentenceView(doc.words, a, b, doc.in_quote, lang)
        atts = [t for t in find_attributions(view) if t.speaker is not None]
        for att in atts:
            assert att.speaker is not None
            spk = doc.speaker(att, att.speaker)
            last = (si, spk)
            if att.msg is None:
                continue
            ma, mb = att.msg
            qis = {doc.in_quote[k] for k in range(ma, mb)} - {-1}
            pure = [qi for qi in qis if _covers(doc, qi, ma, mb)]
            if pure:
                direct.setdefault(pure[0], spk)
                continue
            for qi in qis:
                direct.setdefault(qi, spk)
            indirect.append((ma, mb, spk))
        if (
            not atts
            and last is not None
            and lang == "de"
            and si - last[0] <= 1
            and _konjunktiv(doc, a, b)
            and doc.para(doc.tokens[a].start) - doc.para(doc.tokens[doc.sents[last[0]][0]].start)
            <= 1
        ):
            end = SentenceView(doc.words, a, b, doc.in_quote, lang).content_end()
            indirect.append((a, end, last[1]))
            last = (si, last[1])
        if not atts and last is not None and si - last[0] <= 1 and _quote_sentence(doc, a, b):
            last = (si, last[1])
    _continuations(doc, direct)
    return _emit(doc, direct, indirect)


def use_learned(config: Config, tagger: str | None = None) -> bool:
    """Whether ``tagger`` (default: the ``quote_tagger`` setting; for 'profile', the
    profile) picks the learned tagger."""
    choice = tagger or config[QUOTE_TAGGER]
    return choice == "encoder" or (choice == "profile" and config[PROFILE] == "accurate")


def _covers(doc: _Doc, qi: int, a: int, b: int) -> bool:
    """True when the quote ``qi`` is (nearly) all of the token range [a, b)."""
    inside = sum(1 for k in range(a, b) if doc.in_quote[k] == qi)
    return inside >= (b - a) - 1


def _konjunktiv(doc: _Doc, a: int, b: int) -> bool:
    return any(
        doc.in_quote[k] < 0 and (doc.words[k] in KONJUNKTIV or doc.words[k] in _REPORTIVE)
        for k in range(a, b)
    )


def _quote_sentence(doc: _Doc, a: int, b: int) -> bool:
    return doc.in_quote[a] >= 0


def _continuations(doc: _Doc, direct: dict[int, _Speaker | None]) -> None:
    """Unattributed quotes: the next attributed quote in a run, else the previous speaker."""
    order = list(range(len(doc.quotes)))
    for qi in reversed(order):  # "„A.“ „B“, sagte X": A takes B's speaker when only space between
        if qi not in direct and qi + 1 < len(doc.quotes) and direct.get(qi + 1) is not None:
            gap = doc.text[doc.quotes[qi].end : doc.quotes[qi + 1].start]
            if not gap.strip(" .,") and doc.para(doc.quotes[qi].start) == doc.para(
                doc.quotes[qi + 1].start
            ):
                direct[qi] = direct[qi + 1]
    prev: tuple[int, _Speaker] | None = None
    for qi in order:
        q = doc.quotes[qi]
        p = doc.para(q.start)
        spk = direct.get(qi)
        if spk is None and prev is not None and p - prev[0] <= 1:
            starts_para = not doc.text[doc.para_starts[p] : q.start].strip() if p >= 0 else True
            if starts_para or p == prev[0]:
                direct[qi] = prev[1]
                spk = prev[1]
        if spk is not None:
            prev = (p, spk)


_SENTENCE_FINAL = frozenset(".!?…")


def _ends_sentence(text: str) -> bool:
    r"""Whether `text` ends in sentence-final punctuation, closing marks allowed after it
    ("…Lösung.“"). A loop over the trailing run, not ``re.search(r"[.!?…]\W*$")``, whose
    search restarts at every mark of a long run of them: quadratic (10 s on a 200 KB
    run of dots)."""
    for ch in reversed(text):
        if ch in _SENTENCE_FINAL:
            return True
        if ch.isalnum() or ch == "_":  # a word character: the run ends without a stop
            return False
    return False


def _emit(
    doc: _Doc, direct: dict[int, _Speaker | None], indirect: list[tuple[int, int, _Speaker]]
) -> list[Quote]:
    out: list[Quote] = []
    for qi, q in enumerate(doc.quotes):
        spk = direct.get(qi)
        inner = doc.text[q.inner_start : q.inner_end]
        if spk is None:
            if q.words(doc.text) < 6 or not inner[:1].isupper() or not _ends_sentence(inner):
                continue
        elif q.words(doc.text) < 2:
            continue
        out.append(_quote(q.inner_start, q.inner_end, inner, "direct", spk))
    seen: set[tuple[int, int]] = set()
    for ma, mb, spk in indirect:
        a, b = doc.chars(ma, mb)
        if (a, b) in seen or len(name_parts(doc.text[a:b])) < 3:
            continue
        seen.add((a, b))
        out.append(_quote(a, b, doc.text[a:b], "indirect", spk))
    out.sort(key=lambda x: (x.start, x.end))
    return out


def _quote(a: int, b: int, text: str, kind: str, spk: _Speaker | None) -> Quote:
    assert kind in ("direct", "indirect")
    return Quote(
        start=a,
        end=b,
        text=text,
        kind="direct" if kind == "direct" else "indirect",
        speaker=spk.entity if spk else None,
        speaker_name=spk.name if spk else None,
        cue=spk.cue if spk else None,
        speaker_start=spk.start if spk else None,
        speaker_end=spk.end if spk else None,
        via=spk.via if spk else None,
    )
