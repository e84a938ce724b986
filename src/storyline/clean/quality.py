"""Pages that are not articles: a quality flag with its reason.

Why: scraped pages are not all articles, and cleaning turned some into text that
looked like one: a page whose text is one slogan twice, a page of PHP warnings
(detected as English), a menu, an interview whose only title is the magazine's
name. Stored silently, they joined events and stories and skewed them. Such a page
is still stored (so a user can see it and decide), with ``quality`` naming why it
is not an article; grouping leaves it out and ``storyline status`` lists it.

Each check is deliberately narrow: a short news brief or a list of results is an
article, and a false flag hides it from every story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from storyline.clean.phrases import canonical_outlet
from storyline.settings import QUALITY_MIN_WORDS

#: Interpreter and server error output (PHP, Python, Java, ASP.NET, SQL).
_ERROR_LINE = re.compile(
    r"(?i)^\s*(?:(?:php\s+)?(?:warning|notice|fatal error|parse error|deprecated|"
    r"strict standards|catchable fatal error)\s*:|traceback \(most recent call last\)|"
    r"uncaught exception|stack trace:|#\d+\s+\S+\(\d+\)|\s*at [\w.$]+\([\w.]*:?\d*\)|"
    r"server error in '|sqlstate\[|error establishing a database connection|"
    r"(?:mysql|mysqli|pg)_\w+\(\)|call to undefined function)"
)
_PHP_LOCATION = re.compile(r"(?i)\bin\s+/\S+\.php\s+on\s+line\s+\d+")
#: Share of lines that must be error output for the page to be an error page.
ERROR_SHARE = 0.5
#: A menu line: this many words at most, and no sentence end.
NAV_MAX_WORDS = 4
#: Share of short non-sentence lines that makes a page navigation only.
NAV_SHARE = 0.8
#: A site name is a few words; a page that gives its headline as site name is not flagged.
OUTLET_MAX_WORDS = 4
#: Fewer lines than this are not judged as navigation (a brief with a subheading is fine).
NAV_MIN_LINES = 5
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")


def _flat(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _is_error(line: str) -> bool:
    return _ERROR_LINE.search(line) is not None or _PHP_LOCATION.search(line) is not None


def _repeated(paragraphs: Sequence[str]) -> bool:
    """The text says one thing over and over ("Qualität seit 1920. Qualität seit 1920.")."""
    units = [_flat(s) for p in paragraphs for s in _SENTENCE.findall(p) if _flat(s)]
    return len(units) >= 2 and len(set(units)) == 1


def _navigation(paragraphs: Sequence[str]) -> bool:
    if len(paragraphs) < NAV_MIN_LINES:
        return False
    short = [
        p
        for p in paragraphs
        if len(_WORD.findall(p)) <= NAV_MAX_WORDS and not p.rstrip().endswith((".", "!", "?"))
    ]
    return len(short) >= NAV_SHARE * len(paragraphs)


def _title_is_outlet(title: str | None, outlet: str | None, site: str | None) -> bool:
    if not title or len(_WORD.findall(title)) > OUTLET_MAX_WORDS:
        return False
    flat = _flat(title)
    names = {_flat(n) for n in (outlet, site) if n}
    return flat in names or canonical_outlet(title) is not None


def assess(
    title: str | None,
    text: str,
    outlet: str | None = None,
    site: str | None = None,
    min_words: int = QUALITY_MIN_WORDS.default,
) -> str | None:
    """Why the cleaned page is not an article (a short reason), or None when it is one.

    ``outlet``: the outlet found; ``site``: the site name the page itself gave;
    ``min_words``: the ``quality_min_words`` setting.
    """
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    lines = [ln for p in paragraphs for ln in p.split("\n") if ln.strip()]
    errors = sum(1 for ln in lines if _is_error(ln))
    if lines and errors >= ERROR_SHARE * len(lines):
        return f"error-output: {errors} of {len(lines)} line(s) are error messages"
    if _repeated(paragraphs):
        return "repeated-text: the text is one sentence repeated"
    if _navigation(paragraphs):
        return "navigation-only: the text is a list of short menu items"
    words = len(_WORD.findall(text))
    if words < min_words:
        return f"too-short: {words} word(s) of text after cleaning"
    if _title_is_outlet(title, outlet, site):
        return f"title-is-outlet: the title {title!r} is the outlet's name"
    return None


__all__ = ["assess"]
