"""Quotes from the learned tagger's spans: one quote per message, its cue and its speaker.

The tagger (:mod:`quotes_tagger`) marks cue, source and message spans per sentence.
Here they become :class:`Quote` records:

- a message that starts a sentence with I continues the previous sentence's message, so
  an utterance is one quote however many sentences it runs over; spans never overlap, so
  a scare-quoted word inside a longer quote is part of it, not a quote of its own;
- the cue is the nearest cue span in the message's sentences outside the message, the
  source the nearest source span there (nearest to the cue when there is one); a message
  with neither continues the previous quote's speaker when that quote is at most
  ``CONTINUE_SENTENCES`` sentences back (free indirect speech);
- a source inside quotation marks or inside any message is never a speaker (a person
  named only inside a quote did not say it);
- the source is linked to the article's mentions: a PER or ORG mention inside it gives the
  entity and the fullest name the article uses; a pronoun ("er", "sie") takes the most
  recent person named outside quotes; a role noun ("der Sprecher") keeps its words and no
  entity; a proverb, report, study or medium is of kind "document", not a person;
- confidence is the mean tag probability of the message, averaged with the source's.

The sentences read are first the encoder entity tagger's (prose sentences up to its
token budget, :func:`ner.encoder_tagger.route`), encoded in the same call so the
encoder serves it from memory, then up to ``MAX_TAGGED_TOKENS`` encoder tokens of the
others in a call of their own; past that the rules' quotes stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from storyline.analyse.model import Mention, Quote, Sentence
from storyline.analyse.names import strip_titles
from storyline.analyse.ner.document import taggable
from storyline.analyse.ner.encoder_tagger import route
from storyline.analyse.quotes import _Doc
from storyline.analyse.quotes_lex import PRONOUNS
from storyline.analyse.quotes_marks import quote_spans
from storyline.analyse.quotes_tagger import Span, tag
from storyline.encoder.runtime import EncoderOptions

#: a message with no cue and no source of its own continues a quote this many sentences back
CONTINUE_SENTENCES = 2
#: a source farther than this many characters from the message's cue is not its speaker
#: (issue 15: the West's fear went to Putin, subject of the main clause; dev joint F1 unchanged)
MAX_CUE_GAP = 150
#: messages with fewer words are dropped: a scare-quoted word or a broken-off piece ("Im
#: Gegenzug") is no utterance (dev joint F1 0.664 with 2, 0.666 with 3 and 4)
MIN_MESSAGE_WORDS = 3
#: encoder tokens of sentences the tagger reads beyond the entity tagger's (non-prose
#: lines, lines past its budget) in a second encoder call; past that the rules' quotes
#: stand. In tokens (about 5,000 characters of prose), as the cost is per token
MAX_TAGGED_TOKENS = 1_250
#: share of a message's characters inside quotation marks that makes it a direct quote
DIRECT_SHARE = 0.8
_RELATIVE = re.compile(r",\s*(?:der|die|das|welche[rs]?|who|which)$")
#: function words a source never ends with ("Vertreter der USA und", "… des Präsidialamtes in")
_TRAILING = re.compile(r"(?:\s+(?:und|oder|in|im|an|auf|aus|von|der|des|die|and|or|in|of|the))+$")
_NEXT_NOUN = re.compile(r" (?:[A-ZÄÖÜ][a-zäöüß]+)(?=[\s,.:;])")
#: after a source that ends in an article: up to two adjectives, then the noun
#: ("ein" + "koreanisches Sprichwort", "einer" + "hochrangigen Quelle")
_NOUN_PHRASE = re.compile(r"(?: [a-zäöüß]+){0,2} [A-ZÄÖÜ][a-zäöüß]+(?=[\s,.:;])")
_DE_ARTICLES = frozenset(
    {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"}
)
_EDGE = "„“”\"»«‚‘’'‹›,;:–"  # stripped from a direct quote's ends ('zeigen“,')
_ARTICLE = re.compile(r"^(?:des|der|die|das|dem|den|ein|eine|einer|the|a|an)\s+", re.IGNORECASE)
#: head nouns of sources that are texts or media, not people (issue 15: "ein koreanisches
#: Sprichwort", "Berichten"); matched on the lower-cased last word's stem
_DOCUMENT_HEADS = (
    "sprichwort",
    "bericht",
    "studie",
    "zeitung",
    "medien",
    "medium",
    "agentur",
    "umfrage",
    "magazin",
    "sender",
    "fernsehen",
    "rundfunk",
    "blatt",
    "dokument",
    "papier",
    "gutachten",
    "mitteilung",
    "erklärung",
    "statistik",
    "analyse",
    "untersuchung",
    "meldung",
    "quelle",
    "website",
    "webseite",
    "proverb",
    "report",
    "study",
    "newspaper",
    "paper",
    "survey",
    "poll",
    "media",
    "statement",
    "document",
    "analysis",
    "agency",
    "broadcaster",
)


@dataclass
class _Message:
    start: int
    end: int
    first: int  # sentence index of its first and last parts
    last: int
    probs: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    span: Span | None  # None: no speaker
    name: str | None
    entity: str | None
    kind: str | None


def source_kind(words: str, label: str | None) -> str:
    """'document' for texts and media, 'organisation' for an ORG mention or a place
    standing for its government ("Moskau"), else 'person'."""
    tail = re.findall(r"\w+", words.lower())
    if tail and any(h in tail[-1] for h in _DOCUMENT_HEADS):  # compounds: "Staatsmedien"
        return "document"
    return "organisation" if label in ("ORG", "LOC") else "person"


def learned_quotes(
    text: str,
    sentences: list[Sentence],
    mentions: list[Mention],
    lang: str,
    encoder: EncoderOptions | None = None,
) -> list[Quote]:
    """Quotes of one article by the learned tagger (see the module docstring)."""
    from storyline.analyse.quotes import find_quotes
    from storyline.encoder import get_encoder

    rules = find_quotes(text, sentences, mentions, lang, tagger="rules")
    seen = taggable(sentences)
    routed = {id(t) for t in route(seen, encoder)[0]}
    chosen: list[Sentence] = []
    shared: set[int] = set()
    budget = MAX_TAGGED_TOKENS
    count = get_encoder(encoder).count_tokens
    rest: list[Sentence] = []
    for t in seen:
        if id(t) in routed:
            shared.add(len(chosen))
            chosen.append(t.sentence)
            continue
        size = count(t.sentence.text) if budget > 0 else budget + 1  # spent: no count
        if size <= budget:  # not prose to the entity tagger, but read
            budget -= size
            chosen.append(t.sentence)
        else:
            rest.append(t.sentence)
    spans = tag(text, chosen, lang, rules, shared=frozenset(shared), encoder=encoder)
    quotes = assemble(text, chosen, spans, mentions, lang)
    if rest:  # sentences past the budget: the rules' quotes there
        quotes += [q for q in rules if any(s.start <= q.start < s.end for s in rest)]
        quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _messages(text: str, per_sentence: list[list[Span]]) -> list[_Message]:
    """Message spans joined into utterances: across a sentence boundary when the next part
    continues, and within a sentence when only spaces or punctuation lie between parts
    ('dass „starker Grund …“': the tagger often breaks at quotation marks)."""
    out: list[_Message] = []
    for si, spans in enumerate(per_sentence):
        for sp in spans:
            if sp.kind != "message":
                continue
            joins = (
                out
                and out[-1].last == si
                and not re.search(r"\w", text[out[-1].end : sp.start])
                and sp.start >= out[-1].end
            )
            if (sp.continues and out and out[-1].last == si - 1) or joins:
                out[-1].end, out[-1].last = sp.end, si
                out[-1].probs.append(sp.prob)
            else:
                out.append(_Message(sp.start, sp.end, si, si, [sp.prob]))
    return out


def _near(spans: list[Span], a: int, b: int) -> Span | None:
    """The span closest to [a, b) in characters (None when there is none)."""
    best: tuple[int, Span] | None = None
    for sp in spans:
        gap = max(a - sp.end, sp.start - b, 0)
        if best is None or gap < best[0]:
            best = (gap, sp)
    return None if best is None else best[1]


def assemble(
    text: str,
    sentences: list[Sentence],
    per_sentence: list[list[Span]],
    mentions: list[Mention],
    lang: str,
) -> list[Quote]:
    """Quote records from the tagger's spans (sentences are the ones tagged)."""
    per_sentence = [
        _join_sources(text, [_snap(text, sp) for sp in spans], lang) for spans in per_sentence
    ]
    messages = [
        m
        for m in _messages(text, per_sentence)
        if len(re.findall(r"\w+", text[m.start : m.end])) >= MIN_MESSAGE_WORDS
    ]
    if not messages:
        return []
    doc = _Doc(text, sentences, mentions, lang)
    marks = [(q.start, q.end) for q in quote_spans(text)]
    busy = [(m.start, m.end) for m in messages]

    def quoted(sp: Span) -> bool:
        return any(a <= sp.start and sp.end <= b for a, b in marks + busy)

    out: list[Quote] = []
    prev: tuple[int, _Source] | None = None
    for msg in messages:
        pool = [sp for si in range(msg.first, msg.last + 1) for sp in per_sentence[si]]
        cue = _near(
            [s for s in pool if s.kind == "cue" and not _inside(s, msg)], msg.start, msg.end
        )
        srcs = [s for s in pool if s.kind == "source" and not _inside(s, msg)]
        anchor = (cue.start, cue.end) if cue else (msg.start, msg.end)
        if cue is not None:  # the likeliest source near the cue ("sagte der BBC": addressee)
            close = [sp for sp in srcs if _gap(sp, cue) <= MAX_CUE_GAP]
            near = max(close, key=lambda sp: sp.prob, default=None)
        else:
            near = _near(srcs, *anchor)
        src: _Source
        before = [
            s
            for s in (per_sentence[msg.first - 1] if msg.first else [])
            if s.kind == "source" and not quoted(s)
        ]
        if near is not None:
            src = _link(doc, near) if not quoted(near) else _Source(None, None, None, None)
        elif cue is None and prev is not None and msg.first - prev[0] <= CONTINUE_SENTENCES:
            src = prev[1]
        elif before and cue is None:
            src = _link(doc, before[-1])
        else:
            src = _Source(None, None, None, None)
        prev = (msg.last, src)
        out.append(_quote(text, msg, cue, src, marks))
    return out


