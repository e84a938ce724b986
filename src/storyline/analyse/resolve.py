"""Entity resolution inside one article: which mentions name the same entity.

Rules, in the order a reader applies them:

* titles are not names ("Herr Kim" is "Kim", "Bundesrichter Anna Roth" is Anna Roth);
* spelling and transliteration variants share a key (:mod:`storyline.analyse.names`):
  Kim Jong Un / Kim Jong-un, Schoigu / Shoigu, Wladimir / Vladimir;
* a genitive ("Putins", "Kims", "Russlands") is its base name when that is known;
* a single name part links to the most salient person of the whole article whose
  first or last part it is: the one named in full most often, then the one named
  first (what the article is about). "Kim" in an article about Kim Jong Un is Kim
  Jong Un even right after his sister Kim Yo Jong was named; Kim Jong Un, Kim Jong
  Il and Kim Yo Jong stay apart because full names must agree part by part;
* places and organisations fold German inflection ("Vereinigten Staaten",
  "Südkoreas"), and acronyms join their expansions when the article states them,
  their initials spell them, or the table of known names lists them
  (:mod:`storyline.analyse.resolve_known`);
* spans are cleaned first (:mod:`storyline.analyse.resolve_clean`): titles, roles,
  articles and genitive owners cut off, junk spans dropped, demonyms kept apart;
* roles next to a person's name ("Kremlsprecher Dmitri Peskow", "Kurt Campbell,
  der stellvertretende US-Außenminister,", "Berger ist Richterin am Landgericht")
  are kept as descriptions: appositions and predicates about that person only.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from storyline.analyse.model import Entity, EntityType, Mention, Sentence
from storyline.analyse.names import is_role_noun, name_key, name_parts, part_key, strip_genitive
from storyline.analyse.resolve_clean import Cleaned, clean_mentions
from storyline.analyse.resolve_known import (
    acronym_of,
    is_acronym,
    known,
    stated_pairs,
    strip_genitive_s,
)

_ARTICLES = frozenset("der die das des dem den ein eine einer eines einem einen the a an".split())
_WORD = re.compile(r"[\w][\w.'’-]*")
_APPOSITION_END = re.compile(r"[,;.:()–—]|\s[-–—]\s")


def entity_id(label: str, key: str) -> str:
    """Stable id for an entity first seen with this type and name key."""
    return "e" + hashlib.sha1(f"{label}:{key}".encode()).hexdigest()[:12]


@dataclass
class _Local:
    label_votes: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    key: str = ""
    parts: list[str] = field(default_factory=list)
    first_seen: int = 0
    full_mentions: int = 0  # mentions with two or more name parts: how salient a person is
    descriptions: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        votes = self.label_votes.most_common()
        best = votes[0][1]
        tied = [lab for lab, n in votes if n == best]
        return "PER" if "PER" in tied else tied[0]

    def add(self, name: str, label: str) -> None:
        self.label_votes[label] += 1
        self.names[name] += 1
        self.full_mentions += len(name_parts(name)) > 1


def _compatible(a: str, b: str) -> bool:
    return a == b or "MISC" in (a, b)


def _key(name: str, label: str) -> str:
    """Resolution key: the name key (which folds German adjective endings, so
    "Hanseatischen Kaibetriebe AG" = "Hanseatische Kaibetriebe AG"); places and
    organisations also through the table of known names ("USA" = "Vereinigte Staaten")."""
    if label == "PER":
        return name_key(name)
    row = known(name)
    return row.key if row is not None else name_key(name)


class _Resolver:
    """Two passes: full names and non-person names first, then single name parts,
    which go to the most salient person of the whole article carrying that part."""

    def __init__(self, text: str, cleaned: list[Cleaned]) -> None:
        self.text = text
        self.entities: list[_Local] = []
        self.links: list[_Local] = []
        self.used: list[str] = []
        self.merges: dict[int, _Local] = {}
        keys = {_key(c.name, c.mention.label) for c in cleaned}
        first: list[_Local | None] = []
        used: list[str] = []
        for c in cleaned:
            ent, name = self._first_pass(c, keys)
            first.append(ent)
            used.append(name)
        self._merge_acronyms()
        for c, ent, name in zip(cleaned, first, used, strict=True):
            if ent is None:
                ent, name = self._single_part(c)
            self.links.append(ent)
            self.used.append(name)

    def _by_key(self, key: str, label: str) -> _Local | None:
        for ent in self.entities:
            if ent.key == key and _compatible(ent.label, label):
                return ent
        return None

    def _new(self, key: str, name: str, label: str, position: int) -> _Local:
        ent = _Local(key=key, parts=[part_key(p) for p in name_parts(name)], first_seen=position)
        ent.label_votes[label] += 0
        self.entities.append(ent)
        return ent

    def _first_pass(self, c: Cleaned, keys: set[str]) -> tuple[_Local | None, str]:
        name, label = c.name, c.mention.label
        multi = len(name_parts(name)) > 1
        if label in ("PER", "MISC") and not multi:
            return None, name  # a single name part: second pass
        key = _key(name, label)
        ent = self._by_key(key, label)
        if ent is None and label == "PER":
            base = " ".join([*name.split()[:-1], strip_genitive(name.split()[-1])])
            if base != name and (ent := self._by_key(name_key(base), label)) is not None:
                name = base  # "Wladimir Putins" is Wladimir Putin
        if ent is None and label != "PER":
            base_name = strip_genitive_s(name)
            if base_name is not None and _key(base_name, label) in keys:
                name, key = base_name, _key(base_name, label)  # "Südkoreas" is Südkorea
                ent = self._by_key(key, label)
        if ent is None:
            ent = self._new(key, name, label, c.mention.start)
        ent.add(name, label)
        return ent, name

    def _merge_acronyms(self) -> None:
        """'KCNA' and 'Korean Central News Agency' are one entity when the text pairs them
        in parentheses or the acronym spells the name's initials."""
        names = {n: e for e in self.entities if e.label != "PER" for n in e.names}
        pairs = stated_pairs(self.text, list(names))
        for short in names:
            pairs += [(short, long) for long in names if acronym_of(short, long)]
        for short, long in pairs:
            a, b = self._current(names[short]), self._current(names[long])
            if a is b or not _compatible(a.label, b.label):
                continue
            b.label_votes.update(a.label_votes)
            b.names.update(a.names)
            b.full_mentions += a.full_mentions
            b.first_seen = min(a.first_seen, b.first_seen)
            self.entities.remove(a)
            self.merges[id(a)] = b

    def _current(self, ent: _Local) -> _Local:
        while id(ent) in self.merges:
            ent = self.merges[id(ent)]
        return ent

    def _salient(self, key: str, label: str) -> _Local | None:
        """The person the article names in full most often (then: first) with this part."""
        found = [
            e
            for e in self.entities
            if len(e.parts) > 1
            and key in (e.parts[0], e.parts[-1])
            and _compatible(e.label, label)
            and e.label == "PER"
        ]
        return min(found, key=lambda e: (-e.full_mentions, e.first_seen), default=None)

    def _single_part(self, c: Cleaned) -> tuple[_Local, str]:
        name, label = c.name, c.mention.label
        key = name_key(name)
        ent = self._salient(key, label) or self._by_key(key, label)
        if ent is None:
            base = strip_genitive(name)
            if base != name:
                bkey = part_key(base)
                ent = self._salient(bkey, label) or self._by_key(bkey, label)
                name = base if ent else name
        if ent is None:
            ent = self._new(key, name, label, c.mention.start)
        ent.add(name, label)
        return ent, name

    def resolved(self) -> list[_Local]:
        return [self._current(e) for e in self.links]


