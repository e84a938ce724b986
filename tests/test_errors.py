"""The exception tree: one root type, messages that name the input, JSON shapes."""

from __future__ import annotations

import pytest

from storyline import errors
from storyline.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    PipelineError,
    SchemaError,
    StoreError,
    StorylineError,
)

INPUT_ERRORS = [EmptyInputError, BinaryInputError, InputTooLargeError, DecodeError, FormatError]


@pytest.mark.parametrize(
    "cls",
    [InputError, *INPUT_ERRORS, StoreError, SchemaError, PipelineError, NotFoundError, ConfigError],
)
def test_errors_every_error_derives_from_storyline_error(cls: type[Exception]) -> None:
    assert issubclass(cls, StorylineError)


@pytest.mark.parametrize("cls", INPUT_ERRORS)
def test_errors_input_error_subclasses(cls: type[InputError]) -> None:
    assert issubclass(cls, InputError)


def test_errors_schema_error_is_a_store_error() -> None:
    assert issubclass(SchemaError, StoreError)
    assert not issubclass(StoreError, InputError)


def test_errors_codes_are_distinct() -> None:
    classes = [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, StorylineError)
    ]
    codes = [c.code for c in classes]
    assert len(classes) >= 12
    assert len(set(codes)) == len(codes), codes


def test_errors_input_error_message_names_the_source() -> None:
    err = DecodeError("feed/bericht.txt", "is not valid UTF-8", hint="re-save it")
    assert err.source == "feed/bericht.txt"
    assert err.reason == "is not valid UTF-8"
    assert str(err) == "feed/bericht.txt: is not valid UTF-8 (re-save it)"
    assert err.to_dict() == {
        "error": "decode_error",
        "message": "feed/bericht.txt: is not valid UTF-8",
        "hint": "re-save it",
        "source": "feed/bericht.txt",
        "reason": "is not valid UTF-8",
    }


def test_errors_str_without_hint_is_the_message() -> None:
    err = StoreError("the store is locked")
    assert str(err) == "the store is locked"
    assert err.to_dict() == {"error": "store_error", "message": "the store is locked", "hint": None}


def test_errors_one_except_clause_catches_them_all() -> None:
    with pytest.raises(StorylineError) as info:
        raise FormatError("feed.jsonl:2", "line is not valid JSON")
    assert info.value.code == "format_error"
    assert "feed.jsonl:2" in str(info.value)
