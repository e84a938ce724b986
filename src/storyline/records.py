"""The record shapes every interface shows: the export's (``storyline.export/1``), which
the HTTP API, the CLI's ``--json`` and the report read too.

Why here, at the bottom of the layers, and not in ``store/``: the records are made in
several layers (articles, entities and analysis rows in ``store``, events, stories and the
timeline in ``stories``, claims and the comparison in ``compare``) and read in the layers
above them (``export``, ``report``, ``web``); one module that imports nothing of storyline
is one that each of them can import. The shapes are ``TypedDict``s: plain dicts at run time
(what ``json.dumps`` writes), checked by mypy. ``docs/export.md`` is the reference for what
each key means; ``tests/test_records.py`` holds the two to what the code produces, key by
key, so a key added to a record must be added here (and documented) too.

Keys a record carries only sometimes (``storyline story --json``'s details) are
``NotRequired``. No ``from __future__ import annotations`` here: ``typing`` must see
``NotRequired`` itself to tell required keys from optional ones at run time.
"""

from typing import Literal, NotRequired, TypedDict

from storyline.types import (
    ArticleId,
    ClaimId,
    EntityId,
    EventId,
    IsoDate,
    JSONValue,
    StoryId,
    Timestamp,
)

#: Where a publication date came from (docs/export.md, ``published_source``).
PublishedSource = Literal["metadata", "text", "inferred"]
#: An entity's type.
EntityType = Literal["PER", "ORG", "LOC", "MISC"]
#: How exact a dated mention is.
Precision = Literal["day", "month", "year", "decade", "range"]
#: What a claim does: denies, gives a figure, is mostly hedged, or states.
ClaimKind = Literal["denial", "figure", "hedged", "statement"]

# -- the export's header and articles ---------------------------------------------------


class ExportHeader(TypedDict):
    """The first object of an export (the first line in JSON Lines)."""

    #: ``storyline.export/1``: keys are only added under one name.
    schema: str
    #: the store's schema version (storyline.store.SCHEMA_VERSION)
    store_schema_version: int
    generated_at: Timestamp
    article_count: int


class Evidence(TypedDict):
    """Why a guessed value (outlet, publication date) was chosen."""

    #: ``metadata``, ``url``, ``text:<cue>``, ``inferred (confidence 0.80)`` …
    method: str
    #: the line or value used
    detail: str


class RemovedLine(TypedDict):
    """A line cleaning removed from the raw text."""

    line: str
    #: ``paywall``, ``share-bar``, ``junk-model p=0.93`` … (docs/export.md, Removal reasons)
    reason: str
    #: 0-based line number in the raw text, so the original can be rebuilt
    position: int


class Provenance(TypedDict):
    """One input that produced an article."""

    #: the URL or path it was read from (``file.jsonl:3``, ``<stdin>``)
    source: str
    url: str | None
    byte_hash: str
    ingested_at: Timestamp


class EchoEvidence(TypedDict):
    """Why an article is an echo of an earlier one (``echo_of``)."""

    #: the earlier article's outlet, named as the source in this one's text
    names_outlet: str | None
    #: entity ids quoted directly in both
    same_speakers_quoted: list[EntityId]
    #: figures both give
    shared_figures: list[float]


class ArticleRecord(TypedDict):
    """An article as the export, ``storyline show --json`` and ``GET /articles/{id}`` give it
    (``Store.get_article``, ``Store.iter_articles``)."""

    #: first 16 hex digits of SHA-256 over the normalised title hint and raw text
    id: ArticleId
    #: where it first came from: URL if known, else the path (None without provenance)
    source: str | None
    #: headline: metadata title, else the first line that is not junk
    title: str | None
    #: publishing outlet, canonical name for known outlets
    outlet: str | None
    outlet_evidence: Evidence | None
    #: author read from a byline or metadata
    author: str | None
    #: news agency the outlet took the report from
    agency: str | None
    #: ISO 639-1 code; None when unsure
    lang: str | None
    published: IsoDate | None
    published_source: PublishedSource | None
    #: 1.0 for metadata and datelines; for inferred dates how sure the inference is
    published_confidence: float | None
    #: clean text, paragraphs separated by a blank line
    text: str
    removed: list[RemovedLine]
    #: the earlier article with the same clean text, or a near-duplicate of it
    duplicate_of: ArticleId | None
    #: the event the article reports (None until grouped)
    event: EventId | None
    #: the story the event belongs to
    story: StoryId | None
    #: an earlier article of the same event this one re-reports
    echo_of: ArticleId | None
    echo_evidence: EchoEvidence | None
    #: canonical URL if known
    url: str | None
    #: probability of ``lang``
    lang_confidence: float | None
    published_evidence: Evidence | None
    #: glued sentences repaired (``"RusslandDamit -> Russland. Damit"``)
    repairs: list[str]
    sources: list[Provenance]
    #: when the article entered the store (UTC)
    created_at: Timestamp
    #: why the page is not an article (``too-short: …``); None for an article
    quality: str | None


