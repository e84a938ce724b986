"""Resolution of issue 14 with hand-made text: salience, acronyms, the table of known
names, inflection, cleaned spans, junk spans and descriptions. Every text here was
written for these tests."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.analyse.model import Entity, Mention
from storyline.analyse.resolve import resolve_mentions
from storyline.analyse.resolve_clean import clean_mention
from storyline.analyse.resolve_known import acronym_of, initials, is_acronym, stated_pairs
from storyline.analyse.sentences import split_sentences


def _resolve(text: str, names: list[tuple[str, str]]) -> tuple[list[Mention], list[Entity]]:
    mentions, pos = [], 0
    for name, label in names:
        i = text.index(name, pos)
        mentions.append(Mention(i, i + len(name), name, label))  # type: ignore[arg-type]
        pos = i + len(name)
    return resolve_mentions(text, split_sentences(text), mentions)


def _names(mentions: list[Mention], entities: list[Entity]) -> list[str]:
    by_id = {e.id: e.name for e in entities}
    return [by_id[m.entity or ""] for m in mentions]


def test_resolve_bare_surname_goes_to_the_most_salient_person_not_the_nearest() -> None:
    text = (
        "Kim Jong Un reiste nach Russland. Kim Jong Un traf dort Putin. Seine Schwester "
        "Kim Yo Jong begleitete ihn. Während Kim außer Landes war, feuerte die Armee Raketen."
    )
    mentions, _ = _resolve(
        text,
        [("Kim Jong Un", "PER"), ("Kim Jong Un", "PER"), ("Kim Yo Jong", "PER"), ("Kim", "PER")],
    )
    # Kim Jong Un is named in full twice and first: the article is about him.
    assert _names(mentions, _)[-1] == "Kim Jong Un"


def test_resolve_bare_surname_before_the_full_name_links_forward() -> None:
    text = "Putin lobt Kim. Wladimir Putin traf Kim Jong Un in Wladiwostok."
    mentions, entities = _resolve(
        text, [("Putin", "PER"), ("Kim", "PER"), ("Wladimir Putin", "PER"), ("Kim Jong Un", "PER")]
    )
    assert _names(mentions, entities) == ["Wladimir Putin", "Kim Jong Un"] * 2
    assert len(entities) == 2


def test_resolve_acronym_stated_in_parentheses_and_case_variants() -> None:
    text = (
        "Die Korean Central News Agency (KCNA) meldete das. Die KCNA zitierte TASS. Tass schwieg."
    )
    mentions, entities = _resolve(
        text,
        [
            ("Korean Central News Agency", "ORG"),
            ("KCNA", "ORG"),
            ("KCNA", "ORG"),
            ("TASS", "ORG"),
            ("Tass", "ORG"),
        ],
    )
    assert _names(mentions, entities) == ["Korean Central News Agency"] * 3 + ["TASS"] * 2
    kcna = next(e for e in entities if e.name == "Korean Central News Agency")
    assert kcna.aliases == ["KCNA"]


def test_resolve_acronym_from_initials_without_parentheses() -> None:
    text = "The Joint Chiefs of Staff reported a launch. Later the JCS said more."
    mentions, entities = _resolve(text, [("Joint Chiefs of Staff", "ORG"), ("JCS", "ORG")])
    assert len(entities) == 1 and mentions[0].entity == mentions[1].entity


def test_resolve_known_states_and_german_inflection_merge() -> None:
    text = (
        "Die USA und Südkorea protestierten. Beamte Südkoreas und der Vereinigten Staaten "
        "sprachen. Die Hanseatische Kaibetriebe AG schwieg, der Chef der Hanseatischen "
        "Kaibetriebe AG nicht."
    )
    mentions, entities = _resolve(
        text,
        [
            ("USA", "LOC"),
            ("Südkorea", "LOC"),
            ("Südkoreas", "LOC"),
            ("Vereinigten Staaten", "LOC"),
            ("Hanseatische Kaibetriebe AG", "ORG"),
            ("Hanseatischen Kaibetriebe AG", "ORG"),
        ],
    )
    assert _names(mentions, entities) == [
        "USA",
        "Südkorea",
        "Südkorea",
        "USA",
        "Hanseatische Kaibetriebe AG",
        "Hanseatische Kaibetriebe AG",
    ]
    usa = next(e for e in entities if e.name == "USA")
    assert usa.aliases == ["Vereinigten Staaten"]  # every written form is kept


def test_resolve_city_adjective_is_not_a_second_city() -> None:
    text = "Der Hamburger Senat tagte. In Hamburg regnete es."
    mentions, entities = _resolve(text, [("Hamburger", "LOC"), ("Hamburg", "LOC")])
    places = [e.name for e in entities if e.type == "LOC"]
    assert places == ["Hamburg"]
    assert mentions[0].label == "MISC"


def test_resolve_demonym_from_the_table_is_not_the_state() -> None:
    _, entities = _resolve(
        "Die Russen kamen nach Russland.", [("Russen", "LOC"), ("Russland", "LOC")]
    )
    assert {e.name: e.type for e in entities} == {"Russen": "MISC", "Russland": "LOC"}


def test_resolve_titles_articles_and_owners_are_cut_from_names() -> None:
    text = (
        "Bundesrichter Anna Roth wies die Klage ab. Acme's John Smith widersprach. "
        "The Hafenverband schwieg."
    )
    mentions, entities = _resolve(
        text,
        [
            ("Bundesrichter Anna Roth", "PER"),
            ("Acme's John Smith", "PER"),
            ("The Hafenverband", "ORG"),
        ],
    )
    assert [m.text for m in mentions] == ["Anna Roth", "John Smith", "Hafenverband"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    roth = next(e for e in entities if e.name == "Anna Roth")
    assert roth.descriptions == ["Bundesrichter"]


def test_resolve_title_makes_a_person_in_or_before_the_span() -> None:
    text = "Mayor Okonkwo opened the bridge. Later Mayor Okonkwo said Riverton would pay."
    mentions, _ = _resolve(
        text, [("Mayor Okonkwo", "ORG"), ("Okonkwo", "ORG"), ("Riverton", "LOC")]
    )
    assert [m.label for m in mentions] == ["PER", "PER", "LOC"]
    assert mentions[0].entity == mentions[1].entity


def test_resolve_title_words_that_begin_company_names_or_precede_places_stay() -> None:
    text = "General Motors baut ab. Bürgermeister Hamburgs ist sie. Präsident Russlands ist er."
    mentions, _ = _resolve(
        text, [("General Motors", "ORG"), ("Hamburgs", "LOC"), ("Präsident Russlands", "LOC")]
    )
    assert [(m.text, m.label) for m in mentions] == [
        ("General Motors", "ORG"),
        ("Hamburgs", "LOC"),
        ("Präsident Russlands", "LOC"),
    ]


def test_resolve_junk_spans_are_dropped_or_joined() -> None:
    text = (
        "Ankit Panda, Senior Fellow am Carnegie Endowment for International Peace, warnte. "
        "Sie wurden mit Brot und Salz begrüßt."
    )
    mentions, entities = _resolve(
        text,
        [
            ("Ankit Panda", "PER"),
            ("Senior Fellow", "PER"),
            ("Carnegie Endowment", "ORG"),
            ("International Peace", "ORG"),
            ("Salz", "LOC"),
        ],
    )
    assert sorted(e.name for e in entities) == [
        "Ankit Panda",
        "Carnegie Endowment for International Peace",
    ]
    assert len(mentions) == 2


def test_resolve_a_real_place_coordinated_with_a_name_stays() -> None:
    text = "Sie reisten über Khasan und Wladiwostok nach Moskau."
    _, entities = _resolve(text, [("Khasan", "LOC"), ("Moskau", "LOC")])
    assert sorted(e.name for e in entities) == ["Khasan", "Moskau"]


def test_resolve_genitive_owner_takes_no_description_from_its_noun() -> None:
    text = (
        "Kim Jong Un empfing Putin. Kim Jong Un lachte. Putin traf 2000 als Präsident Kims "
        "Vater Kim Jong Il."
    )
    _, entities = _resolve(
        text,
        [
            ("Kim Jong Un", "PER"),
            ("Putin", "PER"),
            ("Kim Jong Un", "PER"),
            ("Putin", "PER"),
            ("Kims", "PER"),
            ("Kim Jong Il", "PER"),
        ],
    )
    desc = {e.name: e.descriptions for e in entities}
    assert desc["Kim Jong Un"] == []  # "Präsident" is Putin's, "Vater" is Kim Jong Il
    assert desc["Kim Jong Il"] == ["Kims Vater"]


def test_resolve_acronym_helpers() -> None:
    assert initials("Korean Central News Agency") == "KCNA"
    assert acronym_of("KCNA", "Korean Central News Agency")
    assert acronym_of("EU", "Europäische Union")
    assert not acronym_of("EU", "Vereinte Nationen")
    assert not is_acronym("Tass") and is_acronym("TASS")
    text = "Die ZNA (Zentrale Nachrichtenagentur) meldete es."
    assert stated_pairs(text, ["ZNA", "Zentrale Nachrichtenagentur"]) == [
        ("ZNA", "Zentrale Nachrichtenagentur")
    ]


_WORDS = st.text(alphabet=st.sampled_from("abcdefgÄäöüßKLMNOP '’.,-()„“"), min_size=1, max_size=40)


@given(prefix=_WORDS, span=_WORDS, suffix=_WORDS, label=st.sampled_from(["PER", "ORG", "LOC"]))
def test_resolve_cleaning_keeps_spans_inside_and_consistent(
    prefix: str, span: str, suffix: str, label: str
) -> None:
    text = prefix + span + suffix
    m = Mention(len(prefix), len(prefix) + len(span), span, label)  # type: ignore[arg-type]
    c = clean_mention(text, m)
    if c is None:
        return
    assert m.start <= c.mention.start <= c.mention.end <= m.end
    assert text[c.mention.start : c.mention.end] == c.mention.text
    again = clean_mention(text, c.mention)
    assert again is not None and again.mention.text == c.mention.text


@given(st.lists(st.sampled_from(["Anna", "Roth", "Kim", "Jong", "Un", "KCNA", "USA"]), max_size=6))
def test_resolve_every_mention_gets_an_entity_that_exists(words: list[str]) -> None:
    text = " und ".join(words) + "."
    names = [(w, "PER" if w[0] != "U" else "LOC") for w in words]
    mentions, entities = _resolve(text, names)
    ids = {e.id for e in entities}
    assert all(m.entity in ids for m in mentions)
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_resolve_predicate_about_the_person_is_a_description() -> None:
    text = (
        "Anna Berger ist Richterin am Landgericht. Tom Weller war außer Landes. "
        "Paolo Ferri was the agency's spokesman."
    )
    _, entities = _resolve(
        text, [("Anna Berger", "PER"), ("Tom Weller", "PER"), ("Paolo Ferri", "PER")]
    )
    desc = {e.name: e.descriptions for e in entities}
    assert desc == {
        "Anna Berger": ["Richterin am Landgericht"],
        "Tom Weller": [],  # a place, not a role
        "Paolo Ferri": ["agency's spokesman"],
    }


def test_resolve_two_short_names_run_together_are_split() -> None:
    text = (
        "Wladimir Putin traf Kim Jong Un. Dann schickte Putin Kim eine Limousine. "
        "Anna Schmidt und Peter Roth lobten Anna Roth."
    )
    mentions, entities = _resolve(
        text,
        [
            ("Wladimir Putin", "PER"),
            ("Kim Jong Un", "PER"),
            ("Putin Kim", "PER"),
            ("Anna Schmidt", "PER"),
            ("Peter Roth", "PER"),
            ("Anna Roth", "PER"),
        ],
    )
    assert [m.text for m in mentions][2:4] == ["Putin", "Kim"]
    assert _names(mentions, entities)[2:4] == ["Wladimir Putin", "Kim Jong Un"]
    assert "Anna Roth" in {e.name for e in entities}  # a first name may be shared


def test_resolve_one_word_name_takes_the_type_the_article_gives_it() -> None:
    text = "Ankit Panda warnte. „Das ist ernst“, sagte Panda. Die Delegation flog nach Pjöngjang, Pjöngjangs Flughafen war leer."
    mentions, _ = _resolve(
        text,
        [("Ankit Panda", "PER"), ("Panda", "ORG"), ("Pjöngjang", "LOC"), ("Pjöngjangs", "PER")],
    )
    assert [m.label for m in mentions] == ["PER", "PER", "LOC", "LOC"]
    assert mentions[0].entity == mentions[1].entity and mentions[2].entity == mentions[3].entity


def test_resolve_name_cut_after_its_adjective_gets_its_noun_back() -> None:
    text = "Russland blockierte bei den Vereinten Nationen. Das meldeten die Gemeinsame Stabschefs."
    mentions, _ = _resolve(
        text, [("Russland", "LOC"), ("Vereinten", "ORG"), ("Gemeinsame", "MISC")]
    )
    assert [(m.text, m.label) for m in mentions] == [
        ("Russland", "LOC"),
        ("Vereinten Nationen", "ORG"),
        ("Gemeinsame Stabschefs", "ORG"),
    ]


def test_resolve_genitive_after_a_role_is_not_a_person() -> None:
    text = "Gazprom liefert weniger. Ein Sprecher Gazproms bestätigte das."
    mentions, entities = _resolve(text, [("Gazprom", "ORG"), ("Gazproms", "ORG")])
    assert [m.label for m in mentions] == ["ORG", "ORG"]
    assert len(entities) == 1
