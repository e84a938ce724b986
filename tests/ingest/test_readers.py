"""Readers: files, folders, stdin and JSON records to documents, or an error in place."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    InputTooLargeError,
)
from storyline.ingest.readers import expand_paths, iter_inputs, read_bytes, read_path, read_stream
from storyline.model import Document, Hints

BIG = 10_000_000
Write = Callable[[str, "str | bytes"], Path]


def items_of(path: Path, hints: Hints | None = None, max_bytes: int = BIG) -> list:
    return list(read_path(path, hints or Hints(), max_bytes))


def jsonl(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def rec(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


GOOD_1 = rec(title="Erster Bericht", text="Die Feuerwehr löschte am Montag einen Brand.")
GOOD_2 = rec(title="Zweiter Bericht", text="Der Bürgermeister dankte den Einsatzkräften.")


# -- kinds and plain files ------------------------------------------------------------


def test_readers_txt_file_becomes_raw_text(write: Write) -> None:
    path = write("bericht.txt", "Titel\nDer Rat tagte am Montag.\n")
    (doc,) = items_of(path)
    assert isinstance(doc, Document)
    assert doc.source == str(path)
    assert doc.raw_text == "Titel\nDer Rat tagte am Montag.\n"
    assert doc.html is None
    assert len(doc.byte_hash) == 64


def test_readers_html_suffix_becomes_html(write: Write) -> None:
    path = write("seite.html", "<html><body><p>Der Rat tagte.</p></body></html>")
    (doc,) = items_of(path)
    assert isinstance(doc, Document)
    assert doc.html is not None and doc.raw_text is None


@pytest.mark.parametrize(
    ("content", "expect_html"),
    [
        ("<!DOCTYPE html><html><body><p>Der Rat tagte.</p></body></html>", True),
        ("Titel\nDer Rat tagte am Montag, sagte sie.", False),
    ],
)
def test_readers_unknown_suffix_is_sniffed(write: Write, content: str, expect_html: bool) -> None:
    (doc,) = items_of(write("export.dat", content))
    assert isinstance(doc, Document)
    assert (doc.html is not None) is expect_html


def test_readers_unknown_suffix_with_json_lines_is_read_as_jsonl(write: Write) -> None:
    path = write("feed.dat", f"{GOOD_1}\n{GOOD_2}\n")
    docs = items_of(path)
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:2"]


def test_readers_byte_hash_depends_on_bytes(write: Write) -> None:
    a = items_of(write("a.txt", "Titel\nDer Rat tagte.\n"))[0]
    b = items_of(write("b.txt", "Titel\nDer Rat tagte.\n"))[0]
    c = items_of(write("c.txt", "Titel\nDer Rat tagte nicht.\n"))[0]
    assert a.byte_hash == b.byte_hash != c.byte_hash


def test_readers_hints_are_passed_on(write: Write) -> None:
    hints = Hints(outlet="taz", lang="de", published="2024-06-17")
    (doc,) = items_of(write("a.txt", "Titel\nDer Rat tagte.\n"), hints)
    assert doc.hints == hints


# -- bad files --------------------------------------------------------------------------


def test_readers_file_over_limit_is_refused_by_name(write: Write) -> None:
    path = write("gross.txt", "Titel\n" + "Ein Satz über den Rat. " * 50)
    (err,) = items_of(path, max_bytes=100)
    assert isinstance(err, InputTooLargeError)
    assert err.source == str(path)
    assert "100" in err.reason
    assert "STORYLINE_MAX_FILE_BYTES" in (err.hint or "")


def test_readers_file_at_limit_is_read(write: Write) -> None:
    path = write("genau.txt", "Titel\nDer Rat tagte.\n")
    (doc,) = items_of(path, max_bytes=path.stat().st_size)
    assert isinstance(doc, Document)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", EmptyInputError),
        (b"  \n\t\n", EmptyInputError),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", BinaryInputError),
        (b"Hallo \x81\x8d\x8f\x90\x9d Welt\n" * 10, DecodeError),
    ],
)
def test_readers_undecodable_file_yields_its_error(
    write: Write, content: bytes, error: type[InputError]
) -> None:
    path = write("kaputt.txt", content)
    (err,) = items_of(path)
    assert isinstance(err, error)
    assert err.source == str(path)


def test_readers_expand_paths_reports_missing_path() -> None:
    (err,) = list(expand_paths(["/nirgendwo/gibt/es/das.txt"]))
    assert isinstance(err, InputError)
    assert err.source == "/nirgendwo/gibt/es/das.txt"
    assert "does not exist" in err.reason


def test_readers_folder_is_walked_sorted_without_hidden(write: Write, tmp_path: Path) -> None:
    write("pile/b.txt", "B\nText b.\n")
    write("pile/a.txt", "A\nText a.\n")
    write("pile/unter/c.txt", "C\nText c.\n")
    write("pile/.versteckt.txt", "H\nText h.\n")
    write("pile/.git/d.txt", "D\nText d.\n")
    found = [
        Path(p).relative_to(tmp_path / "pile").as_posix()
        for p in expand_paths([str(tmp_path / "pile")])
    ]
    assert found == ["a.txt", "b.txt", "unter/c.txt"]


def test_readers_iter_inputs_keeps_going_after_bad_inputs(write: Write, tmp_path: Path) -> None:
    write("pile/a.txt", "A\nDer Rat tagte am Montag.\n")
    write("pile/b.txt", b"")
    write("pile/c.txt", "C\nDer Rat tagte am Dienstag.\n")
    items = list(iter_inputs([str(tmp_path / "pile"), str(tmp_path / "fehlt.txt")], Hints(), BIG))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "EmptyInputError", "Document", "InputError"]


def test_readers_stdin_is_read_and_limited() -> None:
    (doc,) = list(read_stream(io.BytesIO(b"Titel\nDer Rat tagte.\n"), Hints(), BIG))
    assert isinstance(doc, Document) and doc.source == "<stdin>"
    (err,) = list(read_stream(io.BytesIO(b"x" * 101), Hints(), 100))
    assert isinstance(err, InputTooLargeError)
    assert err.source == "<stdin>"


def test_readers_iter_inputs_dash_reads_given_stdin() -> None:
    html = b"<html><body><article><p>Der Rat tagte.</p></article></body></html>"
    (doc,) = list(iter_inputs(["-"], Hints(), BIG, stdin=io.BytesIO(html)))
    assert isinstance(doc, Document) and doc.html is not None


# -- JSON -------------------------------------------------------------------------------


def test_readers_json_list_names_each_record(write: Write) -> None:
    path = write("liste.json", f"[{GOOD_1}, {GOOD_2}]")
    docs = items_of(path)
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    assert docs[0].hints.title == "Erster Bericht"
    assert docs[0].raw_text == "Die Feuerwehr löschte am Montag einen Brand."


def test_readers_json_single_object_is_named_by_file(write: Write) -> None:
    path = write("eins.json", GOOD_1)
    (doc,) = items_of(path)
    assert isinstance(doc, Document) and doc.source == str(path)


def test_readers_json_export_shape_is_read(write: Write) -> None:
    data = {"schema": "storyline.export/1", "articles": [json.loads(GOOD_1), json.loads(GOOD_2)]}
    docs = items_of(write("export.json", json.dumps(data)))
    assert [d.hints.title for d in docs] == ["Erster Bericht", "Zweiter Bericht"]


def test_readers_invalid_json_is_a_format_error(write: Write) -> None:
    path = write("kaputt.json", '{"title": "Bericht", "text": ')
    (err,) = items_of(path)
    assert isinstance(err, FormatError)
    assert err.source == str(path)
    assert "not valid JSON" in err.reason
    assert "line 1" in err.reason


def test_readers_empty_json_list_holds_no_records(write: Write) -> None:
    (err,) = items_of(write("leer.json", "[]"))
    assert isinstance(err, EmptyInputError)


def test_readers_json_record_that_is_not_an_object(write: Write) -> None:
    path = write("gemischt.json", f'[{GOOD_1}, "nur ein String", 42]')
    items = items_of(path)
    assert isinstance(items[0], Document)
    assert [type(i) for i in items[1:]] == [FormatError, FormatError]
    assert items[1].source == f"{path}#2"
    assert "expected a JSON object" in items[1].reason


def test_readers_json_field_of_wrong_type(write: Write) -> None:
    path = write("typ.json", rec(title=["keine", "Zeichenkette"], text="Der Rat tagte."))
    (err,) = items_of(path)
    assert isinstance(err, FormatError)
    assert "'title'" in err.reason


def test_readers_json_numeric_published_is_kept_as_text(write: Write) -> None:
    (doc,) = items_of(write("jahr.json", rec(text="Der Rat tagte.", published=2024)))
    assert doc.hints.published == "2024"


def test_readers_json_html_record_is_html(write: Write) -> None:
    (doc,) = items_of(write("h.json", rec(html="<p>Der Rat tagte.</p>", url="https://taz.de/a")))
    assert doc.html == "<p>Der Rat tagte.</p>" and doc.raw_text is None
    assert doc.hints.url == "https://taz.de/a"


def test_readers_json_record_hints_and_cli_hints(write: Write) -> None:
    path = write("h.json", rec(text="Der Rat tagte.", outlet="taz", lang="de", author="A. B."))
    (doc,) = items_of(path, Hints(outlet="Die Zeit"))
    assert doc.hints.outlet == "Die Zeit"  # the user's --outlet wins over the record
    assert doc.hints.lang == "de" and doc.hints.author == "A. B."


def test_readers_json_byte_hash_ignores_key_order(write: Write) -> None:
    a = items_of(write("a.jsonl", '{"title": "T", "text": "Der Rat tagte."}\n'))[0]
    b = items_of(write("b.jsonl", '{"text": "Der Rat tagte.",  "title": "T"}\n'))[0]
    assert a.byte_hash == b.byte_hash


# -- JSON Lines -------------------------------------------------------------------------


def test_readers_jsonl_bad_lines_are_named_with_line_numbers(write: Write) -> None:
    path = write("feed.jsonl", jsonl(GOOD_1, "{kein json", rec(title="Ohne Text"), GOOD_2))
    items = items_of(path)
    assert [type(i) for i in items] == [Document, FormatError, FormatError, Document]
    assert items[0].source == f"{path}:1"
    assert items[1].source == f"{path}:2" and "not valid JSON" in items[1].reason
    assert items[2].source == f"{path}:3" and "no 'text'" in items[2].reason
    assert items[3].source == f"{path}:4"
    assert str(items[1]).startswith(f"{path}:2: ")


def test_readers_jsonl_blank_lines_keep_line_numbers(write: Write) -> None:
    path = write("feed.jsonl", jsonl(GOOD_1, "", "   ", GOOD_2))
    docs = items_of(path)
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:4"]


def test_readers_jsonl_skips_export_header(write: Write) -> None:
    header = rec(schema="storyline.export/1", article_count=1)
    path = write("export.jsonl", jsonl(header, GOOD_1))
    (doc,) = items_of(path)
    assert doc.source == f"{path}:2"


def test_readers_jsonl_non_object_lines_are_format_errors(write: Write) -> None:
    path = write("werte.jsonl", jsonl("[]", '"nur Text"', GOOD_1))
    items = items_of(path)
    assert [type(i) for i in items] == [FormatError, FormatError, Document]
    assert "expected a JSON object" in items[0].reason


def test_readers_jsonl_empty_text_is_refused(write: Write) -> None:
    (err,) = items_of(write("f.jsonl", jsonl(rec(title="T", text="   "))))
    assert isinstance(err, FormatError)


def test_readers_jsonl_record_with_foreign_schema_key_is_reported() -> None:
    foreign = rec(schema="news/2", title="Dritter Bericht", body="Der Rat tagte lange.")
    items = list(read_bytes(jsonl(GOOD_1, foreign), "feed.jsonl", "jsonl", Hints()))
    assert [type(i) for i in items] == [Document, FormatError]
    assert items[1].source == "feed.jsonl:2"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["text", "html", "title", "url", "outlet", "lang", "published", "author", "schema"]
            )
            | st.text(),
            children,
            max_size=4,
        )
    ),
    max_leaves=8,
)
LINES = st.one_of(st.text(max_size=80), JSON_VALUES.map(json.dumps))


@settings(max_examples=80, deadline=None)
@given(st.lists(LINES, max_size=6))
def test_readers_jsonl_never_raises_for_arbitrary_lines(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    items = list(read_bytes(data, "feed.jsonl", "jsonl", Hints()))
    for item in items:
        assert isinstance(item, Document | InputError)
        assert item.source.startswith("feed.jsonl")
        if isinstance(item, Document):
            assert (item.raw_text or item.html or "").strip()


@settings(max_examples=60, deadline=None)
@given(JSON_VALUES)
def test_readers_json_never_raises_for_arbitrary_values(value: object) -> None:
    data = json.dumps(value).encode("utf-8")
    items = list(read_bytes(data, "daten.json", "json", Hints()))
    assert items
    assert all(isinstance(i, Document | InputError) for i in items)


def test_readers_jsonl_lone_surrogate_escape_is_repaired_and_reported() -> None:
    data = jsonl(
        r'{"title": "Fest \udc00", "text": "Die Stadt feiert \ud83d heute.\u0000"}', GOOD_2
    )
    items = list(read_bytes(data, "feed.jsonl", "jsonl", Hints()))
    assert [type(i) for i in items] == [Document, Document]
    doc = items[0]
    assert doc.raw_text == "Die Stadt feiert \ufffd heute."
    assert doc.hints.title == "Fest \ufffd"
    assert doc.repairs == [
        "text: 1 unpaired surrogate(s) replaced with U+FFFD",
        "text: 1 NUL character(s) removed",
        "title: 1 unpaired surrogate(s) replaced with U+FFFD",
    ]
    assert items[1].repairs == []


def test_readers_json_surrogate_pair_escape_is_the_character_it_encodes() -> None:
    data = json.dumps({"text": "Die Stadt feiert \U0001f389 heute."}).encode("ascii")
    (doc,) = read_bytes(data, "fest.json", "json", Hints())
    assert isinstance(doc, Document)
    assert doc.raw_text == "Die Stadt feiert \U0001f389 heute." and doc.repairs == []


PATHOLOGICAL = pytest.mark.parametrize(
    "line",
    ['{"text": "Der Rat tagte.", "zahl": ' + "7" * 5000 + "}", "[" * 50_000],
    ids=["huge-int", "deep-nesting"],
)


@PATHOLOGICAL
def test_readers_pathological_jsonl_line_is_an_input_error(line: str) -> None:
    items = list(read_bytes(jsonl(line, GOOD_1), "feed.jsonl", "jsonl", Hints()))
    assert [type(i) for i in items] == [FormatError, Document]
    assert items[0].source == "feed.jsonl:1"


@PATHOLOGICAL
def test_readers_pathological_json_file_is_an_input_error(line: str) -> None:
    items = list(read_bytes(jsonl(line), "daten.json", "json", Hints()))
    assert [type(i) for i in items] == [FormatError]
    assert items[0].source == "daten.json"