def _snap(text: str, sp: Span) -> Span:
    """The span widened to whole words (the tagger tags subwords); a source loses a
    trailing relative pronoun and punctuation ("John Everard, der" -> "John Everard")."""
    a, b = sp.start, sp.end
    while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum() and text[b - 1].isalnum():
        b += 1
    if sp.kind == "source":
        cut = _RELATIVE.search(text, a, b)
        if cut is not None and cut.end() == b:
            b = cut.start()
        while b > a and not text[b - 1].isalnum():
            b -= 1
        tail = _TRAILING.search(text, a, b)
        if tail is not None and tail.start() > a:
            b = tail.start()
    return sp if (a, b) == (sp.start, sp.end) else replace(sp, start=a, end=b)


def _join_sources(text: str, spans: list[Span], lang: str) -> list[Span]:
    """Source pieces with only a space between them are one source when the first ends in
    a lower-case word ("ein" + "koreanisches": the tagger's subword path can break inside a
    phrase; "Peskow" + "Berichten zufolge" stay apart); a German source ending in a
    lower-case word takes the capitalised noun after it ("ein koreanisches Sprichwort"),
    and one ending in an article the noun phrase after it (a source is never an article:
    "ein" + "koreanisches Sprichwort")."""
    srcs = sorted((sp for sp in spans if sp.kind == "source"), key=lambda sp: sp.start)
    out: list[Span] = []
    for sp in srcs:
        last = out[-1] if out else None
        if (
            last is not None
            and sp.start >= last.end
            and not text[last.end : sp.start].strip()
            and text[last.start : last.end].split()[-1][:1].islower()
        ):
            out[-1] = replace(last, end=sp.end, prob=max(last.prob, sp.prob))
        else:
            out.append(sp)
    for i, sp in enumerate(out):
        words = text[sp.start : sp.end].split()
        ends_in_article = bool(words) and words[-1].lower() in _DE_ARTICLES
        nxt = (_NOUN_PHRASE if ends_in_article else _NEXT_NOUN).match(text, sp.end)
        if lang == "de" and words and words[-1][:1].islower() and nxt is not None:
            out[i] = replace(sp, end=nxt.end())
    return [sp for sp in spans if sp.kind != "source"] + out


