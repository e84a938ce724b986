"""The layer picture (docs/architecture.md): every subpackage imports only from those
below it, so no import runs back up the tree (`ingest/` reads inputs and knows nothing
of the stages after it; `jobs/` runs them in order)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"

#: bottom to top; a module may import from its own layer and the ones before it
LAYERS = (
    ("errors", "settings", "config", "datafiles", "i18n", "types", "records"),
    ("model",),
    ("pipeline",),
    ("encoder",),
    ("clean",),
    ("analyse",),
    ("store",),
    ("ingest",),
    ("stories",),
    ("search",),
    ("compare",),
    ("engine",),
    ("report", "export"),
    ("jobs",),
    ("api", "library"),
    ("watch",),
    ("web",),
    ("cli",),
)
#: imports that only name types (under TYPE_CHECKING) or read a format definition
ALLOWED = {
    ("model", "analyse"),  # Document's analysis field, typed only
    ("model", "clean"),  # Document's furniture field, typed only
    ("ingest", "export"),  # reading an export back needs its section names
}
_IMPORT = re.compile(r"^\s*(?:from|import) storyline\.(\w+)", re.M)


def _layer_of(name: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if name in names)


def test_layers_no_import_runs_back_up() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        top = rel.parts[0].removesuffix(".py")
        if top == "__init__":
            continue
        for target in _IMPORT.findall(path.read_text(encoding="utf-8")):
            if (top, target) in ALLOWED or target == top:
                continue
            if _layer_of(target) > _layer_of(top):
                upward.append(f"{rel} imports storyline.{target}")
    assert not upward, upward


def test_layers_name_every_subpackage() -> None:
    named = {n for names in LAYERS for n in names}
    found = {p.name.removesuffix(".py") for p in PACKAGE.iterdir() if p.suffix in ("", ".py")}
    found = {n for n in found if not n.startswith(("_", "."))}
    assert found <= named, found - named


#: a statement in a string literal, or a call that runs one
_SQL = re.compile(
    r"""(["'])\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA)\s"""
    r"""|\.(execute|executemany|executescript)\("""
)


def test_layers_no_sql_outside_the_store() -> None:
    """Only store/ knows the schema and speaks SQL (sqlite-utils' db.py): every other
    package asks it by function, so a second engine lives in one place."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "store":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _SQL.search(line):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert not found, found
