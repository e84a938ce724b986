"""Deterministic generator of a large, fictional, labelled news corpus for clustering benchmarks.

    python -m bench.gen_corpus --n 10000 --out DIR [--seed 7]

writes DIR/articles/NNNNN.txt (title, blank line, paragraphs) and DIR/truth.jsonl (story, event,
outlet, language, publication date, duplicate source); generate() does the same from Python.

Why it looks like this: storyline clusters on multilingual embeddings of title and lead, shared
entities, and resolved dates and figures, so the corpus makes each signal necessary, none enough.
About n/20 stories in 12 domains have 2-6 events each, 20+ days apart, in 2023-2025. Stories of
one domain share its vocabulary but never their protagonists (invented people, organisations,
brands): topic alone must not merge them. Events of one story share protagonists but not what
happened, its figures or its date: entities alone must not merge them. Articles of one event share
key entities and figures but vary the wording (lead forms; German clauses rebuilt as main,
inverted, subordinate and pluperfect clauses; synonyms; shuffled details, quotes and background
sentences that recall earlier events with absolute or relative dates; datelines and weekdays
relative to publication; per-article secondary figures). Coverage is skewed (most events 2-5
articles, a few 20+); ~70 % German, ~25 % English, ~5 % short French/Spanish/Italian pieces;
~3 % syndicated copies (same text, other outlet and debris); 0-4 scraping debris lines each.
All randomness comes from random.Random(seed) and per-article generators seeded with
(seed, file name), with ordered iteration only: the output is byte-identical per seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import string
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bench import corpus_templates as T

START, END = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
LANGS, LANG_WEIGHTS = ("de", "en", "fr", "es", "it"), (70, 25, 2, 2, 1)
DUPLICATE_SHARE = 0.03
EVENT_COUNTS, EVENT_COUNT_WEIGHTS = (2, 3, 4, 5, 6), (20, 30, 25, 15, 10)
DELAY_WEIGHTS = (55, 33, 12)  # published 0, 1 or 2 days after the event
JUNK_COUNT_WEIGHTS = (20, 30, 25, 15, 10)  # 0..4 junk lines
CHOICE = re.compile(r"\[([^\[\]]*)\]")
SPACE_BEFORE_STOP = re.compile(r"\s+([.,])")
AN = re.compile(r"\b([Aa]) (?=€?(?:8[\d,.]*|1[18](?:[.,]\d+)*)\b)")  # "an 8 %", "an 11-hour"
MARK = re.compile("\x01(\\d)\x02")  # a speaker, named once the sentence order is final
PLUPERFECT = {"hat": "hatte", "ist": "war", "haben": "hatten", "sind": "waren"}


@dataclass
class Person:
    first: str
    last: str
    female: bool
    role: T.Role

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def title(self, lang: str) -> str:
        return self.role[2] if lang != "de" else self.role[1] if self.female else self.role[0]


@dataclass
class Story:
    sid: str
    key: str
    domain: T.Domain
    weight: float
    slots: dict[str, dict[str, str]]  # per language: names, roles, organisations, topic
    people: list[Person]
    events: list[Event] = field(default_factory=list)


@dataclass
class Event:
    eid: str
    story: Story
    kind: int
    date: dt.date
    figs: dict[str, float]
    weight: float


@dataclass
class Article:
    event: Event
    lang: str
    outlet: str
    published: dt.date
    source: Article | None = None  # set on syndicated copies
    file: str = ""


class Names:
    """Invented words and people, never handed out twice in one corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.words, self.surnames, self.people = rng, set[str](), set[str](), set[str]()

    def word(self) -> str:
        r, w, tries = self.rng, "", 0
        while not w or w in self.words:  # a third syllable once short words get scarce
            w = r.choice(T.WORD_START) + r.choice(T.WORD_MID) + r.choice(T.WORD_END)
            w += r.choice(T.WORD_END) if tries > 50 else ""
            tries += 1
        self.words.add(w)
        return w

    def storm(self) -> str:
        free = [f for f in T.FIRST_F + T.FIRST_M if f not in self.words]
        name = self.rng.choice(free) if free else self.word()
        self.words.add(name)
        return name

    def person(self, role: T.Role, taken: list[Person]) -> Person:
        r, female = self.rng, self.rng.random() < 0.5
        first = r.choice([f for f in (T.FIRST_F if female else T.FIRST_M)
                          if f not in {p.first for p in taken}])
        for attempt in range(200):  # a surname is shared only once the pools run dry
            stems, ends = r.choices(T.SURNAME_PARTS, weights=(60, 30, 10))[0]
            last = r.choice(stems) + r.choice(ends)
            if (last not in self.surnames or attempt > 60) and f"{first} {last}" not in self.people:
                break
        self.surnames.add(last)
        self.people.add(f"{first} {last}")
        return Person(first, last, female, role)


