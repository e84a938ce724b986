"""Entity tagger: shapes, offsets, junk, and article-level consistency.

Every sentence here was written for these tests (German and English).
"""

from __future__ import annotations

from storyline.analyse.model import Mention
from storyline.analyse.ner import tag_entities
from storyline.analyse.ner.document import skip_sentence
from storyline.analyse.ner.features import sentence_features, shape
from storyline.analyse.ner.tagger import bio_spans
from storyline.analyse.sentences import split_sentences


def _tag(text: str, lang: str | None = "de") -> list[Mention]:
    return tag_entities(text, split_sentences(text), lang)


def _found(text: str, lang: str | None = "de") -> set[tuple[str, str]]:
    return {(m.text, m.label) for m in _tag(text, lang)}


def test_empty_text_has_no_mentions() -> None:
    assert _tag("") == []
    assert _tag("   \n\n ") == []


def test_mentions_are_char_offsets_into_the_text() -> None:
    text = (
        "Die Ministerin Katharina Albrecht reiste am Montag nach Hamburg.\n\n"
        "Dort traf sie Vertreter der Europäischen Union und sprach über den Hafen."
    )
    mentions = _tag(text)
    assert mentions
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.label in {"PER", "ORG", "LOC", "MISC"}
        assert m.entity is None
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)


def test_german_person_and_place() -> None:
    found = _found("Bundeskanzler Olaf Scholz besuchte am Dienstag die Stadt Dresden.")
    assert ("Olaf Scholz", "PER") in found
    assert ("Dresden", "LOC") in found


def test_role_noun_is_not_part_of_the_name() -> None:
    found = _found("Der Ölminister Ali Rahimi kündigte neue Förderquoten an.")
    assert ("Ali Rahimi", "PER") in found
    assert not any(t.startswith("Ölminister") for t, _ in found)


def test_surname_and_genitive_inherit_the_full_name_type() -> None:
    text = (
        "Die Sängerin Mirela Vostrikova gab am Abend ein Konzert in Leipzig.\n\n"
        "Vostrikova sagte danach, sie sei müde.\n\n"
        "Vostrikovas Auftritt wurde von den Kritikern gelobt."
    )
    labels = {m.text: m.label for m in _tag(text)}
    assert labels.get("Mirela Vostrikova") == "PER"
    assert labels.get("Vostrikova") == "PER"
    assert labels.get("Vostrikovas") == "PER"


def test_one_name_one_type_in_an_article() -> None:
    text = (
        "Der Abgeordnete Tomas Brenneke kritisierte den Plan.\n\n"
        "Brenneke will im Herbst erneut antreten.\n\n"
        "Auch Brenneke selbst räumte Fehler ein."
    )
    per = [m for m in _tag(text) if "Brenneke" in m.text]
    assert len(per) == 3
    assert {m.label for m in per} == {"PER"}


def test_title_marks_a_person() -> None:
    labels = {m.text: m.label for m in _tag("Am Ende bedankte sich Frau Quandtmeier bei allen.")}
    assert labels.get("Quandtmeier") == "PER"
    assert "Frau" not in labels


def test_all_caps_headline_is_not_tagged() -> None:
    text = (
        "SCHWEDEN, NORWEGEN UND FINNLAND STREITEN ÜBER FISCHEREIQUOTEN\n\n"
        "Die Regierung in Oslo wies die Vorwürfe am Mittwoch zurück."
    )
    headline_end = text.index("\n")
    assert all(m.start > headline_end for m in _tag(text))
    assert ("Oslo", "LOC") in _found(text)


def test_image_credit_and_site_furniture_are_not_entities() -> None:
    text = (
        "Der Bürgermeister eröffnete die neue Brücke in Kassel.\n\n"
        "Foto: Jens Musterknabe / Bildagentur Nordlicht\n\n"
        "Die Feier dauerte bis zum Abend. (Bild: Petra Beispielfrau, Pool-Foto)\n\n"
        "Related Posts\n\n"
        "On Key"
    )
    found = _found(text)
    texts = {t for t, _ in found}
    assert ("Kassel", "LOC") in found
    assert not any("Musterknabe" in t or "Beispielfrau" in t for t in texts)
    assert not any("Related" in t or t == "On Key" for t in texts)


