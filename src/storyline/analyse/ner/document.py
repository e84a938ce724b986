"""Document-level passes over the CRF's sentence-by-sentence mentions.

Why: the CRF sees one sentence at a time, so it may call "Putin" PER in one
sentence and LOC in the next, or miss a bare surname or genitive ("Putins",
"Kims") that the article introduced as part of a full name. A news article
names its people and places consistently, so the article itself is the best
evidence: we vote per name, pass PER to every part of a full name, and tag
untagged repeats. Junk (ALL-CAPS headlines, image credits, site furniture
such as "Related Posts") is kept out before anything is tagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import cast

from storyline.analyse.dates_lex import WEEKDAYS
from storyline.analyse.model import EntityType, Mention, Sentence, Token
from storyline.analyse.ner.features import frequency_features, gazetteer
from storyline.analyse.sentences import tokenize
from storyline.clean.published import MONTHS

# Words that are never (part of) a name on their own, even capitalised at a sentence start.
_STOP = frozenset(
    """
    der die das den dem des ein eine einer einen einem eines im am an auf aus bei mit nach von
    vom zu zum zur in und oder aber doch auch nur noch schon so wie als wenn dass ob für gegen
    er sie es wir ihr ich du man sein seine ihre ihr dieser diese dieses jener jede jeder alle
    the a an of in on at to for by with from and or but he she it we they you i his her its their
    this that these those there here what when where why how who which mr mrs ms dr prev next
    """.split()
)
# Articles that belong to names when the tagger includes them ("Die Linke", "The Guardian").
_KEEP_HEAD = frozenset({"die", "der", "das", "the"})
# Role nouns: after "Herr"/"Frau" these are forms of address, not names ("Herr Präsident").
_ROLES = tuple(
    """
    präsident präsidentin minister ministerin kommissar kommissarin meister meisterin
    abgeordneter abgeordnete kanzler kanzlerin vorsitzender vorsitzende sprecher sprecherin
    botschafter botschafterin kollege kollegin berichterstatter berichterstatterin doktor
    professor professorin direktor direktorin pfarrer president minister speaker chairman
    schriftsteller schriftstellerin autor autorin trainer trainerin chef chefin sänger sängerin
    spieler spielerin leiter leiterin experte expertin führer sprecher general senator
    gouverneur vater mutter sohn tochter bruder schwester ehemann ehefrau witwe onkel tante enkel
    """.split()
)
# Common nouns that head a place description ("Hafenstadt Wladiwostok", "Ostküste Russlands").
_PLACE_HEADS = tuple(
    """
    stadt küste region provinz metropole gemeinde hafen bezirk dorf grenze ufer insel halbinsel
    nachbarland staat kapitale zeitung sender agentur nachrichtenagentur magazin konzern firma
    """.split()
)
_ADJECTIVE = ("ische", "ischen", "ischer", "isches", "ischem")
# Lower-case words that may stand inside a name ("Institut für Weltwirtschaft", "Côte des Somalis").
_CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)
_INNER = frozenset(
    "für und der die das des dem den am an im in zu zur zum vom von van of and the de la le "
    "del di da du des los las el y e et bin al".split()
)
# Name particles that may stand lower-case inside a name; not a name part to propagate.
_PARTICLES = frozenset("von van de da di del la le zu und bin al el ibn".split())
# Titles after which a capitalised word is a person ("Herr Kim", "Frau Voigt").
_TITLES = frozenset("Herr Herrn Frau Mr Mrs Ms Mr. Mrs. Ms.".split())
# Legal forms that end a company's full name: the bare name before one ("Velmora" after
# "Velmora AG") is that company in the same article, whatever a sentence's tagger said.
_LEGAL_FORMS = frozenset(
    "AG GmbH SE KG KGaA OHG eG e.V. Inc Inc. Ltd Ltd. Corp Corp. Co. LLC plc PLC SA S.A. NV N.V. "
    "BV B.V. Group Gruppe Holding Konzern".split()
)
# Site furniture and credit words that must not be entities (compared case-insensitively).
JUNK_NAMES = frozenset(
    """
    related posts|related articles|on key|read more|mehr zum thema|weiterlesen|newsletter|
    anzeige|werbung|kommentare|teilen|share|tweet|login|startseite|home|menü|menu|cookies|
    impressum|datenschutz|agb|copyright|foto|fotos|bild|bilder|video|live|ticker|update|
    podcast|symbolbild|titelbild|quelle|image|photo|credit|getty images|picture alliance|
    imago|shutterstock
    """.replace("\n", "").split("|")
)
_CREDIT_LINE = re.compile(
    r"^\W*(?:Foto|Fotos|Bild|Bilder|Bildquelle|Quelle|Symbolbild|Titelbild|Grafik|Image|Images"
    r"|Photo|Photos|Credit|Credits|Copyright|Picture|©)\b\s*[:/©|]",
    re.IGNORECASE,
)
_CREDIT_INLINE = re.compile(
    r"[(\[][^()\[\]\n]{0,160}\b(?:Foto|Fotos|Bild|Quelle|Image|Photo|Photos|Credit|Pool|Datei"
    r"|File)\b[^()\[\]\n]{0,160}[)\]]"
    r"|(?:Foto|Bild|Bildquelle|Image|Photo|Credit)s?\s*:\s*[^\n.]*$"
    r"|©\s*[^\n.]*",
    re.IGNORECASE,
)


@dataclass
class Tokens:
    """One tagged sentence: its tokens (offsets into the text)."""

    sentence: Sentence
    tokens: list[Token]


#: the last article's taggable sentences: the entity and the quote tagger both ask for
#: them, and tokenising a long article twice was a tenth of its analysis
_LAST_TAGGABLE: dict[tuple[Sentence, ...], list[Tokens]] = {}


def taggable(sentences: list[Sentence]) -> list[Tokens]:
    """The sentences a tagger reads (junk lines skipped, empty ones too), tokenised."""
    key = tuple(sentences)
    found = _LAST_TAGGABLE.get(key)
    if found is None:
        found = []
        for sent in sentences:
            if skip_sentence(sent):
                continue
            toks = tokenize(sent.text, sent.start)
            if toks:
                found.append(Tokens(sent, toks))
        _LAST_TAGGABLE.clear()
        _LAST_TAGGABLE[key] = found
    return [Tokens(t.sentence, list(t.tokens)) for t in found]  # the caller's to change


def skip_sentence(sentence: Sentence) -> bool:
    """True for lines we never tag: ALL-CAPS headlines and image-credit lines."""
    if _CREDIT_LINE.match(sentence.text):
        return True
    words = [w for w in re.findall(r"[^\W\d_]{2,}", sentence.text)]
    if len(words) >= 3:
        upper = sum(1 for w in words if w.isupper())
        if upper >= 0.7 * len(words):
            return True
    return False


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of image credits inside lines ("(Foto: dpa/Max Muster)")."""
    return [(m.start(), m.end()) for m in _CREDIT_INLINE.finditer(text)]


