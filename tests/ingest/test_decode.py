"""Bytes to text: clean decodings are accepted, everything else is refused by name."""

from __future__ import annotations

import codecs
import re
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from storyline.errors import BinaryInputError, DecodeError, EmptyInputError, InputError
from storyline.ingest.decode import decode_bytes

# C0 controls other than tab, newline, form feed and carriage return, plus DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
PROPERTY = settings(max_examples=80, deadline=None)


def expected(text: str) -> str:
    """What decode_bytes promises: newlines unified, NFC normalised."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def check_round_trip(text: str, data: bytes) -> None:
    """Decoding ``data`` gives back ``text`` (normalised) or a documented rejection."""
    try:
        out, _encoding = decode_bytes(data, "artikel.txt")
    except BinaryInputError as err:
        assert CONTROL.search(text), f"clean text refused as binary: {text!r}"
        assert err.source == "artikel.txt"
        return
    except EmptyInputError:
        assert not expected(text).strip(), f"text with content refused as empty: {text!r}"
        return
    assert out == expected(text)


# -- properties -------------------------------------------------------------------


@PROPERTY
@given(st.text(max_size=300))
@example("Grüße aus Köln\r\nZweite Zeile\rDritte")
@example("Cafe\u0301 und Zu\u0308rich")  # decomposed é and ü come back composed
def test_decode_utf8_round_trips_to_nfc_text(text: str) -> None:
    # A leading U+FEFF is a byte-order mark once encoded, and is dropped as one.
    assume(not text.startswith("\ufeff"))
    check_round_trip(text, text.encode("utf-8"))


@PROPERTY
@given(st.text(max_size=300))
@example("Die Bürgermeisterin sagte: „Wir prüfen das.“")
def test_decode_utf16_with_bom_round_trips(text: str) -> None:
    # UTF-16-LE "FF FE" followed by a NUL character reads as a UTF-32 mark: inherent
    # in BOM sniffing, and a text starting with NUL is binary anyway.
    assume(not text.startswith("\x00"))
    check_round_trip(text, text.encode("utf-16"))


@PROPERTY
@given(st.text(max_size=300))
def test_decode_utf8_sig_drops_the_mark(text: str) -> None:
    check_round_trip(text, codecs.BOM_UTF8 + text.encode("utf-8"))


# German text in a Western code page. The letters below are the same bytes in
# cp1252, latin-1 and cp1250, so every candidate encoding must agree on them, and
# none of them can form a valid UTF-8 sequence (no byte in 0x80-0xBF).
GERMAN = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜß .,;:!?-()\"'0123456789\n")
    ),
    min_size=1,
    max_size=200,
)


@PROPERTY
@given(GERMAN)
@example("Grüße aus Köln: Die Straße bleibt gesperrt, sagte der Bürgermeister.")
@example("Ärger über Öl und Übel")
def test_decode_cp1252_german_text_round_trips(text: str) -> None:
    check_round_trip(text, text.encode("cp1252"))


# -- examples ---------------------------------------------------------------------


def test_decode_plain_utf8_reports_encoding() -> None:
    assert decode_bytes(b"Hallo Welt", "a.txt") == ("Hallo Welt", "utf-8")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_BE + "Grüße aus Köln\nZweite Zeile".encode("utf-16-be"), "utf-16"),
        ("Grüße aus Köln\nZweite Zeile".encode("utf-32"), "utf-32"),
        (codecs.BOM_UTF8 + "Grüße aus Köln\nZweite Zeile".encode(), "utf-8-sig"),
    ],
)
def test_decode_byte_order_marks(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "a.txt") == ("Grüße aus Köln\nZweite Zeile", encoding)


def test_decode_cp1252_with_euro_and_quotes() -> None:
    text = "Der Preis stieg auf 5 € pro Liter – „zu teuer“, sagte sie."
    out, encoding = decode_bytes(text.encode("cp1252"), "preis.txt")
    assert out == text
    assert encoding != "utf-8"


@pytest.mark.parametrize(
    "text",
    [
        "Der Präsident traf Señor Muñoz in São Paulo und später in Málaga.",
        "Il a dit à la presse que le problème était réglé, selon le ministère.",
    ],
)
def test_decode_cp1252_western_names_are_not_mangled(text: str) -> None:
    out, _ = decode_bytes(text.encode("cp1252"), "bericht.txt")
    assert out == text


def test_decode_rejects_empty_bytes() -> None:
    with pytest.raises(EmptyInputError) as info:
        decode_bytes(b"", "leer.txt")
    assert "leer.txt" in str(info.value)
    assert "0 bytes" in str(info.value)


@pytest.mark.parametrize("data", [b"   \n\t \n", b"\r\n\r\n", "\u3000 \n".encode()])
def test_decode_rejects_whitespace_only(data: bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        decode_bytes(data, "luft.txt")
    assert info.value.source == "luft.txt"


def test_decode_rejects_nul_bytes_as_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
    with pytest.raises(BinaryInputError) as info:
        decode_bytes(png, "bild.png")
    assert "bild.png" in str(info.value)
    assert "binary" in str(info.value)


def test_decode_rejects_many_control_characters_as_binary() -> None:
    data = b"abc\x01\x02\x03\x04def\x05\x06"
    with pytest.raises(BinaryInputError):
        decode_bytes(data, "steuer.txt")


def test_decode_tolerates_a_stray_control_character() -> None:
    text = "Ein langer Satz mit einem verirrten Steuerzeichen \x07 darin. " + "Mehr Text. " * 30
    out, _ = decode_bytes(text.encode(), "glocke.txt")
    assert out == text


def test_decode_rejects_undecodable_bytes() -> None:
    data = b"Hallo \x81\x8d\x8f\x90\x9d Welt\n" * 20
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "kaputt.txt")
    assert info.value.source == "kaputt.txt"
    assert "UTF-8" in str(info.value)
    assert info.value.hint


def test_decode_rejects_broken_utf16_after_mark() -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8", "halb.txt")
    assert "halb.txt" in str(info.value)


def test_decode_errors_are_input_errors() -> None:
    for data in (b"", b"  ", b"\x00\x01\x02", b"\x81\x8d\x8f\x90\x9d" * 3):
        with pytest.raises(InputError):
            decode_bytes(data, "x.txt")
