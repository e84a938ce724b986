"""The one table of interface words (storyline/i18n.py): every key in both languages, and
the same thing called the same in the web UI and the briefings."""

from __future__ import annotations

from storyline.i18n import LANGS, TEXT, section, translate

#: texts that read the same in one language and name two things in the other: the
#: search page's title (noun) and button (verb); German "alle" for "any" and "every"
HOMONYMS = {"en": {"search"}, "de": {"alle"}}


def test_i18n_every_key_has_every_language() -> None:
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_i18n_the_same_thing_gets_the_same_word() -> None:
    """Keys with the same text in one language have the same text in the other, so a page
    and a briefing never call one thing by two names ("Zeitleiste" / "Chronologie")."""
    for lang, other in (("en", "de"), ("de", "en")):
        seen: dict[str, dict[str, str]] = {}
        for key, entry in TEXT.items():
            text = entry[lang].strip().lower()
            if text in HOMONYMS[lang]:
                continue
            seen.setdefault(text, {})[key] = entry[other].strip().lower()
        clashes = {text: keys for text, keys in seen.items() if len(set(keys.values())) > 1}
        assert not clashes, clashes


def test_i18n_sections_serve_the_briefing_templates() -> None:
    briefing = section("report.", "de")
    assert briefing["timeline"] == translate("report.timeline", "de") == "Chronologie"
    assert briefing["timeline"] == translate("story.timeline", "de")
    assert "report.timeline" not in briefing and "nav.stories" not in briefing


def test_i18n_labels_every_way_a_search_hit_is_found() -> None:
    """The search page labels each hit by what found it: a kind without a label was a 500
    on every search whose query names an entity in another spelling."""
    from storyline.search.engine import MATCHED_BY

    for kind in MATCHED_BY:
        for lang in LANGS:
            assert translate(f"search.matched.{kind}", lang).strip()