# -- analysis sections --------------------------------------------------------------------
# All ``start``/``end`` are character offsets into the article's ``text``.


class EntityRecord(TypedDict):
    """An entity (export section ``entities``; ``GET /entities/{id}``)."""

    id: EntityId
    #: the fullest name used
    name: str
    type: EntityType
    #: other written forms
    aliases: list[str]
    #: roles and titles seen next to the name ("Kremlsprecher")
    descriptions: list[str]
    #: ids of the articles that mention it
    articles: list[ArticleId]


class EntityMerge(TypedDict):
    """One written form joined to an entity, and why (``storyline entities --explain``)."""

    alias: str
    reason: str
    article_id: ArticleId
    created_at: Timestamp


class EntityListing(EntityRecord):
    """An entity as ``storyline entities`` and ``GET /entities`` list it."""

    mention_count: int
    #: with ``--explain`` (and ``GET /entities/{id}``): every merge behind its aliases
    merges: NotRequired[list[EntityMerge]]


class EntityDetail(EntityListing):
    """One entity with its merges and quotes (``GET /entities/{id}``)."""

    quotes: list["SpeakerQuote"]


class MentionRecord(TypedDict):
    """A named-entity mention (export section ``mentions``)."""

    article: ArticleId
    #: the store entity it is linked to (None when it was not linked)
    entity: EntityId | None
    start: int
    end: int
    text: str
    #: the tagger's label (``PER``, ``ORG``, ``LOC``, ``MISC``)
    label: str


class QuoteRecord(TypedDict):
    """A quote (export section ``quotes``)."""

    article: ArticleId
    text: str
    start: int
    end: int
    kind: Literal["direct", "indirect"]
    #: entity id of the speaker, or None
    speaker: EntityId | None
    #: as written, expanded to the fullest name in the article
    speaker_name: str | None
    #: the cue verb or phrase
    cue: str | None
    #: reporting chain ("dem US-Partner CBS der BBC")
    via: str | None


class DateRecord(TypedDict):
    """A dated mention (export section ``dates``)."""

    article: ArticleId
    text: str
    start: int
    end: int
    #: ISO: ``2024-06-18``, ``2024-06``, ``2024``, ``199`` (a decade), or a range
    value: IsoDate
    precision: Precision


class QuantityRecord(TypedDict):
    """A figure (export section ``quantities``)."""

    article: ArticleId
    text: str
    start: int
    end: int
    value: float
    #: normalised: ``EUR``, ``USD``, ``%``, ``km`` …, or None
    unit: str | None
    #: the noun counted ("Container")
    counted: str | None
    #: "rund", "bis zu", "mehr als" …
    hedge: str | None


class SpeakerQuote(TypedDict):
    """A quote with its article's outlet and date and its speaker's name
    (store.analysis.quotes_by_speaker: ``storyline quotes``, ``GET /entities/{id}``)."""

    article: ArticleId
    text: str
    kind: Literal["direct", "indirect"]
    speaker: EntityId | None
    speaker_name: str | None
    cue: str | None
    via: str | None
    start: int
    end: int
    outlet: str | None
    published: IsoDate | None
    #: the speaker entity's name
    speaker_entity: str | None


class ArticleMention(TypedDict):
    """A mention in one article's analysis (store.analysis.article_analysis)."""

    start: int
    end: int
    text: str
    label: str
    entity: EntityId | None


class ArticleQuote(TypedDict):
    """A quote in one article's analysis."""

    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect"]
    speaker: EntityId | None
    speaker_name: str | None
    cue: str | None
    via: str | None
    #: the learned tagger's confidence (None for the rules' quotes)
    confidence: float | None
    #: what the speaker is (person, organisation …) as the learned tagger tells
    speaker_kind: str | None


class ArticleDate(TypedDict):
    """A dated mention in one article's analysis."""

    start: int
    end: int
    text: str
    value: IsoDate
    precision: Precision


class ArticleQuantity(TypedDict):
    """A figure in one article's analysis."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    counted: str | None
    hedge: str | None


class ArticleAnalysis(TypedDict):
    """One article's analysis, in text order (``storyline show --analysis``)."""

    mentions: list[ArticleMention]
    quotes: list[ArticleQuote]
    dates: list[ArticleDate]
    quantities: list[ArticleQuantity]


class AnalysedArticle(ArticleRecord, ArticleAnalysis):
    """An article with its analysis (``GET /articles/{id}``)."""