def number(v: float, lang: str, decimals: int = 0) -> str:
    thousands, point = T.SEPARATORS[lang]
    return f"{v:,.{decimals}f}".replace(",", "\0").replace(".", point).replace("\0", thousands)


def singular_fr(text: str, lang: str, v: float) -> str:
    return re.sub(r"(milli(?:on|ard))s", r"\1", text) if lang == "fr" and v < 2 else text


def count(n: float, lang: str) -> str:
    m = n / 1e6
    if m < 1:
        return number(n, lang)
    return singular_fr(T.MILLIONS[lang].format(x=number(m, lang, 1 if m < 10 else 0)), lang, m)


def money(m: float, lang: str, symbol: bool) -> str:
    """An amount given in millions of euros, written the way each language writes it."""
    forms = T.EUROS["en€" if lang == "en" and symbol else lang]
    if m < 1:
        return forms[0].format(x=number(m * 1e6, lang))
    v = m / 1000 if m >= 1000 else m
    text = forms[2 if m >= 1000 else 1].format(x=number(v, lang, 1 if v < 10 else 0))
    return singular_fr(text, lang, v)


def round_count(v: float) -> int:
    step = 1 if v < 100 else 10 if v < 1000 else 100 if v < 1e6 else 100_000
    return max(1, int(round(v / step) * step))


def round_money(m: float) -> float:
    return round(m, 2) if m < 1 else round(m, 1) if m < 10 else round(m, -2 if m >= 1000 else 0)


def log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def event_figures(rng: random.Random, domain: T.Domain, k: int) -> list[dict[str, float]]:
    """Key figures of k events; counts and amounts grow over a story (recalls widen, costs rise)."""
    rg = domain.ranges
    ns = sorted(round_count(log_uniform(rng, *rg["n"])) for _ in range(k))
    eurs = sorted(round_money(log_uniform(rng, *rg["eur"])) for _ in range(k))
    out = []
    for n, eur in zip(ns, eurs, strict=True):
        pct = round(rng.uniform(*rg["pct"]), 1)
        out.append({"n": n, "eur": eur, "k": rng.randint(int(rg["k"][0]), int(rg["k"][1])),
                    "pct": float(round(pct)) if rng.random() < 0.4 else pct})
    return out


def figure_slots(figs: dict[str, float], lang: str, symbol: bool) -> dict[str, str]:
    pct = figs["pct"]
    return {"n": count(figs["n"], lang), "eur": money(figs["eur"], lang, symbol),
            "eura": money(figs["eur"], lang, True),  # attributive: "a €12 million bid"
            "k": str(int(figs["k"])), "pct": number(pct, lang, 0 if pct == int(pct) else 1)}


def make_story(rng: random.Random, names: Names, sid: str, key: str) -> Story:
    domain, city = T.DOMAINS[key], rng.choice(T.CITIES)
    people: list[Person] = []
    for role in domain.roles[: rng.choices((2, 3, 4), (25, 50, 25))[0]]:
        people.append(names.person(role, people))
    used = " ".join(p for group in (*domain.orgs, domain.things) for p in group)
    parts = {"C": re.sub("[aeiou]+$", "", names.word()) if "{C}" in used else "",  # countries
             "F": names.storm() if "{F}" in used else ""}
    pairs = []  # organisations, then the thing (brand, storm, bridge), as (German, English)
    for patterns in (*domain.orgs, domain.things):
        if patterns:
            parts.update(W=names.word(), M=rng.choice("XVTSK") + str(rng.randint(2, 12)))
            de, _, en = rng.choice(patterns).partition("||")
            pairs.append((de.format(**parts), (en or de).format(**parts)))
    slots: dict[str, dict[str, str]] = {}
    for li, lang in enumerate(LANGS):
        side = 0 if lang == "de" else 1
        s = {"city": city[side], "label": domain.label[side],
             "unit": domain.unit[li - 2] if li > 1 else ""}
        for i, p in enumerate(pairs[:2], 1):  # fr/es/it name English forms, without "the"
            s[f"o{i}"] = p[side] if li < 2 else re.sub("^the ", "", p[1])
        if len(pairs) > 2:
            s["thing"] = pairs[2][side]
        for i, person in enumerate(people, 1):
            s[f"p{i}"], s[f"r{i}"] = person.name, person.title(lang)
        s["topic"] = domain.topic[li].format_map(s)
        slots[lang] = s
    return Story(sid, key, domain, rng.lognormvariate(0, 0.7), slots, people)


