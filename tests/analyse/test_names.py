"""Name keys: variants that are the same name, and names that must stay apart."""

from __future__ import annotations

import pytest

from storyline.analyse.names import is_role_noun, name_key, strip_genitive, strip_titles


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Jong-un"),
        ("Schoigu", "Shoigu"),
        ("Peskow", "Peskov"),
        ("Pjöngjang", "Pyongyang"),
        ("Wladimir Putin", "Vladimir Putin"),
        ("Sergej Schoigu", "Sergei Shoigu"),
        ("Dmitri Peskow", "Dmitry Peskov"),
        ("Wladiwostok", "Vladivostok"),
        ("Selenskyj", "Zelensky"),
    ],
)
def test_names_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Jong Il"),
        ("Kim Jong Un", "Kim Yo Jong"),
        ("Kim Hong-kyun", "Kim Son Gyong"),
        ("Kim Jong Un", "Kim"),
    ],
)
def test_names_different_people_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_names_titles_and_genitives_are_stripped() -> None:
    assert strip_titles("Herr Kim") == "Kim"
    assert strip_titles("Dr. Jane Roe") == "Jane Roe"
    assert strip_titles("Herr") == "Herr"
    assert strip_genitive("Putins") == "Putin"
    assert strip_genitive("Kims") == "Kim"


def test_names_role_nouns() -> None:
    assert is_role_noun("Kremlsprecher")
    assert is_role_noun("US-Außenminister")
    assert is_role_noun("spokesman")
    assert not is_role_noun("Container")
