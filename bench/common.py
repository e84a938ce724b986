"""Shared helpers: where the benchmark data lives and how results are written."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"


def shared(*parts: str) -> Path | None:
    """A path under ../shared, or None (with a message) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        print(
            f"skip: {path} is absent (benchmarks read ../shared beside the checkout)",
            file=sys.stderr,
        )
        return None
    return path


def save(name: str, result: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}
