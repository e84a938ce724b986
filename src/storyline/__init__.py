"""storyline: turn a pile of news articles into a sourced picture of what happened.

The library (docs/api.md, "As a library"): plain functions, one convention.

* Text in, results out: :func:`clean_text`, :func:`extract_html`, :func:`analyze`,
  :func:`similarity`.
* A store first, then what to do with it (:mod:`storyline.library`): :func:`open`,
  :func:`ingest`, :func:`search`, :func:`compare`, :func:`report`. Each takes an open
  :class:`Store` or a path.
"""

from __future__ import annotations

import sys
from types import ModuleType  # not `import types`: storyline.types would replace it
from typing import TYPE_CHECKING, Any

from storyline.api import CleanResult, clean_text, extract_html
from storyline.errors import StorylineError
from storyline.jobs.pipeline import build_pipeline
from storyline.library import compare, ingest, open, report, search
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.analyse.run import analyze
    from storyline.stories.similarity import similarity

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Store",
    "StorylineError",
    "__version__",
    "analyze",
    "build_pipeline",
    "clean_text",
    "compare",
    "extract_html",
    "ingest",
    "open",
    "report",
    "search",
    "similarity",
]

#: Public functions that share their name with a stage's subpackage.
_FUNCTIONS = {"compare": compare, "ingest": ingest, "report": report, "search": search}


class _Package(ModuleType):
    """Keeps `storyline.search` (and compare, ingest, report) the public function.

    Why: importing a submodule (``import storyline.search.engine``) makes Python bind the
    subpackage as an attribute of its parent, which would replace the function of the same
    name depending on what happened to be imported first. The subpackages stay importable
    by their full names (``from storyline.search import ...``); only the attribute is kept.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _FUNCTIONS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    # Analysis and similarity load statistical models; import them only when used.
    if name == "analyze":
        from storyline.analyse.run import analyze

        return analyze
    if name == "similarity":
        from storyline.stories.similarity import similarity

        return similarity
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