def add_events(rng: random.Random, story: Story) -> None:
    k = rng.choices(EVENT_COUNTS, EVENT_COUNT_WEIGHTS)[0]
    gaps = [rng.randint(20, 150) for _ in range(k - 1)]
    day = START + dt.timedelta(days=rng.randint(0, (END - START).days - sum(gaps) - 2))
    if k < 4:
        kinds = [0, rng.choice((1, 2, 3))] if k == 2 else [0, rng.choice((1, 2)), 3]
    else:  # each kind once, then repeats of those that can recur (another strike, a new bid)
        kinds = sorted([0, 1, 2, 3, *rng.choices(story.domain.repeatable, k=k - 4)])
    for i, (kind, figs) in enumerate(zip(kinds, event_figures(rng, story.domain, k), strict=True)):
        day += dt.timedelta(days=gaps[i - 1] if i else 0)
        story.events.append(Event(f"{story.sid}-E{i + 1}", story, kind, day, figs,
                                  rng.lognormvariate(0, 0.9)))


def allocate(total: int, weights: list[float], base: int) -> list[int]:
    """Split total into base + a share proportional to weight (largest remainder)."""
    extra = total - base * len(weights)
    raw = [extra * w / sum(weights) for w in weights]
    counts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))[: extra - sum(counts)]:
        counts[i] += 1
    return [base + c for c in counts]


def copyable(a: Article) -> bool:
    return a.lang in ("de", "en") and a.source is None


def outlets_for(lang: str, key: str) -> list[str]:
    return [o for o in T.OUTLETS[lang] if key in T.OUTLET_BEATS.get(o, (key,))]


def plan(n: int, rng: random.Random) -> list[Article]:
    """Stories, events and who covers them, in file order; no text yet."""
    if n < 2:
        raise ValueError("n must be at least 2")
    names, keys = Names(rng), sorted(T.DOMAINS)
    dups = round(DUPLICATE_SHARE * n) if n >= 20 else 0
    stories: list[Story] = []
    for i in range(max(1, round(n / 20))):  # every domain first, then at random
        key = keys[i] if i < len(keys) else rng.choice(keys)
        story = make_story(rng, names, f"S{i + 1:03d}", key)
        add_events(rng, story)
        if stories and sum(len(s.events) for s in stories) + len(story.events) > n - dups:
            break
        stories.append(story)
    del stories[0].events[max(2, n - dups):]  # only when n is tiny
    events = [e for s in stories for e in s.events]
    counts = allocate(n - dups, [e.story.weight * e.weight for e in events],
                      2 if 2 * len(events) <= n - dups else 1)
    by_event: dict[str, list[Article]] = {}
    for event, c in zip(events, counts, strict=True):
        used: set[str] = set()
        for _ in range(c):
            lang = rng.choices(LANGS, LANG_WEIGHTS)[0]
            pool = outlets_for(lang, event.story.key)
            outlet = rng.choice([o for o in pool if o not in used] or pool)
            used.add(outlet)
            day = event.date + dt.timedelta(days=rng.choices((0, 1, 2), DELAY_WEIGHTS)[0])
            by_event.setdefault(event.eid, []).append(Article(event, lang, outlet, day))
    for event in rng.choices(events, weights=counts, k=dups) if dups else []:
        src = rng.choice([a for a in by_event[event.eid] if copyable(a)]
                         or [a for e in events for a in by_event[e.eid] if copyable(a)])
        others = [o for o in outlets_for(src.lang, src.event.story.key) if o != src.outlet]
        day = min(src.published + dt.timedelta(days=rng.randint(0, 1)),
                  src.event.date + dt.timedelta(days=2))
        by_event[src.event.eid].append(Article(src.event, src.lang, rng.choice(others), day, src))
    articles = [a for e in events for a in by_event[e.eid]]
    rng.shuffle(articles)
    width = max(5, len(str(len(articles) - 1)))
    for i, a in enumerate(articles):
        a.file = f"{i:0{width}d}.txt"
    return articles


