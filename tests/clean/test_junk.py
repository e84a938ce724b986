"""Junk lines: every phrase family removed with its reason, reporting that looks similar kept."""

from __future__ import annotations

import pytest

from storyline.api import clean_text
from storyline.clean.junk import classify_lines
from storyline.clean.phrases import phrase_rules
from storyline.model import LineVerdict

TITLE = "Stadtrat streitet über den Haushalt"
BODY = [
    "Der Stadtrat hat am Dienstag bis spät in den Abend über den Haushalt gestritten.",
    "Die Opposition warf der Mehrheit vor, die Schulen zu vernachlässigen.",
]


def verdict_of(line: str) -> LineVerdict:
    """The verdict for ``line`` placed between a title and two body sentences."""
    verdicts = classify_lines([TITLE, BODY[0], line, BODY[1]])
    assert verdicts[0].title and verdicts[0].reason is None
    return verdicts[2]


# (reason, German example, English example); all written for these tests.
JUNK: list[tuple[str, str, str]] = [
    (
        "paywall",
        "Werden Sie Mitglied bei der Stadtzeitung und lesen Sie alles",
        "Subscribe now to continue reading",
    ),
    ("paywall", "Dieser Artikel ist nur für Abonnenten verfügbar", "Already a subscriber? Sign in"),
    (
        "cookie-banner",
        "Wir verwenden Cookies, um Ihnen ein besseres Angebot zu machen",
        "We use cookies to improve your experience on our site",
    ),
    ("cookie-banner", "Alle Cookies akzeptieren", "Accept all cookies"),
    ("share-bar", "Teilen", "Share on Facebook"),
    ("share-bar", "Artikel teilen | drucken | merken", "12 Comments"),
    ("comment-form", "Kommentar schreiben", "Leave a reply"),
    (
        "comment-form",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
        "Your email address will not be published.",
    ),
    (
        "related-teaser",
        "Lesen Sie auch: Neue Regeln für den Schulweg",
        "See also: The budget vote in numbers",
    ),
    ("related-teaser", "Das könnte Sie auch interessieren", "You may also like"),
    ("navigation", "Nächster Artikel", "Next article"),
    ("navigation", "Startseite > Politik > Kommunales", "Back to top"),
    ("newsletter-promo", "Jetzt den Newsletter abonnieren", "Sign up for our daily newsletter"),
    ("app-promo", "Laden Sie jetzt unsere neue App herunter", "Download the Stadtnews app"),
    ("app-promo", "Folgen Sie uns auf Instagram", "Follow us on Instagram"),
    ("copyright", "© 2025 Stadtverlag GmbH", "Copyright 2025 City Press Ltd"),
    ("copyright", "Stadtverlag, alle Rechte vorbehalten", "City Press. All rights reserved."),
    ("image-credit", "Foto: Max Mustermann", "Photo: Jane Doe"),
    ("image-credit", "Der Saal des Rathauses / dpa", "The council chamber / Reuters"),
    (
        "outlet-promo",
        "Unterstützen Sie unabhängigen Journalismus",
        "Support independent journalism",
    ),
    ("outlet-promo", "Anzeige", "Advertisement"),
    (
        "media-teaser",
        "Video: Die Debatte im Stadtrat in voller Länge",
        "Podcast: Inside the budget negotiations",
    ),
    (
        "media-teaser",
        "Hören Sie das ganze Interview mit der Bürgermeisterin",
        "Listen to the full interview with the mayor",
    ),
    ("source-line", "Quelle: Stadtkurier", "Source: City Herald"),
]


@pytest.mark.parametrize(
    ("reason", "line"),
    [(r, de) for r, de, _ in JUNK],
    ids=[f"{r}-de-{i}" for i, (r, _, _) in enumerate(JUNK)],
)
def test_junk_german_phrase_is_removed_with_reason(reason: str, line: str) -> None:
    assert verdict_of(line).reason == reason


@pytest.mark.parametrize(
    ("reason", "line"),
    [(r, en) for r, _, en in JUNK],
    ids=[f"{r}-en-{i}" for i, (r, _, _) in enumerate(JUNK)],
)
def test_junk_english_phrase_is_removed_with_reason(reason: str, line: str) -> None:
    assert verdict_of(line).reason == reason


def test_junk_every_phrase_family_is_covered() -> None:
    families = {rule.reason for rule in phrase_rules()}
    covered = {r for r, _, _ in JUNK}
    # source-link ("Quelle", "View original") is the bare form of a source line
    assert families - covered <= {"source-link"}