_ADJECTIVE = re.compile(r"[a-zäöüß-]+(?:e|en|er|es|em)")
# Past-tense verbs ("sagte", "reiste", "dauerte") look like adjectives in -e; role
# adjectives in -te are rare enough ("erste", "oberste") to give them up.
_VERB_LIKE = re.compile(r".*ten?")


def _description_before(sentence: str, offset: int) -> str | None:
    """Role words right before a name: "der stellvertretende US-Außenminister Kurt Campbell"."""
    words = _WORD.findall(sentence[:offset])
    if not words or not is_role_noun(words[-1]) or not words[-1][0].isupper():
        return None
    taken = [words[-1]]
    for w in reversed(words[:-1]):
        if w.lower() in _ARTICLES or len(taken) >= 5:
            break
        if w[0].islower() and _ADJECTIVE.fullmatch(w) and not _VERB_LIKE.fullmatch(w):
            taken.insert(0, w)
        elif w[0].isupper() and w.endswith("s") and len(taken) == 1:
            taken.insert(0, w)  # genitive: "Nordkoreas Führer"
        else:
            break
    return " ".join(taken)


# "Berger ist Richterin am Landgericht", "Ferri was the agency's spokesman": a copula
# right after the name makes the name the subject and what follows a predicate about it.
_COPULA = re.compile(r"\s+(?:ist|war|wurde|is|was|became)\s+")


