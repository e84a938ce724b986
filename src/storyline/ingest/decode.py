"""Bytes to text: encoding detection with the failure modes spelled out.

Why not just ``errors="replace"``: a mis-decoded article silently corrupts
names and quotes, which every later stage then trusts. We accept a decoding
only when it is clean, and otherwise say so with the reason.

One exception is repaired rather than refused: a file that is UTF-8 except for
a few stray bytes (a Latin-1 "ä" pasted into UTF-8 text). Reading the whole file
as cp1252 would turn every other umlaut into mojibake, so only the bad byte runs
are read (as cp1252 when that gives letters, else as U+FFFD), and the repair is
reported with the byte offset of the first run.
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
# Bytes that are not UTF-8, as Python's surrogateescape error handler marks them.
_BAD_RUN = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Lead bytes of the Latin letters in UTF-8: alone, a character cut short ("\xc3" of "ä").
_CUT_SHORT = frozenset({b"\xc2", b"\xc3"})
# What a stray byte run may read as in cp1252 to be taken as that (letters, typography).
_CP1252_TYPOGRAPHY = frozenset("€‚„…†‡‰‹›‘’“”•–—˜™«»°§£¥©®±²³µ¶·¹º¼½¾¿×÷ ")
#: NUL bytes tolerated in the first 8 KB of a text (removed later, and reported); more
#: mean a binary file or UTF-16 without a mark.
MAX_STRAY_NULS = 4
_BYTES_PER_STRAY_NUL = 1000  # and no more than one per this many bytes (a small binary has a few)


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


def _read_run(run: str) -> str:
    raw = bytes(ord(c) - 0xDC00 for c in run)
    if raw in _CUT_SHORT:
        return "\ufffd"  # the first byte of "ä", "é" … with the rest lost, not "Ã" or "Â"
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return "\ufffd" * len(raw)
    if all(c.isalpha() or c in _CP1252_TYPOGRAPHY for c in text):
        return text
    return "\ufffd" * len(raw)


def _mostly_utf8(data: bytes) -> tuple[str, list[str]] | None:
    """UTF-8 text with its few bad byte runs repaired, or None when it is not mostly UTF-8.

    Mostly UTF-8: it has multi-byte UTF-8 characters (an ASCII or cp1252 file has none)
    and more of them than bad byte runs.
    """
    text = data.decode("utf-8", "surrogateescape")
    runs = list(_BAD_RUN.finditer(text))
    valid = len(_NON_ASCII.findall(text)) - sum(len(m.group()) for m in runs)
    if valid == 0 or valid < len(runs):
        return None
    first = len(text[: runs[0].start()].encode("utf-8"))
    fixed: list[str] = []
    as_cp1252 = 0
    pos = 0
    for m in runs:
        fixed.append(text[pos : m.start()])
        read = _read_run(m.group())
        as_cp1252 += "\ufffd" not in read
        fixed.append(read)
        pos = m.end()
    fixed.append(text[pos:])
    n_bytes = sum(len(m.group()) for m in runs)
    note = (
        f"decoding: {len(runs)} run(s) of bytes that are not UTF-8 ({n_bytes} bytes, first at "
        f"byte {first:,}): {as_cp1252} read as cp1252, {len(runs) - as_cp1252} as U+FFFD"
    )
    return "".join(fixed), [note]


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise an :class:`InputError` subclass."""
    text, encoding, _repairs = decode_with_repairs(data, source)
    return text, encoding


def decode_with_repairs(data: bytes, source: str) -> tuple[str, str, list[str]]:
    """:func:`decode_bytes`, and the repairs made (stray bytes in mostly UTF-8 text)."""
    if not data:
        raise EmptyInputError(source, "is empty (0 bytes)", hint="remove the file or fill it")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean_decoded(data.decode(encoding), source, encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    source,
                    f"starts with a {encoding} byte-order mark but byte {exc.start} is invalid",
                    hint="re-save the file in UTF-8",
                ) from exc
    head = data[:8192]
    nuls = head.count(b"\x00")
    if nuls > min(MAX_STRAY_NULS, len(head) // _BYTES_PER_STRAY_NUL):
        raise BinaryInputError(
            source,
            "looks like a binary file (NUL bytes, no UTF-16 mark)",
            hint="give storyline text, HTML or JSON files",
        )
    try:
        return _clean_decoded(data.decode("utf-8"), source, "utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _clean_decoded(mostly[0], source, "utf-8"), "utf-8", mostly[1]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return _clean_decoded(text, source, "cp1252"), "cp1252", []
    match = from_bytes(data, cp_isolation=list(_FALLBACKS)).best()
    if match is not None:
        text = str(match)
        if not _C1.search(text):
            return _clean_decoded(text, source, match.encoding), match.encoding, []
    raise DecodeError(
        source,
        f"is not valid UTF-8 (byte {first_bad}) and no other supported encoding "
        "(cp1252, latin-1, UTF-16 with mark) decodes it cleanly",
        hint="re-save the file in UTF-8",
    )