BODY_LOOKALIKES = [
    "Next week the minister will travel to Paris.",
    "Weiter sagte der Minister, man werde prüfen.",
    "Die Regierung will jetzt eine neue App für Bürger einführen.",
    "Cookies sind seit Jahren ein Thema der Datenschützer, sagte sie.",
    "Watch the markets closely, the analyst advised on Monday.",
    "Lesen Sie die Stellungnahme, forderte der Abgeordnete die Ministerin auf.",
    "Teilen wollte der Bürgermeister die Verantwortung nicht.",
    "Video-Aufnahmen zeigen, wie die Polizei den Platz räumte.",
    "Share prices fell sharply after the announcement.",
    "Quelle der Unruhe ist nach Ansicht der Experten die hohe Miete.",
    "The newsletter of the party was sent to all members, she said.",
    "Folgen sind noch nicht absehbar, sagte ein Sprecher des Landkreises.",
    "Alle Rechte der Mieter bleiben nach Angaben des Gerichts erhalten.",
]


@pytest.mark.parametrize("line", BODY_LOOKALIKES)
def test_junk_body_sentence_that_resembles_junk_is_kept(line: str) -> None:
    assert verdict_of(line).reason is None


@pytest.mark.parametrize("line", BODY_LOOKALIKES)
def test_junk_body_sentence_survives_the_whole_pipeline(line: str) -> None:
    result = clean_text("\n".join([TITLE, BODY[0], line, BODY[1]]))
    assert line in result.text
    assert result.removed == []


# -- features and context ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1.234", "counter"),
        ("12 | 45", "counter"),
        ("https://www.stadtkurier.example/politik/haushalt-123", "link"),
        ("<www.beispiel.example>", "link"),
        ("Tagesschau", "outlet-name"),
        ("BBC News", "outlet-name"),
    ],
)
def test_junk_line_features(line: str, reason: str) -> None:
    assert verdict_of(line).reason == reason


def test_junk_short_fragment_wedged_between_junk() -> None:
    verdicts = classify_lines([TITLE, BODY[0], "Teilen", "Per Mail", "Drucken", BODY[1]])
    assert [v.reason for v in verdicts[2:5]] == ["share-bar", "junk-block", "share-bar"]
    assert verdicts[5].reason is None


def test_junk_fragment_next_to_body_is_kept() -> None:
    verdicts = classify_lines([TITLE, BODY[0], "Per Mail", "Drucken", BODY[1]])
    assert verdicts[2].reason is None


def test_junk_trailing_widgets_after_last_paragraph() -> None:
    lines = [
        TITLE,
        *BODY,
        "Wetter am Wochenende",
        "Staus auf der A7",
        "Storm warning for the coast",
    ]
    verdicts = classify_lines(lines)
    assert [v.reason for v in verdicts[:3]] == [None, None, None]
    assert [v.reason for v in verdicts[3:]] == ["trailing-widget"] * 3


def test_junk_teaser_list_after_related_heading() -> None:
    lines = [
        TITLE,
        *BODY,
        "Meistgelesen",
        "Wetter am Wochenende",
        "Staus auf der A7",
        "Most Popular",
        "Storm warning for the coast",
    ]
    verdicts = classify_lines(lines)
    assert [v.reason for v in verdicts[:3]] == [None, None, None]
    assert verdicts[3].reason == verdicts[6].reason == "related-teaser"
    # the teaser headlines under the heading go too, as teasers or trailing widgets
    assert all(v.reason in ("related-teaser", "trailing-widget") for v in verdicts[4:])


def test_junk_short_line_between_paragraphs_is_not_a_trailing_widget() -> None:
    lines = [TITLE, BODY[0], "Ein Zwischentitel", BODY[1]]
    assert classify_lines(lines)[2].reason is None


@pytest.mark.parametrize(
    "line", ["DAS KÖNNTE SIE AUCH INTERESSIEREN HEUTE ABEND", "MORE NEWS FROM THE REGION TODAY"]
)
def test_junk_caps_teaser_line(line: str) -> None:
    assert verdict_of(line).reason == "caps-teaser"


def test_junk_short_caps_acronyms_are_not_a_teaser() -> None:
    assert verdict_of("Die EU und die NATO berieten am Montag in Brüssel.").reason is None


def test_junk_first_line_in_caps_is_not_a_teaser() -> None:
    verdicts = classify_lines(["EILMELDUNG ZUM HAUSHALT DER STADT", *BODY])
    assert verdicts[0].reason is None and verdicts[0].title