def _base(word: str) -> str:
    """Genitive base: 'Putins' -> 'Putin', "Kims'" -> 'Kim'; other words unchanged."""
    if len(word) > 3 and word.endswith(("'s", "’s")) and word[0].isupper():
        return word[:-2]
    if len(word) > 3 and word[-1] in "s'’" and word[0].isupper():
        return word[:-1].rstrip("s") if word.endswith(("s'", "s’")) else word[:-1]
    return word


def _is_name_token(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _STOP and not word.isdigit()


def clean(mentions: list[Mention], text: str) -> list[Mention]:
    """Drop junk and credits; trim stop words a mention starts with ("Die Linke" stays)."""
    credits = credit_spans(text)
    out: list[Mention] = []
    for whole in mentions:
        if whole.text.lower() in JUNK_NAMES or any(s <= whole.start < e for s, e in credits):
            continue
        if whole.text.lower() in _CALENDAR_WORDS:
            continue  # "Tuesday", "März": dates, not names
        for piece in _split(whole, text):
            m = _clean_one(piece, text)
            if m is not None:
                out.append(m)
    return out


def _split(m: Mention, text: str) -> list[Mention]:
    """Split a mention at lower-case words that never stand inside a name.

    "Detlef Untermann ließ Blaszkiewitz" is two names; "Bundesamt für Migration",
    "Côte des Somalis" and "Kim Jong-un" are one. Lower-case words at either end go.
    """
    toks = tokenize(m.text, m.start)
    gaz = gazetteer().single
    pieces: list[list[Token]] = [[]]
    out: list[Mention] = []
    for i, t in enumerate(toks):
        if t.text == ",":
            pieces.append([])  # "Elbe, the German Bight"
        elif t.text[:1].islower() and t.text not in _INNER and "-" not in t.text:
            pieces.append([])
        elif m.label == "PER" and i > 0 and gaz.get(t.text) is None and _is_role(t.text):
            pieces.append([])  # "Kims Vater Kim Jong Il"
        elif m.label == "PER" and gaz.get(_base(t.text)) == "COUNTRY":
            out.append(Mention(t.start, t.end, t.text, "LOC"))  # "Kim Russland"
            pieces.append([])
        else:
            pieces[-1].append(t)
    if len(pieces) == 1:
        return [m]
    for piece in pieces:
        while piece and piece[-1].text[:1].islower():
            piece.pop()
        while piece and piece[0].text[:1].islower() and piece[0].text not in _PARTICLES:
            piece.pop(0)
        if piece and any(t.text[:1].isupper() for t in piece):
            start, end = piece[0].start, piece[-1].end
            out.append(Mention(start, end, text[start:end], m.label))
    return out


def _clean_one(m: Mention, text: str) -> Mention | None:
    """One mention after junk checks: cut, trimmed of roles and stop words, or None."""
    cut = _cut(m, text)
    if cut is None:
        return None
    m = cut
    parts = m.text.split(None, 1)  # any white space, NBSP included
    first, rest = parts[0], parts[1] if len(parts) > 1 else ""
    if first[:1].islower() and first not in _PARTICLES and not first.startswith("al-"):
        return None  # "bayerische", "europäischen": derivations, not names
    if not rest and m.text.lower().endswith(_ADJECTIVE):
        return None
    if not rest and gazetteer().single.get(m.text) is None and _is_head(m.text):
        return None  # "Grenzstadt", "Sprecher": a description, not a name
    if rest:
        m = _trim_roles(m, text)
    if rest and len(first) > 1 and first.lower() in _STOP and first.lower() not in _KEEP_HEAD:
        start = m.start + len(first) + 1
        m = Mention(start, m.end, text[start : m.end], m.label)
    elif not rest and m.text.lower() in _STOP:
        return None
    return m


def _cut(m: Mention, text: str) -> Mention | None:
    """Cut a mention at a colon, semicolon or bar and at an inner title ("Kim Herrn Putin").

    Names do not run across these; keeping the first part loses least.
    """
    body = m.text
    for sep in (":", ";", "|", " Herrn ", " Herr ", " Frau ", " Mr. ", " Mrs. "):
        k = body.find(sep)
        if k > 0:
            body = body[:k].rstrip()
    words = body.split(" ")
    k = 0
    while k < len(words) - 1 and words[k] in _TITLES:
        k += 1
    start = m.start + sum(len(w) + 1 for w in words[:k])
    end = m.start + len(body)
    if end <= start or text[start:end] in _TITLES:
        return None
    return m if (start, end) == (m.start, m.end) else Mention(start, end, text[start:end], m.label)


def _trim_roles(m: Mention, text: str) -> Mention:
    """Strip role nouns and place heads the tagger put before a name.

    "Ölminister Ali al-Nuaimi", "Hafenstadt Wladiwostok", "Zeitung Wedomosti": a
    leading word goes when it ends like a role or head noun, or (PER) when it is a
    common German word that English does not use and no list knows as a name.
    """
    toks = tokenize(m.text, m.start)
    gaz = gazetteer().single
    k = 0
    while k < len(toks) - 1:
        w = toks[k].text
        lw = w.lower()
        if gaz.get(w) is None and (
            lw.endswith(_ROLES + _PLACE_HEADS) or (m.label == "PER" and _common_german(lw))
        ):
            k += 1
        else:
            break
    if k == 0:
        return m
    start = toks[k].start
    return Mention(start, m.end, text[start : m.end], m.label)


def _is_head(word: str) -> bool:
    feats = frequency_features(word.lower())
    rare_in_english = not feats or int(feats[1][4:]) <= 1
    return word.lower().endswith(_ROLES + _PLACE_HEADS) and rare_in_english


def _is_role(word: str) -> bool:
    return word.lower().endswith(_ROLES) and len(word) > 4


def _common_german(lower: str) -> bool:
    feats = frequency_features(lower)
    if not feats:
        return False
    zde, zen = int(feats[0][4:]), int(feats[1][4:])
    return zde >= 3 and zen <= 1


_ORG_HEADS = frozenset(
    """
    Institution Institute Union University College Council Ministry Department Party Agency
    Company Corporation Corp Inc Ltd Group Bank Foundation Association Committee Commission
    Organization Organisation Office Agency Court Parliament Senate Army Navy Police Times Post
    News Network Airlines Airways Motors Museum School Club FC League Federation Fund
    """.split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)
_ORG_INNER = frozenset({"of", "for", "and", "the", "&"})


def name_rules(
    text: str, sents: list[Tokens], mentions: list[Mention], lang: str | None
) -> list[Mention]:
    """Add what the German-trained CRF misses but the word lists make plain.

    English only, where the CRF never saw the context words: a known first name
    followed by a capitalised word that is not a common word is a person ("Joe
    Biden"); a capitalised run ending in an organisation word is an ORG ("Brookings
    Institution", "European Union"). In German the same first-name rule cost
    precision on held-out GermEval, so it is off there.
    """
    if lang != "en":
        return mentions
    gaz = gazetteer().single
    covered = {i for m in mentions for i in range(m.start, m.end)}
    out = list(mentions)
    for st in sents:
        toks = st.tokens
        for i in range(len(toks) - 1):
            a, b = toks[i], toks[i + 1]
            if a.start in covered or b.start in covered or gaz.get(a.text) != "FIRST":
                continue
            if a.text.lower() in _STOP or b.text.lower() in _CALENDAR:
                continue
            if not _is_name_token(b.text) or b.text.isupper() or gaz.get(b.text) == "FIRST":
                continue
            if _common_german(b.text.lower()) or _common_english(b.text.lower()):
                continue
            if i and toks[i - 1].text.lower() in ("der", "die", "das", "the", "den", "dem"):
                continue
            out.append(Mention(a.start, b.end, text[a.start : b.end], "PER"))
            covered.update(range(a.start, b.end))
        for j, tok in enumerate(toks):
            if tok.text not in _ORG_HEADS or tok.start in covered or j == 0:
                continue
            k = j
            while k > 0 and (
                (toks[k - 1].text[:1].isupper() and toks[k - 1].text.lower() not in _STOP)
                or (toks[k - 1].text in _ORG_INNER and k > 1 and toks[k - 2].text[:1].isupper())
            ):
                if toks[k - 1].start in covered:
                    break
                k -= 1
            if k < j:
                out.append(Mention(toks[k].start, tok.end, text[toks[k].start : tok.end], "ORG"))
                covered.update(range(toks[k].start, tok.end))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _common_english(lower: str) -> bool:
    feats = frequency_features(lower)
    return bool(feats) and int(feats[1][4:]) >= 5


def harmonise(text: str, sents: list[Tokens], mentions: list[Mention]) -> list[Mention]:
    """Make labels consistent across the article and tag untagged repeats of known names."""
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for m in mentions:
        votes[m.text][m.label] += 1.0
        if " " not in m.text and _base(m.text) != m.text:
            votes[_base(m.text)][m.label] += 0.5
        head, dash, _ = m.text.partition("-")
        if dash and " " not in m.text and _is_name_token(head) and m.label != "MISC":
            # "Velmora-Belegschaft" (ORG) is half a vote that "Velmora" is the organisation
            votes[head][m.label] += 0.5
    person_parts: set[str] = set()
    places = gazetteer().single
    for m in mentions:
        words = m.text.split()
        if m.label == "PER" and len(words) >= 2:
            for w in words:
                # a known country or city inside a PER span is the tagger's mistake ("Kim Russland")
                if (
                    _is_name_token(w)
                    and w not in _PARTICLES
                    and w not in _TITLES
                    and places.get(w) not in ("COUNTRY", "CITY")
                ):
                    person_parts.add(_base(w))

    companies = {
        _base(words[0])
        for m in mentions
        if m.label == "ORG"
        for words in [m.text.split()]
        if len(words) == 2 and words[1] in _LEGAL_FORMS and _is_name_token(words[0])
    }

    def label_for(name: str) -> str | None:
        if " " not in name and (name in companies or _base(name) in companies):
            return "ORG"  # before the person rule: "Velmora AG" outweighs "Velmora sagte"
        if " " not in name and (name in person_parts or _base(name) in person_parts):
            return "PER"
        c = votes.get(name) or votes.get(_base(name))
        if not c:
            return None
        best = max(c.values())
        tied = [lab for lab, n in c.items() if n == best]
        return "PER" if "PER" in tied else tied[0]

    out = [Mention(m.start, m.end, m.text, _label(label_for(m.text) or m.label)) for m in mentions]
    covered = {i for m in out for i in range(m.start, m.end)}
    multi: dict[str, list[list[str]]] = defaultdict(list)
    for name in votes:
        words = name.split()
        if len(words) > 1:
            multi[words[0]].append(words)
    credits = credit_spans(text)
    for st in sents:
        toks = st.tokens
        for i, tok in enumerate(toks):
            if tok.start in covered or not _is_name_token(tok.text):
                continue
            if any(s <= tok.start < e for s, e in credits):
                continue
            end = _multi_match(toks, i, multi.get(tok.text, []))
            if end is not None:
                name = text[tok.start : toks[end].end]
                if not any(p in covered for p in range(tok.start, toks[end].end)):
                    out.append(Mention(tok.start, toks[end].end, name, _label(label_for(name))))
                    covered.update(range(tok.start, toks[end].end))
                continue
            label = label_for(tok.text) if tok.text.lower() not in JUNK_NAMES else None
            prev = toks[i - 1].text if i else ""
            if (
                label is None
                and prev in _TITLES
                and not tok.text.isupper()
                and not tok.text.lower().endswith(_ROLES)
            ):
                label = "PER"
            if label is not None:
                out.append(Mention(tok.start, tok.end, tok.text, _label(label)))
                covered.update(range(tok.start, tok.end))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _multi_match(toks: list[Token], i: int, candidates: list[list[str]]) -> int | None:
    for words in sorted(candidates, key=len, reverse=True):
        n = len(words)
        if [t.text for t in toks[i : i + n]] == words:
            return i + n - 1
    return None


def _label(label: str | None) -> EntityType:
    return cast(EntityType, label or "MISC")


def article_passes(
    text: str, sents: list[Tokens], mentions: list[Mention], lang: str | None
) -> list[Mention]:
    """What every tagger's sentence-level mentions go through: junk cleaned, the name
    rules, one label per name across the article, junk cleaned again."""
    mentions = name_rules(text, sents, clean(mentions, text), lang)
    return clean(harmonise(text, sents, mentions), text)
