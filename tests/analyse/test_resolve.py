"""Entity resolution inside one article, with hand-made mentions."""

from __future__ import annotations

from storyline.analyse.model import Entity, Mention
from storyline.analyse.resolve import resolve_mentions
from storyline.analyse.sentences import split_sentences


def _resolve(text: str, names: list[tuple[str, str]]) -> tuple[list[Mention], list[Entity]]:
    mentions, pos = [], 0
    for name, label in names:
        i = text.index(name, pos)
        mentions.append(Mention(i, i + len(name), name, label))  # type: ignore[arg-type]
        pos = i + len(name)
    return resolve_mentions(text, split_sentences(text), mentions)


def _name_of(mention: Mention, entities: list[Entity]) -> str:
    return next(e.name for e in entities if e.id == mention.entity)


TEXT = (
    "Der russische Präsident Wladimir Putin empfing Kim Jong Un. Putins Gast lachte. "
    "Später traf Herr Kim auch Kim Jong Il, den Vater. Kim schwieg. Kim Jong-un reiste ab."
)
NAMES = [
    ("Wladimir Putin", "PER"),
    ("Kim Jong Un", "PER"),
    ("Putins", "PER"),
    ("Herr Kim", "PER"),
    ("Kim Jong Il", "PER"),
    ("Kim", "PER"),
    ("Kim Jong-un", "PER"),
]


def test_resolve_surname_genitive_and_variants_link_to_full_name() -> None:
    mentions, entities = _resolve(TEXT, NAMES)
    names = [_name_of(m, entities) for m in mentions]
    assert names == [
        "Wladimir Putin",
        "Kim Jong Un",
        "Wladimir Putin",
        "Kim Jong Un",
        "Kim Jong Il",
        "Kim Jong Un",  # the bare "Kim" is the article's salient Kim (named in full twice)
        "Kim Jong Un",
    ]


def test_resolve_kims_stay_apart() -> None:
    _, entities = _resolve(TEXT, NAMES)
    kims = sorted(e.name for e in entities if e.name.startswith("Kim"))
    assert kims == ["Kim Jong Il", "Kim Jong Un"]


def test_resolve_bare_name_without_full_name_stays_its_own_entity() -> None:
    _, entities = _resolve("Kim kam spät. Kim ging früh.", [("Kim", "PER"), ("Kim", "PER")])
    assert [e.name for e in entities] == ["Kim"]


def test_resolve_transliteration_variants_merge() -> None:
    text = "Sergej Schoigu flog nach Pjöngjang. Shoigu sagte in Pyongyang wenig."
    mentions, entities = _resolve(
        text,
        [("Sergej Schoigu", "PER"), ("Pjöngjang", "LOC"), ("Shoigu", "PER"), ("Pyongyang", "LOC")],
    )
    assert len(entities) == 2
    assert mentions[0].entity == mentions[2].entity and mentions[1].entity == mentions[3].entity


def test_resolve_roles_become_descriptions() -> None:
    text = (
        "Kremlsprecher Dmitri Peskow schwieg. Kurt Campbell, der stellvertretende US-Außenminister, "
        "warnte. Jane Roe, Professorin an der Universität Hamburg, widersprach. Campbell sagte, er "
        "bleibe."
    )
    _, entities = _resolve(
        text,
        [
            ("Dmitri Peskow", "PER"),
            ("Kurt Campbell", "PER"),
            ("Jane Roe", "PER"),
            ("Campbell", "PER"),
        ],
    )
    desc = {e.name: e.descriptions for e in entities}
    assert desc["Dmitri Peskow"] == ["Kremlsprecher"]
    assert desc["Kurt Campbell"] == ["stellvertretende US-Außenminister"]
    assert desc["Jane Roe"] == ["Professorin an der Universität Hamburg"]


def test_resolve_clause_after_comma_is_not_a_description() -> None:
    text = "„Wir kommen“, sagte Jane Roe, sagte sie dem Minister."
    _, entities = _resolve(text, [("Jane Roe", "PER")])
    assert entities[0].descriptions == []


def test_resolve_entity_ids_are_stable() -> None:
    a = _resolve(TEXT, NAMES)[1]
    b = _resolve(TEXT, NAMES)[1]
    assert [e.id for e in a] == [e.id for e in b]