def test_skip_sentence_rules() -> None:
    (headline,) = split_sentences("REGIERUNG KÜNDIGT NEUE STEUERN AN")
    (credit,) = split_sentences("Foto: Agentur Beispiel")
    (normal,) = split_sentences("Die NATO und die EU beraten in Brüssel.")
    assert skip_sentence(headline)
    assert skip_sentence(credit)
    assert not skip_sentence(normal)


def test_acronyms_in_normal_sentences_are_kept() -> None:
    found = _found("Die NATO und die EU beraten am Freitag in Brüssel über die Lage.")
    assert ("Brüssel", "LOC") in found
    assert {t for t, _ in found} & {"NATO", "EU"}


def test_english_sentence_is_tagged() -> None:
    text = "President Joe Miller met Angela Stone in London on Tuesday."
    found = _found(text, "en")
    assert ("London", "LOC") in found
    assert any(label == "PER" and "Stone" in t for t, label in found)


def test_features_and_spans_helpers() -> None:
    assert shape("Putin") == "Xx"
    assert shape("US-Außenminister") == "X-Xx"
    assert shape("2023") == "d"
    feats = sentence_features(["Anna", "wohnt", "in", "Berlin", "."])
    assert len(feats) == 5
    assert "g=FIRST" in feats[0]
    assert "g=CITY" in feats[3] or "g=COUNTRY" in feats[3]
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
    ]


def test_english_first_name_and_organisation_rules() -> None:
    text = "On Tuesday, Senator Mary Hollins met analysts from the Carrow Institution in Boston."
    found = _found(text, "en")
    assert ("Mary Hollins", "PER") in found
    assert ("Carrow Institution", "ORG") in found
    assert not any("Tuesday" in t for t, _ in found)


def test_english_genitive_links_to_the_person() -> None:
    text = "Governor Ellen Marwick spoke first.\n\nMarwick's plan was approved on Friday."
    labels = {m.text: m.label for m in _tag(text, "en")}
    assert labels.get("Ellen Marwick") == "PER"
    assert labels.get("Marwick's") == "PER"


def test_mentions_do_not_run_across_colons_or_forms_of_address() -> None:
    text = "Lesetipp: Die Rede von Jana Petrović vor dem Rat in Wien."
    for m in _tag(text):
        assert ":" not in m.text
    text = "Bei dem Treffen dankte Wladislaw Koroljow Herrn Brenneke für die Einladung nach Wien."
    texts = {m.text for m in _tag(text)}
    assert not any("Herrn" in t for t in texts)


def _mention(text: str, name: str, label: str, nth: int = 0) -> Mention:
    at = -1
    for _ in range(nth + 1):
        at = text.index(name, at + 1)
    return Mention(at, at + len(name), name, label)  # type: ignore[arg-type]


def test_company_short_form_is_the_company() -> None:
    from storyline.analyse.ner.document import harmonise, taggable

    text = (
        "Die Velmora AG ruft ein Mittel zurück. Velmora sagte, man bedaure das. "
        "Velmora prüft die Chargen."
    )
    sents = taggable(split_sentences(text))
    tagged = [
        _mention(text, "Velmora AG", "ORG"),
        _mention(text, "Velmora", "PER", 1),
        _mention(text, "Velmora", "PER", 2),
    ]
    labels = [(m.text, m.label) for m in harmonise(text, sents, tagged)]
    assert labels == [("Velmora AG", "ORG"), ("Velmora", "ORG"), ("Velmora", "ORG")]


def test_compound_votes_for_its_first_part() -> None:
    from storyline.analyse.ner.document import harmonise, taggable

    text = "Die Velmora-Belegschaft bangt. Velmora schweigt. Velmora wartet. Velmora zahlt."
    sents = taggable(split_sentences(text))
    tagged = [
        _mention(text, "Velmora-Belegschaft", "ORG"),
        _mention(text, "Velmora", "PER", 1),
        _mention(text, "Velmora", "ORG", 2),
        _mention(text, "Velmora", "LOC", 3),
    ]
    out = harmonise(text, sents, tagged)
    assert {m.label for m in out if m.text == "Velmora"} == {"ORG"}