def _description_after(sentence: str, offset: int) -> str | None:
    """An apposition ("Kurt Campbell, der stellvertretende US-Außenminister,") or a
    predicate ("Anna Berger ist Richterin am Landgericht") right after the name."""
    rest = sentence[offset:]
    copula = _COPULA.match(rest)
    if copula:
        body = rest[copula.end() :]
    elif rest.startswith(","):
        body = rest[1:]
    else:
        return None
    end = _APPOSITION_END.search(body)
    phrase = (body[: end.start()] if end else body).strip()
    words = phrase.split()
    if not words or len(words) > 14:
        return None
    had_article = words[0].lower() in _ARTICLES
    if had_article:
        words = words[1:]
    if not words or not any(is_role_noun(w.strip(".,")) for w in words[:4]):
        return None
    if words[0][0].islower() and not had_article:
        return None  # a verb or clause ("sagte er …"), not an apposition
    return " ".join(words)


def _sentence_at(sentences: list[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def _descriptions(sentences: list[Sentence], c: Cleaned, genitive: bool) -> list[str]:
    """Roles of a person from this mention: a title cut from its span, role words right
    before it or an apposition after it. A genitive ("Präsident Kims verstorbenen Vater")
    is the owner of the next noun, so the words around it describe someone else."""
    out = [c.role] if c.role else []
    m = c.mention
    sent = _sentence_at(sentences, m.start)
    if sent is None or genitive:
        return out
    desc = _description_before(sent.text, m.start - sent.start) or _description_after(
        sent.text, m.end - sent.start
    )
    return [*out, desc] if desc else out


def resolve_mentions(
    text: str, sentences: list[Sentence], mentions: list[Mention]
) -> tuple[list[Mention], list[Entity]]:
    """Link mentions to article-level entities; return mentions with entity ids and the entities.

    Mentions come back cleaned (:mod:`storyline.analyse.resolve_clean`): spans
    without titles and articles, a name the tagger cut in two joined, junk dropped.
    """
    cleaned = clean_mentions(text, mentions)
    resolver = _Resolver(text, cleaned)
    links = resolver.resolved()
    for c, ent, used in zip(cleaned, links, resolver.used, strict=True):
        if "PER" in (ent.label, c.mention.label):
            genitive = used != c.name  # linked through its base form: "Kims" is Kim's
            for desc in _descriptions(sentences, c, genitive):
                if desc not in ent.descriptions:
                    ent.descriptions.append(desc)
    ids: dict[int, str] = {}
    entities: list[Entity] = []
    for local in resolver.entities:
        label = local.label
        name = _display_name(local.names, label)
        eid = entity_id(label, name_key(name))
        ids[id(local)] = eid
        aliases = sorted(n for n in local.names if n != name)
        etype: EntityType = label  # type: ignore[assignment]
        entities.append(Entity(eid, name, etype, aliases, list(local.descriptions)))
    resolved = [
        replace(c.mention, label=_label(c.mention.label, ent.label), entity=ids[id(ent)])
        for c, ent in zip(cleaned, links, strict=True)
    ]
    return resolved, entities


def described_entity(phrase: str, entities: list[Entity]) -> str | None:
    """The one person of the article a role phrase names ("der nordkoreanische Führer" when
    the article described Kim Jong Un as "nordkoreanischen Führer"), else None.

    Why: quotes are often attributed to a role ("sagte der nordkoreanische Führer"); a
    reader knows who that is from the apposition earlier in the article. Only an exact
    match (articles dropped, adjective endings folded) with exactly one person counts.
    """
    words = [w for w in phrase.split() if w.lower() not in _ARTICLES]
    if not words or not is_role_noun(words[-1]):
        return None
    key = name_key(" ".join(words))
    found = {
        e.id
        for e in entities
        if e.type == "PER" and any(name_key(d) == key for d in e.descriptions)
    }
    return found.pop() if len(found) == 1 else None


def _display_name(counts: Counter[str], label: str) -> str:
    """The name shown for an entity: the fullest written form, most frequent first.

    A place or organisation from the table of known names shows the table's name when
    the article wrote it ("USA" over "Vereinigten Staaten"); genitives ("Südkoreas")
    and acronyms give way to the base form and the expansion.
    """
    names = list(counts)
    if label != "PER":
        row = next((r for n in names if (r := known(n)) is not None), None)
        if row is not None and (shown := [n for n in names if n in (row.german, row.english)]):
            return shown[0]
        bases = [n for n in names if (b := strip_genitive_s(n)) is None or b not in counts]
        names = bases or names
    multi = [n for n in names if len(n.split()) > 1 and not is_acronym(n)]
    return max(multi or names, key=lambda n: (len(name_parts(n)), counts[n]))


def _label(mention: str, entity: str) -> EntityType:
    """A mention keeps its own label unless its entity is a person and it was MISC."""
    out = entity if mention == "MISC" and entity == "PER" else mention
    return out  # type: ignore[return-value]
