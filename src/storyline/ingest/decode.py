"""Bytes to text: encoding detection with the failure modes spelled out.

Why not just ``errors="replace"``: a mis-decoded article silently corrupts
names and quotes, which every later stage then trusts. We accept a decoding
only when it is clean, and otherwise say so with the reason.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from storyline.errors import BinaryInputError, DecodeError, EmptyInputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in real text (tab, newlines, form feed excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# C1 controls: what latin-1 makes of bytes that belong to another encoding.
_C1 = re.compile(r"[\x80-\x9f]")
# Tried by charset-normalizer only when strict cp1252 fails (cp1252 is by far the most
# common legacy encoding of German and English web text and must win when it fits).
_FALLBACKS = ("latin_1", "iso8859_15", "cp1250")


def _clean_decoded(text: str, source: str, encoding: str) -> str:
    sample = text[:100_000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise BinaryInputError(
            source,
            f"looks like a binary file (control characters after decoding as {encoding})",
            hint="give storyline text, HTML or JSON files",
        )
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise EmptyInputError(source, "contains only whitespace", hint="remove the file")
    return text


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise an :class:`InputError` subclass."""
    if not data:
        raise EmptyInputError(source, "is empty (0 bytes)", hint="remove the file or fill it")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean_decoded(data.decode(encoding), source, encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source,
                    f"starts with a {encoding} byte-order mark but byte {exc.start} is invalid",
                    hint="re-save the file in UTF-8",
                ) from exc
    if b"\x00" in data[:8192]:
        raise BinaryInputError(
            source,
            "looks like a binary file (NUL bytes, no UTF-16 mark)",
            hint="give storyline text, HTML or JSON files",
        )
    try:
        return _clean_decoded(data.decode("utf-8"), source, "utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return _clean_decoded(text, source, "cp1252"), "cp1252"
    match = from_bytes(data, cp_isolation=list(_FALLBACKS)).best()
    if match is not None:
        text = str(match)
        if not _C1.search(text):
            return _clean_decoded(text, source, match.encoding), match.encoding
    raise DecodeError(
        source,
        f"is not valid UTF-8 (byte {first_bad}) and no other supported encoding "
        "(cp1252, latin-1, UTF-16 with mark) decodes it cleanly",
        hint="re-save the file in UTF-8",
    )
