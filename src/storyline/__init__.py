"""storyline: turn a pile of news articles into a sourced picture of what happened."""

from storyline.api import CleanResult, build_pipeline, clean_text, extract_html
from storyline.errors import StorylineError

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "StorylineError",
    "__version__",
    "build_pipeline",
    "clean_text",
    "extract_html",
]
