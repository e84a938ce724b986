"""The tense reader's word lookup (dates_lex._between): the words of a sentence found once
and sliced per date must be exactly what a regex search of the window finds, or dating
would change with the speed-up (clause_tense read every word near every date again)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storyline.analyse import dates_lex

_TEXT = st.text(alphabet=st.sampled_from(list("ab ’'1,.Üß-\u00a0")), max_size=60)


@given(_TEXT, st.integers(0, 70), st.integers(0, 70), st.one_of(st.none(), st.integers(0, 5)))
def test_between_finds_what_the_regex_finds(text: str, lo: int, hi: int, limit: int | None) -> None:
    lo, hi = min(lo, len(text)), min(max(lo, hi), len(text))
    expected = [(m.start(), m.end(), m.group()) for m in dates_lex._WORD.finditer(text, lo, hi)]
    if limit is not None:
        expected = expected[:limit]
    assert dates_lex._between(text, lo, hi, limit) == expected