class SearchHit(TypedDict):
    """An article found by ``storyline.search`` (``storyline search --json``, ``GET /search``)."""

    id: ArticleId
    title: str | None
    outlet: str | None
    lang: str | None
    published: IsoDate | None
    #: reciprocal-rank-fusion score (comparable across modes)
    score: float
    #: plain text around the first matched word, or the lead
    snippet: str
    #: ``text``, ``meaning`` and/or ``name``
    matched_by: list[str]
    #: the raw scores, None where that ranking did not find it
    bm25: float | None
    similarity: float | None
    event: EventId | None
    duplicate_of: ArticleId | None


# -- events, stories and the timeline ---------------------------------------------------


class ArticleHead(TypedDict):
    """What every list of a cluster's articles shows of one (the keys below are shared by
    ClusterArticle, EventArticle and store.pages.ArticleLine)."""

    id: ArticleId
    title: str | None
    outlet: str | None
    lang: str | None
    published: IsoDate | None
    published_source: PublishedSource | None
    duplicate_of: ArticleId | None
    echo_of: ArticleId | None
    event: EventId


class ClusterArticle(ArticleHead):
    """An article of an event or story as the records read it (store.stories.cluster_articles);
    ``echo_evidence`` is the stored JSON text."""

    echo_evidence: str | None
    story: StoryId


class EventArticle(ArticleHead):
    """An article in an event's ``article_details`` (``storyline story --json``, ``GET
    /events/{id}``): a ClusterArticle with its ``echo_evidence`` read."""

    echo_evidence: EchoEvidence | None
    story: StoryId


class EventRecord(TypedDict):
    """An event (export section ``events``; stories.read.event_record)."""

    id: EventId
    story: StoryId
    #: headline of the event's most central article
    title: str | None
    #: ``YYYY-MM-DD`` or ``YYYY-MM-DD/YYYY-MM-DD``: the days its reports name most
    date: IsoDate | None
    #: no article of the event states its publication date, so its date is inferred
    date_inferred: bool
    #: ids, oldest first
    articles: list[ArticleId]
    #: distinct origins: a duplicate or an echo counts for the article it copies
    independent_sources: int
    outlets: list[str]
    #: with ``full``: its articles
    article_details: NotRequired[list[EventArticle]]


class TimelineSource(TypedDict):
    """An article whose sentence states a timeline entry's date."""

    article: ArticleId
    outlet: str | None
    #: the sentence's offsets
    start: int
    end: int


class TimelineEntryRecord(TypedDict):
    """One fact on a story's timeline (export section ``timeline``)."""

    story: StoryId
    #: ISO value as in ``dates``
    date: IsoDate
    precision: str
    #: a sentence from an article, never generated
    text: str
    sources: list[TimelineSource]
    #: every source's date for it rests on an inferred publication date
    inferred: bool


class ClusterLogEntry(TypedDict):
    """One grouping decision (``storyline story ID --log``; stories.read.cluster_log)."""

    id: int
    #: ``event`` or ``story``
    kind: str
    #: ``open``, ``join``, ``move``, ``merge``, ``split`` or ``recluster``
    action: str
    cluster: str
    subject: str | None
    #: the similarities and shared entities behind it (free-form)
    evidence: JSONValue
    created_at: Timestamp


class StoryRecord(TypedDict):
    """A story (export section ``stories``; stories.read.story_record)."""

    id: StoryId
    #: the entities most of its articles name
    title: str | None
    #: ids, oldest first
    events: list[EventId]
    articles: list[ArticleId]
    #: with ``full`` (``storyline story --json``, ``GET /stories/{id}``): the events' details
    event_details: NotRequired[list[EventRecord]]
    #: with ``full``: articles per outlet ("?" for unknown), most first
    outlets: NotRequired[dict[str, int]]
    #: with ``full``: the articles' languages
    languages: NotRequired[list[str]]
    #: with ``full``: the story's timeline
    timeline: NotRequired[list[TimelineEntryRecord]]
    #: ``storyline story --json --log``: the grouping decisions behind it
    log: NotRequired[list["ClusterLogEntry"]]


class StorySummary(TypedDict):
    """A story in the list of stories (``storyline stories --json``, ``GET /stories``)."""

    id: StoryId
    title: str | None
    #: how many events, articles and distinct outlets
    events: int
    articles: int
    outlets: int
    #: the story's date range
    first: IsoDate | None
    last: IsoDate | None
    #: no article of the story states its date
    dates_inferred: bool
    languages: list[str]


# -- claims and the comparison ----------------------------------------------------------


class FigureRecord(ArticleQuantity):
    """A figure in a claim's sentence (compare.units.Figure): the keys of a figure in an
    article's analysis."""


