"""Cue analysis: for each reporting cue in a sentence, its speaker, channel and message.

A cue is a reporting verb ("sagte", "teilte … mit", "said"), a source preposition
("laut", "zufolge", "nach Angaben", "according to"), parenthetical "so X" or
impersonal "hieß es". Its speaker is the subject before the verb (SV: "Lankov
sagte") or, when something else stands first, the subject after it (VS: "„…“,
sagte Lankov", "Am Mittwoch sagte ein Beamter"). What follows the speaker and a
dative or "gegenüber"/"laut" phrase is the reporting chain (``via``). The message
is the clause after the cue (", dass …", ", die Union benötige …", ": „…“") or the
clause fronted before it ("Putin werde … reisen, teilten beide Länder mit").
"""

from __future__ import annotations

from dataclasses import dataclass

from storyline.analyse.quotes_lex import (
    CLAUSE_ADVERBS,
    CONJ_DASS,
    DETERMINERS,
    KONJUNKTIV,
    PREP_SOURCES,
    SKIP_AFTER_VERB,
    cues,
    is_adjective,
    is_cap,
)
from storyline.analyse.quotes_speaker import Phrase, phrase_at

_BOUNDARY = frozenset(",:;(–—")
_OPEN_CONJ = frozenset(
    "wie und aber doch nachdem weil als da ob obwohl während wenn sodass as and but after because "
    "since when while although".split()
)
_AUX = frozenset("hat hatte haben hatten habe ist war wird wurde has had have".split())
_PREPS = frozenset("aus von vom bei im in an am der des from of at with".split())
_FRONT_PREPS = frozenset("während bei auf in nach vor seit an am im".split())
_RELATIVE = frozenset("der die das dem den deren dessen welche welcher who which whom".split())
_APPOS_OK = frozenset(
    "an in der des dem den die das von vom für bei im am aus zur zum und sowie of at for the a "
    "an and "
    "with from".split()
)


@dataclass
class Attribution:
    """One cue with what it attributes; token indices into the document token list."""

    cue_tok: int
    cue: str
    speaker: Phrase | None
    via: tuple[int, int] | None = None
    msg: tuple[int, int] | None = None  # token range of the message, [start, end)
    weak: bool = False


class SentenceView:
    """The tokens of one sentence with the quote membership the cue finder needs."""

    def __init__(self, words: list[str], a: int, b: int, in_quote: list[int], lang: str):
        self.words, self.a, self.b, self.in_quote, self.lang = words, a, b, in_quote, lang
        self._content_end: int | None = None

    def is_quote(self, k: int) -> bool:
        return self.a <= k < self.b and self.in_quote[k] >= 0

    def content_end(self) -> int:
        """End of the sentence without its closing marks (computed once: it is asked per
        token, and a sentence of 3,000 full stops made that quadratic)."""
        if self._content_end is None:
            end = self.b
            while end > self.a and self.words[end - 1] in {".", "!", "?", "…", ":"}:
                end -= 1
            self._content_end = end
        return self._content_end


def find_attributions(s: SentenceView) -> list[Attribution]:
    """All cues of the sentence with speaker, via and message (messages may be None)."""
    lex = cues(s.lang)
    words = s.words
    out: list[Attribution] = []
    used: set[int] = set()
    for v in range(s.a, s.b):
        if s.is_quote(v) or v in used:
            continue
        lw = words[v].lower()
        att: Attribution | None = None
        if lw in lex.separable:
            part = _particle(s, v, lex.separable[lw])
            if part is not None:
                att = _verb(s, v, f"{words[v]} {words[part]}", part, False)
                used.add(part)
        if att is None and (lw in lex.verbs or lw in lex.weak) and words[v][0].islower():
            att = _verb(s, v, words[v], v, lw not in lex.verbs or _participle(lw))
        if att is None and lw in lex.label:
            att = _label(s, v)
        if att is None:
            att = _prepositional(s, v, lw)
        if (
            att is not None
            and att.speaker is None
            and out
            and out[-1].speaker is not None
            and words[v - 1].lower() in {"und", "and", "aber", "but"}
        ):
            att.speaker = out[-1].speaker  # "sagte Peskow und fügte hinzu, dass …"
        if att is not None:
            if att.speaker is not None:
                used.update(range(att.speaker.start, att.speaker.end))
            if att.via is not None:
                used.update(range(v, att.via[1]))
            out.append(att)
    return [a for a in out if not a.weak or a.msg is not None]


