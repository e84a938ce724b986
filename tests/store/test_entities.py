"""Entity linking across the store: merges that must happen, and ones that must not."""

from __future__ import annotations

from storyline.analyse.model import Entity
from storyline.store import Store
from storyline.store.analysis import explain_entity
from storyline.store.entities import link_entity


def _article(store: Store, article_id: str) -> str:
    store.conn.execute(
        "INSERT INTO articles(id, text, raw_text, text_hash, created_at) VALUES (?, '', '', ?, '')",
        (article_id, article_id),
    )
    return article_id


def test_analysis_spelling_variants_merge_across_articles_with_a_reason(store: Store) -> None:
    a = link_entity(
        store, Entity("e1", "Sergej Schoigu", "PER", ["Schoigu"]), _article(store, "a1")
    )
    b = link_entity(store, Entity("e2", "Sergei Shoigu", "PER", ["Shoigu"]), _article(store, "a2"))
    assert a == b
    (found,) = explain_entity(store, "Shoigu")
    assert found["name"] == "Sergej Schoigu"
    reasons = {m["alias"]: m["reason"] for m in found["merges"]}
    assert "name key" in reasons["Sergei Shoigu"]


def test_analysis_bare_name_shared_by_two_people_does_not_merge_them(store: Store) -> None:
    kju = link_entity(store, Entity("e1", "Kim Jong Un", "PER", ["Kim"]), _article(store, "a1"))
    kyj = link_entity(store, Entity("e2", "Kim Yo Jong", "PER", ["Kim"]), _article(store, "a2"))
    bare = link_entity(store, Entity("e3", "Kim", "PER", []), _article(store, "a3"))
    assert kju != kyj
    assert bare not in (kju, kyj)


def test_analysis_surname_joins_the_only_person_with_it(store: Store) -> None:
    full = link_entity(store, Entity("e1", "Andrei Lankov", "PER", []), _article(store, "a1"))
    short = link_entity(store, Entity("e2", "Lankow", "PER", []), _article(store, "a2"))
    assert short == full


def test_analysis_different_types_do_not_merge(store: Store) -> None:
    place = link_entity(store, Entity("e1", "Washington", "LOC", []), _article(store, "a1"))
    person = link_entity(store, Entity("e2", "Washington", "PER", []), _article(store, "a2"))
    assert place != person


def _parts(store: Store) -> set[tuple[str, str]]:
    return {(str(r[0]), str(r[1])) for r in store.conn.execute("SELECT * FROM entity_name_parts")}


def test_entities_name_part_index_follows_new_and_renamed_people(store: Store) -> None:
    a = link_entity(store, Entity("e1", "Maria Lindqvist", "PER", []), _article(store, "a1"))
    assert _parts(store) == {("maria", a), ("lindqvist", a)}
    # a fuller name renames the entity; its index rows follow the new name
    b = link_entity(
        store,
        Entity("e2", "Maria Lindqvist Berg", "PER", ["Maria Lindqvist"]),
        _article(store, "a2"),
    )
    assert b == a
    assert store.conn.execute("SELECT name FROM entities WHERE id=?", (a,)).fetchone()[0] == (
        "Maria Lindqvist Berg"
    )
    assert _parts(store) == {("maria", a), ("berg", a)}
    assert link_entity(store, Entity("e3", "Berg", "PER", []), _article(store, "a3")) == a


def test_entities_name_part_index_is_filled_for_a_store_made_before_it(store: Store) -> None:
    putin = link_entity(store, Entity("e1", "Wladimir Putin", "PER", []), _article(store, "a1"))
    # as a store from before the index: no rows, the backfill pending
    store.conn.execute("DELETE FROM entity_name_parts")
    store.conn.execute("UPDATE backfills SET done_at = NULL WHERE name = 'entity_name_parts'")
    assert link_entity(store, Entity("e2", "Putin", "PER", []), _article(store, "a2")) == putin
    assert ("putin", putin) in _parts(store)
    done = store.conn.execute(
        "SELECT done_at FROM backfills WHERE name = 'entity_name_parts'"
    ).fetchone()[0]
    assert done is not None


def test_entities_name_part_index_only_counts_people(store: Store) -> None:
    link_entity(store, Entity("e1", "Kim Behrens", "PER", []), _article(store, "a1"))
    link_entity(store, Entity("e2", "Kim Werke", "ORG", []), _article(store, "a2"))
    # one person carries the part "Kim": the company of that name does not make it ambiguous
    kim = link_entity(store, Entity("e3", "Kim", "PER", []), _article(store, "a3"))
    name = store.conn.execute("SELECT name FROM entities WHERE id=?", (kim,)).fetchone()[0]
    assert name == "Kim Behrens"