class ClaimFigure(FigureRecord):
    """A figure of a claim, with where it stands and what makes it a quantity."""

    article: ArticleId
    #: entity id of who is quoted giving it
    speaker: EntityId | None
    speaker_name: str | None
    #: the counted thing, read through the nouns that count the same (None for a bare
    #: number); with `context` and `dates` what makes two figures one quantity
    #: (compare/quantities.py), so that only the same quantity "differs"
    thing: str | None
    #: the words around the figure that say what happened to what it counts
    context: list[str]
    #: the dates its sentence gives
    dates: list[IsoDate]


class ClaimSource(TypedDict):
    """An article that carries a claim."""

    article: ArticleId
    outlet: str | None
    #: the sentence's offsets
    start: int
    end: int
    #: the passage, verbatim
    text: str
    #: entity id of who is quoted in it
    speaker: EntityId | None
    speaker_name: str | None
    #: the outlet or person it reached the reporter through
    via: str | None
    published: IsoDate | None
    #: the article this source copies (an echo, or the same text)
    echo_of: ArticleId | None


class ClaimRecord(TypedDict):
    """A claim (export section ``claims``; ``storyline claims --json``)."""

    #: ``c-`` and 12 hex digits, from the claim's first source
    id: ClaimId
    #: the event most of its sources belong to
    event: EventId | None
    story: StoryId
    #: the passage of the earliest source, verbatim
    text: str
    kind: ClaimKind
    #: the hedging word or phrase, when hedged or a vague figure
    hedge: str | None
    sources: list[ClaimSource]
    #: outlets carrying it, in order of publication
    outlets: list[str]
    #: distinct origins among the sources (an echo counts for the outlet it copies)
    independent_sources: int
    echoes: int
    #: entity ids named in its passages
    entities: list[EntityId]
    figures: list[ClaimFigure]
    #: claim ids this denial disputes, and the denials disputing this claim
    disputes: list[ClaimId]
    disputed_by: list[ClaimId]
    #: ranking: independent sources first, then figures, speakers, disputes, lead position
    weight: float


class OutletTally(TypedDict):
    """One outlet in a comparison."""

    outlet: str
    articles: int
    claims: int
    #: claims only this outlet carries
    unique: int
    echoes: int


class Dispute(TypedDict):
    """A claim and the denials disputing it."""

    claim: ClaimId
    denied_by: list[ClaimId]


class ClaimsState(TypedDict):
    """Whether a story's stored claims are current, and when they were made."""

    current: bool
    computed_at: Timestamp | None


class FigureRow(ClaimFigure):
    """A claim's figure in the comparison's figure table (compare.figures): a ClaimFigure
    with its claim, outlet and passage."""

    claim: ClaimId
    outlet: str | None
    #: the source's passage ("" when no source holds the figure)
    passage: str


class FigureSide(TypedDict):
    """One side of two figures that differ."""

    value: float
    text: str
    hedge: str | None
    outlet: str | None
    article: ArticleId
    start: int
    claim: ClaimId
    speaker_name: str | None
    passage: str


class FigureDifference(TypedDict):
    """Two articles giving one quantity with other values."""

    thing: str | None
    unit: str | None
    values: list[FigureSide]
    #: in a comparison (storyline.compare.figures.summarised): how many article pairs give
    #: these two values; `values` is the first of them
    pairs: NotRequired[int]


class FigureGroup(TypedDict):
    """Figures for the same thing side by side."""

    subject: str
    speaker: str | None
    differ: bool
    differences: list[FigureDifference]
    rows: list[FigureRow]
    #: in a comparison: how many distinct pairs of values differ (`differences` holds the
    #: most reported of them)
    differences_total: NotRequired[int]


class Comparison(TypedDict):
    """``storyline.compare(ID)``: a story's or event's claims with how outlets compare."""

    schema_version: int
    id: StoryId | EventId
    #: ``story`` or ``event``
    kind: str
    story: StoryId
    events: list[EventId]
    outlets: list[OutletTally]
    claims: list[ClaimRecord]
    figures: list[FigureGroup]
    #: claim ids only one outlet carries, per outlet
    unique: dict[str, list[ClaimId]]
    disputes: list[Dispute]
    claims_state: ClaimsState


#: A row of one of the export's sections (export.SECTIONS).
SectionRecord = (
    EntityRecord
    | MentionRecord
    | QuoteRecord
    | DateRecord
    | QuantityRecord
    | EventRecord
    | StoryRecord
    | TimelineEntryRecord
    | ClaimRecord
)
#: A row of one of the analysis tables in export form (store.analysis.all_rows).
AnalysisRecord = MentionRecord | QuoteRecord | DateRecord | QuantityRecord