def _label(s: SentenceView, v: int) -> Attribution | None:
    """'X bezeichnete den Besuch als „wichtiges Zeichen“': the quote in the clause is X's."""
    k = next((x for x in range(v + 1, s.b) if s.is_quote(x)), None)
    if k is None or any(s.words[x] in {",", ";", ":"} for x in range(v + 1, k)):
        return None
    subj = _subject_before(s, v)
    if subj is None:
        subj = phrase_at(s.words, _skip_adverbials(s, v + 1), s.b, s.lang)
    if subj is None:
        return None
    end = k
    while end < s.b and s.in_quote[end] == s.in_quote[k]:
        end += 1
    return Attribution(v, s.words[v], subj, None, (k, end))


def _participle(w: str) -> bool:
    """Past participles ("mitgeteilt", "eingeräumt") report only with an explicit message."""
    return (w.startswith("ge") or "ge" in w[2:7]) and w.endswith("t") and not w.endswith("est")


def _particle(s: SentenceView, v: int, particles: frozenset[str]) -> int | None:
    for k in range(v + 1, min(s.b, v + 20)):
        if s.words[k] in particles and not s.is_quote(k):
            nxt = s.words[k + 1] if k + 1 < s.b else "."
            if nxt in {",", ".", ":", ";", "!", "?", "dass", "that"} or k + 1 >= s.b:
                return k
        if s.words[k] in {";", ":"}:
            break
    return None


def _clause_starts(s: SentenceView, v: int) -> list[int]:
    starts: list[int] = []
    for k in range(v - 1, s.a - 1, -1):
        if s.words[k] in _BOUNDARY or s.is_quote(k) or s.words[k].lower() in CONJ_DASS:
            starts.append(k + 1)
            if len(starts) >= 3:
                break
    if s.a not in starts:
        starts.append(s.a)
    return starts


def _subject_before(s: SentenceView, v: int) -> Phrase | None:
    words = s.words
    for st in _clause_starts(s, v):
        while st < v and (words[st].lower() in _OPEN_CONJ or not words[st][0].isalnum()):
            st += 1
        if st < v and words[st].lower() in _AUX:
            st += 1  # "…, hatte Koch-Mehrin damals gesagt"
            ph = phrase_at(words, st, v, s.lang)
            if ph is not None and all(w.lower() in SKIP_AFTER_VERB for w in words[ph.end : v]):
                return ph
            continue
        ph = phrase_at(words, st, v, s.lang)
        if ph is None:
            continue
        if ph.start > s.a and words[ph.start - 1].lower() in _FRONT_PREPS and ph.start == st:
            continue  # "Während einer Pressekonferenz sagte X": an adverbial, not the subject
        if ph.end == v:
            return ph
        if words[ph.end] in _PREPS and v - ph.end <= 8 and _apposition(s, ph.end, v):
            return ph  # "Wie Dr. Dittrich aus dem Forscherteam erklärte"
        if (
            words[v - 1] == ","
            and ph.end < v - 1
            and words[ph.end] == ","
            and v - ph.end <= 16
            and _apposition(s, ph.end + 1, v - 1)
        ):
            return ph
    return None


def _apposition(s: SentenceView, i: int, j: int) -> bool:
    """True when tokens i..j read as an apposition ("ein Experte an der Universität in Seoul")."""
    if j <= i:
        return False
    for k in range(i, j):
        w = s.words[k]
        if s.is_quote(k) or w in {",", ".", ":", ";"}:
            return False
        if (
            w[0].isalpha()
            and w[0].islower()
            and w.lower() not in _APPOS_OK
            and not is_adjective(w)
            and w.lower() not in DETERMINERS
        ):
            return False
    return True


def _skip_adverbials(s: SentenceView, j: int) -> int:
    words = s.words
    while j < s.b:
        lw = words[j].lower()
        if lw in SKIP_AFTER_VERB and lw not in {"laut", "zufolge"}:
            j += 1
        elif (
            lw in {"am", "im", "on", "in", "at"}
            and j + 1 < s.b
            and (is_cap(words[j + 1]) or words[j + 1][:1].isdigit())
        ):
            j += 2
            while j < s.b and (words[j][:1].isdigit() or words[j] == "."):
                j += 1
            if j < s.b and is_cap(words[j]) and words[j - 1] == ".":
                j += 1
        else:
            return j
    return j


