"""The per-article stages of an ingest, in order: extraction (ingest/extract.py) and
cleaning (clean/), checked for wiring when built. The analysis stage is added by the
ingest job (jobs/ingest.py) after its id check, so known content is not analysed twice."""

from __future__ import annotations

from storyline.clean import LineStats, clean_stages
from storyline.config import Config, resolve
from storyline.ingest.extract import extract_stage
from storyline.pipeline import Pipeline


def build_pipeline(config: Config | None = None, stats: LineStats | None = None) -> Pipeline:
    """Extraction and cleaning with `config`'s thresholds (default: the settings as the
    environment and settings file give them), checked for wiring when built.

    The analysis stage is added by the ingest job after its id check
    (:func:`storyline.jobs.ingest.analysis_stage`), so known content is not analysed twice.
    """
    return Pipeline([extract_stage, *clean_stages(config or resolve(), stats)])