@pytest.mark.parametrize(
    ("label", "title", "body"),
    [
        (
            "Politik",
            "Wahl in Frankreich: Macron unter Druck",
            [
                "Die Franzosen wählen am Sonntag ein neues Parlament.",
                "Die Umfragen sehen Le Pen vorn.",
            ],
        ),
        (
            "World",
            "Election in France: Macron under pressure",
            ["The French vote for a new parliament on Sunday.", "Polls show the opposition ahead."],
        ),
    ],
)
def test_junk_section_label_above_title(label: str, title: str, body: list[str]) -> None:
    verdicts = classify_lines([label, title, *body])
    assert verdicts[0].reason == "section-label"
    assert verdicts[1].title
    result = clean_text("\n".join([label, title, *body]))
    assert result.title == title
    assert {"line": label, "reason": "section-label", "position": 0} in result.removed


def test_junk_short_title_followed_by_sentence_is_not_a_label() -> None:
    verdicts = classify_lines(["Hochwasser", "Der Pegel steigt weiter.", "Die Stadt warnt."])
    assert verdicts[0].title and verdicts[0].reason is None


def test_junk_lowercase_byline() -> None:
    assert classify_lines([TITLE, "von Anna Schmidt", *BODY])[1].reason == "byline"


@pytest.mark.parametrize(
    "line", ["Von Anna Schmidt", "By Jane Doe and John Roe", "Autor: Peter Meier"]
)
def test_junk_capitalised_byline(line: str) -> None:
    assert classify_lines([TITLE, line, *BODY])[1].reason == "byline"


def test_junk_byline_keyword_in_a_sentence_is_kept() -> None:
    line = "Von Hamburg aus fuhr der Zug am Abend weiter nach Berlin."
    assert classify_lines([TITLE, line, *BODY])[1].reason is None


LONG_TITLE = "Stadtrat beschließt nach langer Debatte neuen Haushalt für das kommende Jahr"


def test_junk_repeated_title_with_credit_metadata_title() -> None:
    lines = [LONG_TITLE, LONG_TITLE + " Foto: Peter Müller/dpa", *BODY]
    verdicts = classify_lines(lines, title=LONG_TITLE)
    assert verdicts[0].title
    assert verdicts[1].reason == "repeated-title"
    result = clean_text("\n".join(lines), title=LONG_TITLE)
    assert result.title == LONG_TITLE
    assert "Foto" not in result.text


def test_junk_repeated_title_with_credit_without_metadata() -> None:
    lines = [LONG_TITLE, LONG_TITLE + " Foto: Peter Müller/dpa", *BODY]
    verdicts = classify_lines(lines)
    assert verdicts[0].title
    assert verdicts[1].reason == "repeated-title"


@pytest.mark.parametrize(
    ("title", "line"),
    [
        ("Wahl", "Wahlbeteiligung sank auf 50 Prozent, teilte die Stadt mit."),
        ("Streik bei der Bahn", "Streik bei der Bahn legt den Verkehr lahm, sagten Pendler."),
        ("Strike", "Strikes have become more common this year, the union said."),
    ],
)
def test_junk_body_sentence_starting_like_the_title_is_kept(title: str, line: str) -> None:
    result = clean_text("\n".join([title, BODY[0], line, BODY[1]]), title=title)
    assert line in result.text
    assert result.removed == []


def test_junk_metadata_title_is_matched_in_first_lines() -> None:
    verdicts = classify_lines(["Politik", TITLE, *BODY], title=TITLE.upper())
    assert verdicts[1].title
    assert sum(v.title for v in verdicts) == 1


def test_junk_exactly_one_title_and_positions_kept() -> None:
    verdicts = classify_lines(["Teilen", TITLE, *BODY], positions=[0, 2, 5, 7])
    assert [v.position for v in verdicts] == [0, 2, 5, 7]
    assert sum(v.title for v in verdicts) == 1
    assert verdicts[1].title


def test_junk_removed_lines_keep_their_raw_positions() -> None:
    raw = f"{TITLE}\n\nTeilen\n\n{BODY[0]}\nDrucken\n{BODY[1]}\n"
    result = clean_text(raw)
    assert [(r["position"], r["reason"]) for r in result.removed] == [
        (2, "share-bar"),
        (5, "share-bar"),
    ]
    assert result.text == f"{BODY[0]}\n\n{BODY[1]}"