def _channel(s: SentenceView, j: int) -> tuple[int, tuple[int, int] | None]:
    """A reporting chain at ``j``: "gegenüber X", "dem X der Y", "laut X", "X zufolge", "told X"."""
    words, lang = s.words, s.lang
    if j >= s.b:
        return j, None
    lw = words[j].lower()
    start = j
    if lw in {"gegenüber", "laut", "to"}:
        j += 1
    elif lw not in {"dem", "den"} and not (lang == "de" and lw == "der" and _dative_der(s, j)):
        if lang == "de" and is_cap(words[j]) and j + 1 < s.b and words[j + 1] == "zufolge":
            return j + 2, (j, j + 1)
        return start, None
    ph = phrase_at(words, j, s.b, lang)
    if ph is None:
        return start, None
    end = ph.end
    while end + 1 < s.b and words[end] in {"der", "des"} and is_cap(words[end + 1]):
        nxt = phrase_at(words, end, s.b, lang)
        if nxt is None:
            break
        end = nxt.end
    if end < s.b and words[end] == "zufolge":
        return end + 1, (j, end)
    return end, (j if lw in {"gegenüber", "laut", "to"} else start, end)


def _dative_der(s: SentenceView, j: int) -> bool:
    """'sagte der BBC': a feminine dative (a newspaper, broadcaster) follows a verb and subject."""
    return j + 1 < s.b and is_cap(s.words[j + 1]) and s.words[j + 1].isupper()


def _message_after(s: SentenceView, j: int) -> tuple[int, int] | None:
    """The message after the cue: ": …", ", dass …", ", <clause in Konjunktiv>", "that …"."""
    words = s.words
    while j < s.b and (words[j].lower() in CLAUSE_ADVERBS or words[j].lower() == "es"):
        j += 1
    end = s.content_end()
    if j >= end:
        return None
    if s.lang == "en" and words[j][0].isalpha() and words[j] not in {"and", "but", "who", "which"}:
        return (j, end)
    for k in range(j, min(end, j + 10)):
        w = words[k]
        if s.is_quote(k):
            return (k, end) if k == j or words[k - 1] in {",", ":"} else None
        if w.lower() in CONJ_DASS:
            return (k, end)
        if w == ":" and k + 1 < end:
            return (k + 1, end)
        if w == "," and k + 1 < end:
            dass = next(
                (
                    x
                    for x in range(k + 1, min(end, k + 14))
                    if words[x].lower() in CONJ_DASS and words[x - 1] == ","
                ),
                None,
            )
            if dass is not None and not any(s.is_quote(x) for x in range(k, dass)):
                return (dass, end)
            if (
                words[k + 1].lower() in _RELATIVE
                and s.lang != "en"
                and not any(words[x] in KONJUNKTIV for x in range(k + 1, end))
            ):
                return None
            return (k + 1, end)
        if w in {";", "(", ")"} or w.lower() in {"und", "and", "aber", "but"}:
            return None
    return None


def _strong(s: SentenceView, msg: tuple[int, int]) -> bool:
    """A message opened by dass/that, a colon or a quote, or a comma clause in Konjunktiv."""
    a, b = msg
    w = s.words
    return (
        w[a].lower() in CONJ_DASS
        or w[a - 1] == ":"
        or s.is_quote(a)
        or any(w[x] in KONJUNKTIV for x in range(a, b) if not s.is_quote(x))
    )


def _fronted(s: SentenceView, v: int) -> tuple[int, int] | None:
    """The message before ", cue": from the clause start to the comma."""
    k = v - 1
    if k <= s.a or s.words[k] != ",":
        if k >= s.a and s.is_quote(k) and k > s.a:
            return (s.a, v)  # „…“ sagte X (comma missing)
        return None
    start = s.a
    for x in range(k - 1, s.a - 1, -1):
        if s.words[x] in {":", ";"} and not s.is_quote(x):
            start = x + 1
            break
    return (start, k) if k > start else None


