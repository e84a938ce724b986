"""All tunable settings in one table.

The table feeds ``storyline settings``, the CLI's ``--help`` defaults and
``docs/settings.md``, so a setting documented in one place is documented
everywhere. Each setting can be given in a settings file (TOML, ``--config FILE`` or
``STORYLINE_CONFIG``), by an environment variable ``STORYLINE_<NAME>`` (upper case) and by
explicit CLI options. They are read in one place, :func:`storyline.config.resolve`, into a
frozen :class:`~storyline.config.Config` that is handed down to every layer: nothing else
reads the environment for a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from storyline.errors import ConfigError

T = TypeVar("T", int, float, str)


@dataclass(frozen=True)
class Setting(Generic[T]):
    name: str
    default: T
    help: str
    choices: tuple[T, ...] = ()

    @property
    def env_var(self) -> str:
        return "STORYLINE_" + self.name.upper()

    def parse(self, raw: object, origin: str) -> T:
        """`raw` (a string from the environment or a CLI option, or a value from the
        settings file) as this setting's type, checked against its choices. `origin` names
        where it came from in the error (e.g. ``STORYLINE_BATCH_SIZE``, ``storyline.toml``)."""
        kind = type(self.default)
        try:
            if isinstance(raw, bool) or (kind is not str and isinstance(raw, str) and not raw):
                raise ValueError(raw)
            if kind is int and isinstance(raw, float) and not raw.is_integer():
                raise ValueError(raw)
            if not isinstance(raw, str | int | float) or (kind is str and not isinstance(raw, str)):
                raise ValueError(raw)
            value: T = kind(raw)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"{origin}: {self.name}={raw!r} is not a valid {kind.__name__}",
                hint=f"remove it or give a value like {self.default!r}",
            ) from exc
        if self.choices and value not in self.choices:
            raise ConfigError(
                f"{origin}: {self.name}={raw!r} is not one of {', '.join(map(str, self.choices))}",
                hint=f"remove it or give one of {list(self.choices)}",
            )
        return value


DB_PATH: Setting[str] = Setting(
    "db",
    "storyline.db",
    "Store used when --db is not given: a SQLite file, or a PostgreSQL URL "
    "(postgresql://user@host/dbname; needs the 'postgres' extra).",
)
PG_POOL_SIZE: Setting[int] = Setting(
    "pg_pool_size",
    10,
    "Connections kept per PostgreSQL database by one storyline process (a web server "
    "opens a store per request and takes one from this pool).",
)
MAX_FILE_BYTES: Setting[int] = Setting(
    "max_file_bytes",
    20_000_000,
    "Inputs larger than this many bytes are refused (reported, not stored).",
)
BATCH_SIZE: Setting[int] = Setting(
    "batch_size",
    8,
    "Articles written per transaction: an interrupted ingest loses at most one batch, and "
    "another writer waits at most one batch's analysis for the lock (commits cost about "
    "2 ms each).",
)
REPEAT_MIN_ARTICLES: Setting[int] = Setting(
    "repeat_min_articles",
    3,
    "A line seen in this many other articles of the same outlet is treated as boilerplate.",
)
REPEAT_MAX_LINE_CHARS: Setting[int] = Setting(
    "repeat_max_line_chars",
    400,
    "Lines longer than this are never removed for repetition alone (they are body text).",
)
QUALITY_MIN_WORDS: Setting[int] = Setting(
    "quality_min_words",
    25,
    "A cleaned text with fewer words is flagged as not an article (too-short) and kept out "
    "of events and stories.",
)

INFER_MIN_CONFIDENCE: Setting[float] = Setting(
    "infer_min_confidence",
    0.3,
    "An undated article gets a publication date inferred from its text only at this confidence "
    "or above (0 to 1).",
)

PROFILE: Setting[str] = Setting(
    "profile",
    "accurate",
    "Analysis profile: 'accurate' runs the encoder (multilingual-e5-small) for article, claim "
    "and search vectors; 'fast' uses the static tokenlearn model instead (about ten times "
    "cheaper, much weaker similarity): for piles too large for the encoder. Recorded per "
    "article.",
    ("accurate", "fast"),
)
ANALYSE_WORKERS: Setting[int] = Setting(
    "analyse_workers",
    0,
    "Processes that analyse articles during an ingest: 0 = automatic (one per core under the "
    "fast profile; 1 under accurate, whose encoder already uses every core), 1 = in the "
    "ingest's own process. Workers start after the first batch, so small piles never wait "
    "for them.",
)
ANALYSE_BUDGET: Setting[float] = Setting(
    "analyse_budget",
    60.0,
    "Seconds one article's analysis may take during an ingest (0: no limit). An article "
    "over it is stored cleaned but unanalysed, with the reason on the article, and the "
    "batch goes on (in the CLI, its workers and a web server's ingest jobs alike).",
)
ENGINE: Setting[str] = Setting(
    "engine",
    "local",
    "Where ingest and analyse run analysis and encoding: 'local' (this machine: the ingest's "
    "process and its workers) or 'ray' (actors on a Ray cluster, models loaded once per "
    "actor; needs the ray extra). Reading, cleaning, writes and grouping stay in the "
    "process that holds the store.",
    ("local", "ray"),
)
RAY_ADDRESS: Setting[str] = Setting(
    "ray_address",
    "",
    "The Ray cluster of the ray engine: 'auto' (the one this machine belongs to), "
    "'ray://host:10001', or empty to start a Ray on this machine for the run.",
)
RAY_WORKERS: Setting[int] = Setting(
    "ray_workers",
    0,
    "Ray actors that analyse and encode (0: one per GPU on a cluster with GPUs under the "
    "accurate profile, else the cluster's CPUs divided by ray_cpus_per_worker).",
)
RAY_CPUS_PER_WORKER: Setting[int] = Setting(
    "ray_cpus_per_worker",
    0,
    "CPUs each Ray actor reserves and gives its encoder as threads (0: 2 under the accurate "
    "profile, 1 under fast).",
)
RAY_CHUNK: Setting[int] = Setting(
    "ray_chunk",
    8,
    "Articles sent to a Ray actor per call: larger chunks cost less in messages, smaller "
    "ones spread a batch over more actors.",
)
ENTITY_TAGGER: Setting[str] = Setting(
    "entity_tagger",
    "profile",
    "Entity tagger: 'profile' (the encoder tagger under the accurate profile, the CRF under "
    "fast), 'encoder' (a head on the encoder's token states: GermEval 0.75 and CoNLL-2003 "
    "0.92 F1; it reads at most 20,000 characters of an article's prose, the CRF the rest) or "
    "'crf' (name lists and word shapes: 0.65 and 0.51, about 40 times faster).",
    ("crf", "encoder", "profile"),
)
QUOTE_TAGGER: Setting[str] = Setting(
    "quote_tagger",
    "profile",
    "Quote attribution: 'profile' (the learned tagger under the accurate profile, the rules "
    "under fast), 'encoder' (a head on the encoder's token states trained on SpkAtt-2023: "
    "cue, speaker and message spans; held-out joint F1 0.65 against the rules' 0.56) or "
    "'rules' (quotation marks and cue verbs, fast). See docs/benchmarks.md (quotes).",
    ("rules", "encoder", "profile"),
)
QUOTE_MIN_CONFIDENCE: Setting[float] = Setting(
    "quote_min_confidence",
    0.5,
    "Quotes the learned tagger is less sure of than this (0 to 1) are kept in the store but "
    "left out of briefings, story pages, speaker look-ups and claims; quotes found by the "
    "rules carry no confidence and are always shown.",
)
ENCODER_DEVICE: Setting[str] = Setting(
    "encoder_device",
    "auto",
    "Where the encoder runs: 'auto' (CUDA when onnxruntime offers it, see the gpu extra; "
    "else the CPU), 'cpu' or 'cuda'.",
    ("auto", "cpu", "cuda"),
)
ENCODER_PRECISION: Setting[str] = Setting(
    "encoder_precision",
    "auto",
    "Encoder arithmetic: 'auto' (int8 on a CPU, fp32 on a GPU), 'int8' (smoothed int8 "
    "matmuls, fastest on CPUs), 'q4' (the shipped 4-bit weights, int8 activations per "
    "block) or 'fp32'.",
    ("auto", "int8", "q4", "fp32"),
)
ENCODER_THREADS: Setting[int] = Setting(
    "encoder_threads",
    0,
    "CPU threads for the encoder (0: one per core).",
)
ENCODER_BATCH_TOKENS: Setting[int] = Setting(
    "encoder_batch_tokens",
    2048,
    "Padded tokens per encoder pass: texts are sorted by length and cut into batches of at "
    "most this size.",
)
VECTOR_INDEX_MIN: Setting[int] = Setting(
    "vector_index_min",
    50_000,
    "Meaning search scans every article vector below this many articles; from here on it "
    "uses an HNSW index (usearch) kept beside the store as STORE.usearch.",
)
STORY_SIMILARITY: Setting[float] = Setting(
    "story_similarity",
    0.5,
    "An article continues a story when its mean similarity to the story's three most similar "
    "articles reaches this (0 to 1) and they share entities (see story_entity_overlap).",
)
STORY_ENTITY_OVERLAP: Setting[float] = Setting(
    "story_entity_overlap",
    0.1,
    "Share of an article's key entities (weighted by rarity) that a story must name for the "
    "article to join it at story_similarity.",
)
STORY_SIMILARITY_ALONE: Setting[float] = Setting(
    "story_similarity_alone",
    0.85,
    "Similarity at which an article joins a story even without shared entities "
    "(translations and rewrites).",
)
STORY_GAP_DAYS: Setting[int] = Setting(
    "story_gap_days",
    90,
    "An article published more than this many days from every dated article of a story needs "
    "strong evidence to join it: shared entities (story_far_entity_overlap, at least two), and "
    "after a year also story_similarity_alone; similarity alone never suffices.",
)
STORY_FAR_ENTITY_OVERLAP: Setting[float] = Setting(
    "story_far_entity_overlap",
    0.2,
    "Share of an article's key entities (weighted by rarity) that a story months away "
    "(story_gap_days) must name for the article to join it (twice story_entity_overlap: "
    "stories of the example corpus share 0.23 to 0.58 across three to six months).",
)
EVENT_SIMILARITY: Setting[float] = Setting(
    "event_similarity",
    0.4,
    "Within a story, an article joins an event whose dates it shares when its similarity to "
    "the event's articles reaches this.",
)
EVENT_MAX_DAYS: Setting[int] = Setting(
    "event_max_days",
    14,
    "An event spans at most this many days; a later happening of the story opens a new event.",
)

STORE_WAIT: Setting[float] = Setting(
    "store_wait",
    300.0,
    "Seconds a writer waits for another writer's transaction to end before it gives up "
    "(writers hold the lock for short transactions: a second ingest queues behind the "
    "first instead of failing).",
)
WEB_MAX_BODY: Setting[int] = Setting(
    "web_max_body",
    25_000_000,
    "Largest request body (bytes) `storyline serve` reads at all, pages and API alike; "
    "above api_max_body to leave room for the ingest's multipart envelope.",
)
WEB_CACHE_REFRESH: Setting[float] = Setting(
    "web_cache_refresh",
    2.0,
    "Seconds a page or API answer of `storyline serve` may lag behind the store while "
    "another process writes to it: an answer is made again at most this often then (its "
    "Age header says how old it is). While the store is unchanged, answers are reused "
    "without limit; writes through the server's own API are seen at once. 0: every answer "
    "is current.",
)
WEB_CACHE_MB: Setting[int] = Setting(
    "web_cache_mb",
    64,
    "Memory (MB) `storyline serve` keeps finished pages and API answers in, least "
    "recently used first out; 0 turns the response cache off.",
)
API_MAX_BODY: Setting[int] = Setting(
    "api_max_body",
    20_000_000,
    "Largest request body (bytes, all files together) the HTTP API's ingest accepts; larger "
    "requests get a 413 error while they are still being read.",
)

WATCH_CONTACT: Setting[str] = Setting(
    "watch_contact",
    "",
    "Contact (an e-mail address or URL) put in the User-Agent of storyline watch, so a site "
    "that has a question about the requests can reach whoever runs them.",
)
WATCH_EVERY: Setting[str] = Setting(
    "watch_every",
    "15m",
    "How often a watched source is polled when `watch add` gives no --every (30s, 15m, 2h, 1d).",
)
WATCH_HOST_INTERVAL: Setting[float] = Setting(
    "watch_host_interval",
    2.0,
    "Seconds between two requests to the same host: storyline watch sends one request at a "
    "time per host and waits at least this long before the next.",
)
WATCH_TIMEOUT: Setting[float] = Setting(
    "watch_timeout",
    20.0,
    "Seconds storyline watch waits to connect to a host and for each read of a response.",
)
WATCH_RETRIES: Setting[int] = Setting(
    "watch_retries",
    3,
    "Retries of a request that failed with 429, a 5xx status or a network error, with "
    "exponential backoff and jitter; a Retry-After header is honoured (up to watch_max_wait).",
)
WATCH_BACKOFF: Setting[float] = Setting(
    "watch_backoff",
    1.0,
    "Seconds before the first retry; each further retry waits twice as long (plus up to "
    "half of it at random, so clients do not retry in step).",
)
WATCH_MAX_WAIT: Setting[float] = Setting(
    "watch_max_wait",
    300.0,
    "Longest wait (seconds) for one retry, whatever a Retry-After header asks; a longer "
    "wait counts as a failure of this poll.",
)
WATCH_MAX_BYTES: Setting[int] = Setting(
    "watch_max_bytes",
    5_000_000,
    "Largest response body (bytes, after decompression) storyline watch reads; a larger one "
    "(or a gzip bomb) is cut off and reported.",
)
WATCH_MAX_REDIRECTS: Setting[int] = Setting(
    "watch_max_redirects",
    5,
    "Redirects followed per request (each one logged); more, or a loop, is a failure.",
)
WATCH_PAUSE_AFTER: Setting[int] = Setting(
    "watch_pause_after",
    5,
    "A source that fails this many polls in a row is paused, with the reason shown in "
    "`watch list`; `watch add` of the same URL resumes it.",
)
WATCH_MAX_ITEMS: Setting[int] = Setting(
    "watch_max_items",
    200,
    "Most new or changed items fetched from one source per poll; the rest wait for the next.",
)
WATCH_SOURCES: Setting[str] = Setting(
    "watch_sources",
    "",
    "A TOML file of sources to watch ([[source]] with url, and optionally every, name, "
    "ignore_robots); `watch run` adds them to the store. Empty: none.",
)
ALERT_BASE_URL: Setting[str] = Setting(
    "alert_base_url",
    "http://127.0.0.1:8000",
    "Address of the storyline web UI, for the story links in alerts.",
)
ALERT_WEBHOOK_SECRET: Setting[str] = Setting(
    "alert_webhook_secret",
    "",
    "Secret with which webhook alerts are signed: header X-Storyline-Signature carries "
    "sha256=HMAC-SHA256(secret, body) in hex. Empty: not signed.",
)
ALERT_RETRIES: Setting[int] = Setting(
    "alert_retries",
    3,
    "Tries of a webhook or e-mail delivery within one poll; an alert still undelivered is "
    "tried again on later polls until it has failed alert_max_attempts times.",
)
ALERT_MAX_ATTEMPTS: Setting[int] = Setting(
    "alert_max_attempts",
    10,
    "Polls on which an undelivered alert is tried before it is given up (kept, marked).",
)
SMTP_HOST: Setting[str] = Setting("smtp_host", "localhost", "SMTP server for e-mail alerts.")
SMTP_PORT: Setting[int] = Setting("smtp_port", 25, "Port of the SMTP server for e-mail alerts.")
SMTP_STARTTLS: Setting[str] = Setting(
    "smtp_starttls",
    "auto",
    "STARTTLS for e-mail alerts: 'auto' (when the server offers it), 'yes' (required) or 'no'.",
    ("auto", "yes", "no"),
)
SMTP_USER: Setting[str] = Setting(
    "smtp_user", "", "User for SMTP login (empty: no login) for e-mail alerts."
)
SMTP_PASSWORD_ENV: Setting[str] = Setting(
    "smtp_password_env",
    "STORYLINE_SMTP_PASSWORD",
    "Name of the environment variable holding the SMTP password (never stored in the store "
    "or a settings file).",
)
SMTP_FROM: Setting[str] = Setting(
    "smtp_from", "storyline@localhost", "Sender address of e-mail alerts."
)

SETTINGS: tuple[Setting[int] | Setting[str] | Setting[float], ...] = (
    DB_PATH,
    PG_POOL_SIZE,
    MAX_FILE_BYTES,
    BATCH_SIZE,
    REPEAT_MIN_ARTICLES,
    REPEAT_MAX_LINE_CHARS,
    QUALITY_MIN_WORDS,
    INFER_MIN_CONFIDENCE,
    PROFILE,
    ANALYSE_WORKERS,
    ANALYSE_BUDGET,
    ENGINE,
    RAY_ADDRESS,
    RAY_WORKERS,
    RAY_CPUS_PER_WORKER,
    RAY_CHUNK,
    ENTITY_TAGGER,
    QUOTE_TAGGER,
    QUOTE_MIN_CONFIDENCE,
    ENCODER_DEVICE,
    ENCODER_PRECISION,
    ENCODER_THREADS,
    ENCODER_BATCH_TOKENS,
    VECTOR_INDEX_MIN,
    STORY_SIMILARITY,
    STORY_ENTITY_OVERLAP,
    STORY_SIMILARITY_ALONE,
    STORY_GAP_DAYS,
    STORY_FAR_ENTITY_OVERLAP,
    EVENT_SIMILARITY,
    EVENT_MAX_DAYS,
    STORE_WAIT,
    WEB_MAX_BODY,
    WEB_CACHE_REFRESH,
    WEB_CACHE_MB,
    API_MAX_BODY,
    WATCH_CONTACT,
    WATCH_EVERY,
    WATCH_HOST_INTERVAL,
    WATCH_TIMEOUT,
    WATCH_RETRIES,
    WATCH_BACKOFF,
    WATCH_MAX_WAIT,
    WATCH_MAX_BYTES,
    WATCH_MAX_REDIRECTS,
    WATCH_PAUSE_AFTER,
    WATCH_MAX_ITEMS,
    WATCH_SOURCES,
    ALERT_BASE_URL,
    ALERT_WEBHOOK_SECRET,
    ALERT_RETRIES,
    ALERT_MAX_ATTEMPTS,
    SMTP_HOST,
    SMTP_PORT,
    SMTP_STARTTLS,
    SMTP_USER,
    SMTP_PASSWORD_ENV,
    SMTP_FROM,
)


#: the embedding backend (the name stored vectors are kept under) of each profile
PROFILE_BACKENDS = {"accurate": "e5", "fast": "static"}
