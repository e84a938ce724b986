"""storyline: turn a pile of news articles into a sourced picture of what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storyline.api import CleanResult, build_pipeline, clean_text, extract_html
from storyline.errors import StorylineError

if TYPE_CHECKING:
    from storyline.analyse.run import analyze
    from storyline.stories.similarity import similarity

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "StorylineError",
    "__version__",
    "analyze",
    "build_pipeline",
    "clean_text",
    "compare",
    "extract_html",
    "similarity",
]


def __getattr__(name: str) -> Any:
    # Analysis and similarity load statistical models; import them only when used.
    if name == "analyze":
        from storyline.analyse.run import analyze

        return analyze
    if name == "compare":
        import storyline.compare

        return storyline.compare
    if name == "similarity":
        from storyline.stories.similarity import similarity

        return similarity
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
