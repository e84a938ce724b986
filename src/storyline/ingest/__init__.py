"""Ingest stage: turn files, folders, stdin and JSON records into documents.

Readers never raise for a single bad input: they yield an :class:`InputError`
in its place, so one broken file is reported by name and the rest of the
batch is still stored.
"""

from storyline.ingest.decode import decode_bytes
from storyline.ingest.extract import extract_stage
from storyline.ingest.readers import iter_inputs

__all__ = ["decode_bytes", "extract_stage", "iter_inputs"]