def _gap(a: Span, b: Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _inside(sp: Span, msg: _Message) -> bool:
    return msg.start <= sp.start and sp.end <= msg.end


def _link(doc: _Doc, sp: Span) -> _Source:
    """Entity, name and kind of a source span (see the module docstring)."""
    words = doc.text[sp.start : sp.end]
    if words.lower() in PRONOUNS:
        ante = doc.person_before(doc._tok(sp.start))
        if ante is not None:
            return _Source(sp, ante[1], ante[2], "person")
        return _Source(sp, words, None, "person")
    best: Mention | None = None
    for m in doc.mentions_near(sp.start, sp.end):
        overlaps = m.start < sp.end and sp.start < m.end and m.label in ("PER", "ORG", "LOC")
        if overlaps and (best is None or (m.label == "PER" and best.label != "PER")):
            best = m
    kind = source_kind(words, best.label if best else None)
    if best is not None and kind != "document":
        name = doc.book.fullest(strip_titles(best.text)) if best.label == "PER" else best.text
        return _Source(sp, name, best.entity, kind)
    return _Source(sp, _ARTICLE.sub("", words) or words, None, kind)


def _quote(
    text: str, msg: _Message, cue: Span | None, src: _Source, marks: list[tuple[int, int]]
) -> Quote:
    a, b = msg.start, msg.end
    inside = sum(max(0, min(b, e) - max(a, s)) for s, e in marks)
    direct = inside >= DIRECT_SHARE * (b - a)
    if direct:  # the words inside the marks, as the rules give them
        while a < b and (text[a] in _EDGE or text[a].isspace()):
            a += 1
        while b > a and (text[b - 1] in _EDGE or text[b - 1].isspace()):
            b -= 1
    probs = list(msg.probs)
    if src.span is not None:
        probs = [sum(probs) / len(probs), src.span.prob]
    return Quote(
        start=a,
        end=b,
        text=text[a:b],
        kind="direct" if direct else "indirect",
        speaker=src.entity,
        speaker_name=src.name,
        cue=text[cue.start : cue.end] if cue else None,
        speaker_start=src.span.start if src.span else None,
        speaker_end=src.span.end if src.span else None,
        confidence=round(sum(probs) / len(probs), 3),
        speaker_kind=src.kind,
    )