def _verb(s: SentenceView, v: int, cue: str, last: int, weak: bool) -> Attribution:
    words = s.words
    subj = _subject_before(s, v)
    if subj is not None:
        j = _skip_adverbials(s, v + 1)
        j, via = _channel(s, j)
        if s.lang == "en" and via is None and words[v].lower() in {"told", "tells", "tell"}:
            ph = phrase_at(words, j, s.b, s.lang)
            if ph is not None:
                via, j = (ph.start, ph.end), ph.end
        j = _skip_adverbials(s, max(j, last + 1))
        msg = _message_after(s, j)
        if msg is not None and weak and not _strong(s, msg):
            msg = None
        if (
            msg is None
            and subj.start > s.a
            and (words[subj.start - 1] == "," or s.is_quote(subj.start - 1))
        ):
            msg = _fronted(s, subj.start)
        return Attribution(v, cue, subj, via, msg, weak)
    j = _skip_adverbials(s, v + 1)
    j, via = _channel(s, j)
    if s.lang == "en" and not (v > s.a and (words[v - 1] == "," or s.is_quote(v - 1))):
        return Attribution(v, cue, None, via, None, weak)
    ph = phrase_at(words, j, s.b, s.lang)
    if ph is None:
        first = _skip_lead(s, s.a)
        ph = phrase_at(words, first, v, s.lang) if first < v else None
        if ph is None or not (ph.end < v and words[ph.end][:1].islower()):
            return Attribution(v, cue, None, via, _fronted(s, v), weak)
        # coordinated subject: "Peskow lehnte es ab, …, sagte aber, …"
        after = _message_after(s, _skip_adverbials(s, max(j, last + 1)))
        return Attribution(v, cue, ph, via, after, weak)
    j = _skip_adverbials(s, ph.end)
    if via is None:
        j, via = _channel(s, j)
    j = _skip_adverbials(s, max(j, last + 1))
    after = _message_after(s, j)
    if after is not None and (words[after[0] - 1] == ":" or s.is_quote(after[0])):
        return Attribution(v, cue, ph, via, after, weak)
    front = _fronted(s, v)
    if after is not None and (front is None or _strong(s, after)):
        return Attribution(v, cue, ph, via, after, weak)
    return Attribution(v, cue, ph, via, front, weak)


def _skip_lead(s: SentenceView, k: int) -> int:
    while k < s.b and (not s.words[k][0].isalnum() or s.words[k].lower() in _OPEN_CONJ):
        k += 1
    return k


def _prepositional(s: SentenceView, v: int, lw: str) -> Attribution | None:
    words, end = s.words, s.content_end()
    ph: Phrase | None = None
    cue_start = v
    if lw in {"laut", "gemäß"}:
        ph = phrase_at(words, v + 1, s.b, s.lang)
        after = ph.end if ph else v + 1
    elif lw == "zufolge":
        for st in range(v - 1, max(s.a - 1, v - 8), -1):
            cand = phrase_at(words, st, v, s.lang)
            if cand is not None and cand.end == v:
                ph = cand
        if ph is None:
            return None
        cue_start, after = ph.start, v + 1
    elif lw == "nach" and v + 1 < s.b and words[v + 1].lower() in PREP_SOURCES:
        j = v + 2
        if j < s.b and words[j] == "von":
            j += 1
        ph = (
            phrase_at(words, j, s.b, s.lang)
            if (j < s.b and words[j] in DETERMINERS | {"des", "der"})
            or (j < s.b and is_cap(words[j]))
            else None
        )
        after = ph.end if ph else v + 2
    elif lw == "according" and v + 1 < s.b and words[v + 1] == "to":
        ph = phrase_at(words, v + 2, s.b, s.lang)
        after = ph.end if ph else v + 2
    elif lw == "so" and v > s.a and words[v - 1] == ",":
        ph = phrase_at(words, v + 1, s.b, s.lang)
        if ph is None or (ph.end < end and words[ph.end] not in {",", ".", "("}):
            return None
        after = ph.end
    elif lw in {"hieß", "heißt"} and v + 1 < s.b and words[v + 1] == "es":
        j = _skip_adverbials(s, v + 2)
        if j < s.b and words[j] in {"in", "aus", "von"}:
            ph = phrase_at(words, j + 1, s.b, s.lang)
        after = ph.end if ph else v + 2
    else:
        return None
    cue = " ".join(words[v : v + 2]) if lw in {"nach", "according"} else words[v]
    if cue_start == s.a or (cue_start > s.a and words[cue_start - 1] not in {","}):
        msg: tuple[int, int] | None = (after, end) if cue_start == s.a else (s.a, end)
        if cue_start == s.a and after < end and words[after] == ",":
            msg = (after + 1, end)
    else:
        msg = (s.a, cue_start - 1) if after >= end or words[after] in {",", ")"} else (s.a, end)
    if msg is not None and msg[1] <= msg[0]:
        msg = None
    return Attribution(v, cue, ph, None, msg)
