"""Resolution across the store (issue 14): every written form is an alias, stored,
exported and searchable; merges through the table of known names and genitives are
logged with their reason. Hand-made articles; mentions are given, not tagged."""

from __future__ import annotations

import io
import json

from storyline.analyse.model import Analysis, Entity, Mention, Quote
from storyline.analyse.resolve import resolve_mentions
from storyline.analyse.sentences import split_sentences
from storyline.export import write_export
from storyline.search.engine import search
from storyline.store import Store
from storyline.store.analysis import (
    explain_entity,
    list_entities,
    matching_entity_ids,
    quotes_by_speaker,
    save_analysis,
)


def _resolve(text: str, names: list[tuple[str, str]]) -> tuple[list[Mention], list[Entity]]:
    """Resolve the given names, each found in order in `text`, as the tagger's mentions."""
    mentions, pos = [], 0
    for name, label in names:
        i = text.index(name, pos)
        mentions.append(Mention(i, i + len(name), name, label))  # type: ignore[arg-type]
        pos = i + len(name)
    return resolve_mentions(text, split_sentences(text), mentions)


def _save(
    store: Store, article: str, text: str, names: list[tuple[str, str]], quote: str = ""
) -> None:
    resolved, entities = _resolve(text, names)
    quotes = []
    if quote:
        q = text.index(quote)
        speaker = resolved[0]
        quotes.append(
            Quote(q, q + len(quote), quote, "direct", speaker.entity, speaker.text, "sagte")
        )
    store.conn.execute(
        "INSERT INTO articles(id, title, text, raw_text, lang, text_hash, created_at) "
        "VALUES (?, ?, ?, ?, 'de', ?, '')",
        (article, text.split(".")[0], text, text, article),
    )
    analysis = Analysis(text, "de", None, mentions=resolved, entities=entities, quotes=quotes)
    save_analysis(store, article, analysis, "accurate")


def _entity(store: Store, name: str) -> dict[str, object]:
    found = [e for e in list_entities(store) if e["name"] == name]
    assert len(found) == 1, (name, list_entities(store))
    return found[0]


def test_resolve_store_every_spelling_is_an_alias(store: Store) -> None:
    _save(store, "a1", "Shin Won-sik sprach in Seoul.", [("Shin Won-sik", "PER"), ("Seoul", "LOC")])
    _save(store, "a2", "Shin Wonsik reiste ab.", [("Shin Wonsik", "PER")])
    shin = _entity(store, "Shin Won-sik")
    assert shin["aliases"] == ["Shin Wonsik"]
    merges = explain_entity(store, "Shin Wonsik")[0]["merges"]
    assert [m["alias"] for m in merges] == ["Shin Wonsik"]
    assert "name key" in merges[0]["reason"]


def test_resolve_store_surname_in_another_spelling_finds_the_person(store: Store) -> None:
    text = "Dmitri Peskow sagte: „Wir warten ab.“ Moskau schwieg."
    _save(store, "a1", text, [("Dmitri Peskow", "PER"), ("Moskau", "LOC")], quote="Wir warten ab.")
    assert [e["name"] for e in list_entities(store, name="Peskov")] == ["Dmitri Peskow"]
    assert [q["speaker_entity"] for q in quotes_by_speaker(store, "Peskov")] == ["Dmitri Peskow"]
    assert matching_entity_ids(store, "Pesk") == []  # a fragment is not a name part
    hits = search(store, "Peskov")
    assert [h["id"] for h in hits] == ["a1"] and hits[0]["matched_by"] == ["name"]


def test_resolve_store_known_names_and_genitives_merge_with_a_logged_reason(
    store: Store,
) -> None:
    _save(store, "a1", "Die USA protestierten.", [("USA", "LOC")])
    _save(store, "a2", "Die Vereinigten Staaten protestierten.", [("Vereinigten Staaten", "LOC")])
    _save(store, "a3", "Hamburg wächst.", [("Hamburg", "LOC")])
    _save(store, "a4", "Der Hafen Hamburgs wächst.", [("Hamburgs", "LOC")])
    usa = _entity(store, "USA")
    assert usa["aliases"] == ["Vereinigten Staaten"] and usa["articles"] == ["a1", "a2"]
    assert _entity(store, "Hamburg")["articles"] == ["a3", "a4"]
    reasons = {m["alias"]: m["reason"] for m in explain_entity(store, "USA")[0]["merges"]}
    assert "table of known names" in reasons["Vereinigten Staaten"]
    reasons = {m["alias"]: m["reason"] for m in explain_entity(store, "Hamburg")[0]["merges"]}
    assert "genitive" in reasons["Hamburgs"]


def test_resolve_store_bare_surname_of_two_stored_people_stays_apart(store: Store) -> None:
    _save(store, "a1", "Kim Jong Un reiste ab.", [("Kim Jong Un", "PER")])
    _save(store, "a2", "Kim Yo Jong reiste ab.", [("Kim Yo Jong", "PER")])
    _save(store, "a3", "Kim schwieg.", [("Kim", "PER")])
    kims = {e["name"]: e["articles"] for e in list_entities(store, name="Kim")}
    assert kims == {"Kim Jong Un": ["a1"], "Kim Yo Jong": ["a2"], "Kim": ["a3"]}


def test_resolve_store_export_lists_every_alias(store: Store) -> None:
    text = "Die Zentrale Hafenagentur (ZHA) meldete es. Die ZHA wiederholte es."
    _save(store, "a1", text, [("Zentrale Hafenagentur", "ORG"), ("ZHA", "ORG"), ("ZHA", "ORG")])
    out = io.StringIO()
    write_export(store, out)
    entities = json.loads(out.getvalue())["entities"]
    assert [(e["name"], e["aliases"]) for e in entities] == [("Zentrale Hafenagentur", ["ZHA"])]
    merges = explain_entity(store, "ZHA")[0]["merges"]
    assert "acronym" in merges[0]["reason"] or "parentheses" in merges[0]["reason"]


def test_resolve_store_quote_by_a_role_goes_to_the_person_so_described(store: Store) -> None:
    text = (
        "Der nordkoreanische Führer Kim Jong Un empfing Putin. „Wir sind Freunde“, "
        "sagte der nordkoreanische Führer. „Gut“, sagte ein Beamter."
    )
    names = [("Kim Jong Un", "PER"), ("Putin", "PER")]
    resolved, entities = _resolve(text, names)
    quotes = []
    for quote, speaker in (("Wir sind Freunde", "nordkoreanische Führer"), ("Gut", "ein Beamter")):
        q = text.index(quote)
        quotes.append(Quote(q, q + len(quote), quote, "direct", None, speaker, "sagte"))
    store.conn.execute(
        "INSERT INTO articles(id, text, raw_text, text_hash, created_at) VALUES ('a1', ?, ?, 'h', '')",
        (text, text),
    )
    analysis = Analysis(text, "de", None, mentions=resolved, entities=entities, quotes=quotes)
    save_analysis(store, "a1", analysis, "accurate")
    got = {q["text"]: q["speaker_entity"] for q in quotes_by_speaker(store)}
    assert got == {"Wir sind Freunde": "Kim Jong Un", "Gut": None}