@cache
def fields(template: str) -> frozenset[str]:
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(template: str, slots: dict[str, str], rng: random.Random) -> str:
    text = template.format_map(slots)
    if "[" in text:
        text = CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    return AN.sub(r"\1n ", SPACE_BEFORE_STOP.sub(r"\1", text))


def mark(i: int) -> str:
    return f"\x01{i}\x02"


class Writer:
    """Writes one German or English article: lead, details, quotes, background, outlook."""

    def __init__(self, a: Article, rng: random.Random) -> None:
        self.a, self.rng, self.lang, self.de = a, rng, a.lang, a.lang == "de"
        self.story, self.mentioned = a.event.story, set[int]()
        self.symbol = rng.random() < 0.5
        rg, lang = self.story.domain.ranges, self.lang
        self.slots = {**self.story.slots[lang], **figure_slots(a.event.figs, lang, self.symbol)}
        self.slots.update(  # per-article secondary figures and hedges
            ca=T.HEDGE[lang], outlet=a.outlet, poll=str(rng.randint(18, 79)),
            pn=number(rng.randrange(300, 2500, 50), lang),
            xn=count(round_count(log_uniform(rng, max(10.0, rg["n"][0] / 3), 2 * rg["n"][0])),
                     lang),
            xpct=number(round(rng.uniform(*rg["pct"]), 1), lang, 1),
            xeur=money(round_money(log_uniform(rng, *rg["eur"])), lang, self.symbol),
            xk=str(rng.randint(int(rg["k"][0]), int(rg["k"][1]))))

    def fill(self, template: str, slots: dict[str, str] | None = None) -> str:
        """Fill a template; "{rN} {pN}" becomes a speaker mark, so repeats shrink to surnames."""
        for i in range(1, len(self.story.people) + 1 if "{r" in template else 1):
            template = template.replace(f"{{r{i}}} {{p{i}}}", mark(i))
        return fill(template, self.slots if slots is None else slots, self.rng)

    def clause(self, event: Event) -> dict[str, str]:
        """The event as clause parts: (subj, aux, obj, part) or (subj, past, pp, obj)."""
        slots = {**self.slots, **figure_slots(event.figs, self.lang, self.symbol)}
        kind = self.story.domain.kinds[event.kind]
        parts = [self.fill(p, slots) for p in (kind.de if self.de else kind.en)]
        if self.de:
            return dict(zip(("subj", "aux", "obj", "part"), parts, strict=True),
                        auxp=PLUPERFECT[parts[1]])
        has = "have" if kind.de[1] in ("haben", "sind") else "has"
        return dict(zip(("subj", "past", "pp", "obj"), parts, strict=True), has=has)

    def resolve(self, sentence: str) -> str:
        """Full role and name at a speaker's first mention, surname only afterwards."""

        def name(m: re.Match[str]) -> str:
            i = int(m.group(1))
            p, first = self.story.people[i - 1], i not in self.mentioned
            self.mentioned.add(i)
            return f"{p.title(self.lang)} {p.name}" if first else p.last

        return cap(MARK.sub(name, sentence))

    def when(self, d: dt.date) -> str:
        """The event day relative to publication, or an earlier event's day, in words."""
        w, pub, days = T.WHEN[self.lang], self.a.published, (self.a.published - d).days
        if d == self.a.event.date:
            opts, k = w["weekday"] * 3 + w["date"] + w["days"][days:days + 1], 0
        elif days < 330:
            k = round(days / 7) if days < 50 else round(days / 30.4)
            opts = (w["weeks"] if days < 50 else w["months"]) * 2 + w["past"]
        else:  # "last year", or "a year ago" / "two years ago"
            k = max(1, round(days / 365))
            ago = w["last year"] if pub.year - d.year == 1 else w["years"][min(k, 2) - 1:][:1]
            opts = ago * 2 + w["past"]
        return self.rng.choice(opts).format(
            wd=T.WEEKDAYS[self.lang][d.weekday()], month=T.MONTHS[self.lang][d.month - 1], d=d.day,
            y=d.year, k=T.NUMBER_WORDS[self.lang][min(k, 12)])

    def dateline(self) -> str:
        pub, city = self.a.published, self.slots["city"]
        return self.rng.choice(T.DATELINES[self.lang]).format(
            city=city, CITY=city.upper(), agency=self.rng.choice(T.AGENCIES[self.lang]),
            month=T.MONTHS[self.lang][pub.month - 1], d=pub.day, y=pub.year)

    def title(self) -> str:
        kind = self.story.domain.kinds[self.a.event.kind]
        slots = {**self.slots, "eur": self.slots["eura"]}  # headlines write "€12 million"
        t = cap(fill(kind.de_title if self.de else kind.en_title, slots, self.rng))
        forms = ["{t}", "{t}"]
        if ":" not in t:
            forms += [] if self.slots["label"].lower() in t.lower() else ["{label}: {t}"]
            forms += [] if self.slots["city"] in t else ["{city}: {t}"]
        return cap(self.rng.choice(forms).format(t=t, **self.slots))

    def lead(self) -> str:
        c, when, city = self.clause(self.a.event), self.when(self.a.event.date), self.slots["city"]
        form = self.rng.choice([f for f in (T.LEADS_DE if self.de else T.LEADS_EN)
                                if "{city}" not in f or city not in c["subj"] + c["obj"]])
        if c["obj"].startswith("sich ") and "{when} {obj}" in form:
            c["obj"], when = c["obj"][5:], f"sich {when}"  # "hat sich am Montag geeinigt"
        text = self.resolve(form.format(when=when, When=cap(when), city=city, **c))
        return f"{self.dateline()} {text}" if self.rng.random() < 0.45 else text

    def quote(self, who: int, q: str) -> str:
        said = {"q": self.fill(q), "S": mark(who)}
        form = self.rng.choice(T.QUOTE_FORMS_DE if self.de else T.QUOTE_FORMS_EN)
        return cap(fill(form, {**self.slots, **said}, self.rng))

    def said(self, template: str, who: int, extra: dict[str, str] | None = None) -> str:
        return cap(self.fill(template, {**self.slots, **(extra or {}), "S": mark(who)}))

    def background(self, most: int) -> list[str]:
        """Earlier events of the story, with absolute or relative dates, in the pluperfect."""
        frames = list(T.BACKGROUND_DE if self.de else T.BACKGROUND_EN)
        self.rng.shuffle(frames)  # no frame twice in a row
        out: list[str] = []
        for i, e in enumerate([e for e in self.story.events if e.date < self.a.event.date][-most:]):
            when = self.when(e.date)
            out.append(cap(frames[i % len(frames)].format(when=when, When=cap(when),
                                                          **self.clause(e))))
        return out

    def write(self) -> tuple[str, list[str]]:
        r, de, dom = self.rng, self.de, self.story.domain
        people = range(1, len(self.story.people) + 1)
        title, lead = self.title(), self.lead()
        core = [self.fill(d) for d in (dom.details_de if de else dom.details_en)]
        core += [self.quote(who, q) for who, q in (dom.quotes_de if de else dom.quotes_en)
                 if who in people]
        c = self.clause(self.a.event)
        outside = [i for i in people
                   if self.story.people[i - 1].last not in c["subj"] and mark(i) not in c["subj"]]
        if outside and r.random() < 0.5:
            core.append(self.said(T.CONFIRM_DE if de else T.CONFIRM_EN, r.choice(outside), c))
        extra = [self.fill(g) for g in (T.GENERIC_DE if de else T.GENERIC_EN)
                 if fields(g) <= self.slots.keys()]
        extra += [self.said(t, r.choice(people)) for t in (T.INDIRECT_DE if de else T.INDIRECT_EN)]
        extra += [self.quote(r.choice(people), q)
                  for q in r.sample(T.GENERIC_QUOTES_DE if de else T.GENERIC_QUOTES_EN, 2)]
        r.shuffle(core)
        r.shuffle(extra)
        cut, target = r.randint(1, 3), int(r.triangular(170, 650, 290))
        rest = core[cut:] + extra[: max(4, len(extra) * target // 600)]
        r.shuffle(rest)
        blocks = [[lead, *core[:1]], core[1:cut], self.background(2 + target // 200)]
        blocks += chunks(rest, (1, 2, 2, 3), r)
        blocks.append([self.fill(r.choice(T.OUTLOOK_DE if de else T.OUTLOOK_EN))])
        total, paragraphs = len(title.split()), []
        for block in blocks:  # keep sentences while under the target length, 150 words at least
            kept = []
            for s in block:
                if s == lead or total < 150 or total + len(s.split()) <= target:
                    kept.append(self.resolve(s))
                    total += len(s.split())
            if kept:
                paragraphs.append(" ".join(kept))
        return title, paragraphs


def chunks(items: list[str], sizes: tuple[int, ...], rng: random.Random) -> list[list[str]]:
    out = []
    while items:
        size = rng.choice(sizes)
        out.append(items[:size])
        items = items[size:]
    return out


def write_other(a: Article, rng: random.Random) -> tuple[str, list[str]]:
    """A short French, Spanish or Italian piece: names, date and key figures, generic wording."""
    lang, d = a.lang, a.event.date
    slots = {**a.event.story.slots[lang], **figure_slots(a.event.figs, lang, False)}
    month = T.MONTHS[lang][d.month - 1]
    slots["Date"] = {"fr": f"Le {'1er' if d.day == 1 else d.day} {month} {d.year}",
                     "es": f"El {d.day} de {month} de {d.year}",
                     "it": f"{'L' if d.day in (8, 11) else 'Il '}{d.day} {month} {d.year}"}[lang]
    title = cap(fill(rng.choice(T.OTHER_TITLES[lang]), slots, rng))
    first, *rest = (cap(fill(s, slots, rng)) for s in T.OTHER_SENTENCES[lang])
    rng.shuffle(rest)
    return title, [" ".join(p) for p in chunks([first, *rest], (2, 3), rng)]


def junk(a: Article, rng: random.Random) -> list[str]:
    slots = {"teaser": rng.choice(T.TEASERS[a.lang]), "outlet": a.outlet,
             "c": str(rng.randint(0, 240)), "year": str(a.published.year),
             "m": str(rng.randint(2, 9))}
    k = min(rng.choices(range(5), JUNK_COUNT_WEIGHTS)[0], len(T.JUNK[a.lang]))
    return [line.format_map(slots) for line in rng.sample(T.JUNK[a.lang], k)]


def assemble(title: str, paragraphs: list[str], debris: list[str], rng: random.Random) -> str:
    """Scatter debris lines over the top, the bottom and between paragraphs."""
    blocks = list(paragraphs)
    for line in debris:
        where = rng.random()
        blocks.insert(0 if where < 0.35 else len(blocks) if where < 0.8
                      else rng.randint(1, len(blocks)), line)
    return "\n\n".join([title, *blocks]) + "\n"


def render(a: Article, seed: int, texts: dict[str, tuple[str, list[str]]]) -> str:
    """The file text; texts keeps title and paragraphs of originals for their copies."""
    rng = random.Random(f"{seed}:{a.file}")
    if a.source is None:
        texts[a.file] = Writer(a, rng).write() if a.lang in ("de", "en") else write_other(a, rng)
        return assemble(*texts[a.file], junk(a, rng), rng)
    debris, theirs = junk(a, rng), junk(a.source, random.Random(f"{seed}:{a.source.file}"))
    while debris and debris == theirs:
        debris = junk(a, rng)
    return assemble(*texts[a.source.file], debris, rng)


def generate(n: int, out: Path, seed: int = 7) -> list[dict[str, str | None]]:
    """Write n articles under out/articles and out/truth.jsonl; return the truth rows."""
    articles, folder = plan(n, random.Random(seed)), Path(out) / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.txt")):  # leftovers of an earlier, larger run
        if old.stem.isdigit():
            old.unlink()
    texts: dict[str, tuple[str, list[str]]] = {}
    for a in sorted(articles, key=lambda a: (a.source is not None, a.file)):  # originals first
        (folder / a.file).write_text(render(a, seed, texts), encoding="utf-8", newline="\n")
    rows: list[dict[str, str | None]] = [
        {"file": a.file, "story": a.event.story.sid, "event": a.event.eid, "outlet": a.outlet,
         "lang": a.lang, "published": a.published.isoformat(),
         "duplicate_of_file": a.source.file if a.source else None}
        for a in sorted(articles, key=lambda a: a.file)]
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (Path(out) / "truth.jsonl").write_text(lines, encoding="utf-8", newline="\n")
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate a fictional, labelled news corpus.")
    ap.add_argument("--n", type=int, default=10_000, help="number of articles")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = generate(args.n, args.out, args.seed)
    dups = sum(r["duplicate_of_file"] is not None for r in rows)
    print(f"{len(rows)} articles, {len({r['story'] for r in rows})} stories, "
          f"{len({r['event'] for r in rows})} events, {dups} duplicates -> {args.out} "
          f"in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
