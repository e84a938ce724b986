"""The store's schema, as an ordered list of migrations recorded in the database.

Never edit a released migration: add a new one. ``SCHEMA_VERSION`` is the
number of the last migration and is written into every export.
"""

from __future__ import annotations

from typing import NamedTuple


class Migration(NamedTuple):
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, provenance, removed lines, outlet line counts, full-text index",
        """
        CREATE TABLE articles (
            id               TEXT PRIMARY KEY,
            title            TEXT,
            text             TEXT NOT NULL,
            raw_text         TEXT NOT NULL,
            url              TEXT,
            outlet           TEXT,
            outlet_evidence  TEXT,
            lang             TEXT,
            lang_confidence  REAL,
            published        TEXT,
            published_source TEXT CHECK (published_source IN ('metadata', 'text', 'inferred')),
            published_evidence TEXT,
            repairs          TEXT NOT NULL DEFAULT '[]',
            text_hash        TEXT NOT NULL,
            duplicate_of     TEXT REFERENCES articles(id),
            created_at       TEXT NOT NULL
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_text_hash ON articles(text_hash);
        CREATE INDEX articles_published ON articles(published);

        CREATE TABLE sources (
            article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source      TEXT NOT NULL,
            url         TEXT,
            byte_hash   TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            run_id      INTEGER REFERENCES ingest_runs(id),
            PRIMARY KEY (article_id, source, byte_hash)
        ) WITHOUT ROWID;
        CREATE INDEX sources_byte_hash ON sources(byte_hash, source);

        CREATE TABLE removed_lines (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            line       TEXT NOT NULL,
            reason     TEXT NOT NULL,
            PRIMARY KEY (article_id, position)
        ) WITHOUT ROWID;

        CREATE TABLE outlet_lines (
            outlet     TEXT NOT NULL,
            line_key   TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (outlet, line_key, article_id)
        ) WITHOUT ROWID;

        CREATE TABLE ingest_runs (
            id          INTEGER PRIMARY KEY,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            status      TEXT NOT NULL DEFAULT 'running',
            stored      INTEGER NOT NULL DEFAULT 0,
            unchanged   INTEGER NOT NULL DEFAULT 0,
            failed      INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE ingest_errors (
            run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            kind   TEXT NOT NULL,
            reason TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        2,
        "analysis: entities with aliases and merge log, mentions, quotes, dates, quantities",
        """
        ALTER TABLE articles ADD COLUMN analysed_at TEXT;

        CREATE TABLE entities (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            type       TEXT NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC', 'MISC')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias     TEXT NOT NULL,
            alias_key TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        CREATE INDEX entity_aliases_key ON entity_aliases(alias_key);
        CREATE TABLE entity_descriptions (
            entity_id   TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            description TEXT NOT NULL,
            article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (entity_id, description, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE entity_merges (
            entity_id  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias      TEXT NOT NULL,
            reason     TEXT NOT NULL,
            article_id TEXT REFERENCES articles(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL
        );
        CREATE INDEX entity_merges_entity ON entity_merges(entity_id);

        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            text       TEXT NOT NULL,
            label      TEXT NOT NULL,
            entity_id  TEXT REFERENCES entities(id),
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);

        CREATE TABLE quotes (
            article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start        INTEGER NOT NULL,
            end          INTEGER NOT NULL,
            text         TEXT NOT NULL,
            kind         TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
            speaker      TEXT REFERENCES entities(id),
            speaker_name TEXT,
            cue          TEXT,
            via          TEXT,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX quotes_speaker ON quotes(speaker);

        CREATE TABLE dates (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            text       TEXT NOT NULL,
            value      TEXT NOT NULL,
            precision  TEXT NOT NULL,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX dates_value ON dates(value);

        CREATE TABLE quantities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            text       TEXT NOT NULL,
            value      REAL NOT NULL,
            unit       TEXT,
            counted    TEXT,
            hedge      TEXT,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        3,
        "MinHash signatures of articles for near-duplicate detection",
        """
        CREATE TABLE article_signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            minhash    BLOB NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "events and stories: article vectors, clusters, cluster log, echoes",
        """
        CREATE TABLE article_vectors (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            backend    TEXT NOT NULL,
            dim        INTEGER NOT NULL,
            vector     BLOB NOT NULL
        );
        CREATE TABLE stories (
            id         TEXT PRIMARY KEY,
            title      TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE events (
            id         TEXT PRIMARY KEY,
            story_id   TEXT NOT NULL REFERENCES stories(id),
            title      TEXT NOT NULL,
            date_start TEXT,
            date_end   TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_story ON events(story_id);
        ALTER TABLE articles ADD COLUMN event_id TEXT REFERENCES events(id);
        ALTER TABLE articles ADD COLUMN echo_of TEXT REFERENCES articles(id);
        ALTER TABLE articles ADD COLUMN echo_evidence TEXT;
        ALTER TABLE articles ADD COLUMN published_confidence REAL;
        UPDATE articles SET published_confidence = 1.0
            WHERE published_source IN ('metadata', 'text');
        CREATE INDEX articles_event ON articles(event_id);
        CREATE TABLE cluster_log (
            id         INTEGER PRIMARY KEY,
            kind       TEXT NOT NULL CHECK (kind IN ('event', 'story')),
            action     TEXT NOT NULL
                       CHECK (action IN ('open', 'join', 'move', 'merge', 'split', 'recluster')),
            cluster    TEXT NOT NULL,
            subject    TEXT,
            evidence   TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX cluster_log_cluster ON cluster_log(cluster);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "search: full-text index of folded and stemmed words (filled from Python)",
        """
        CREATE VIRTUAL TABLE articles_search USING fts5(
            article_id UNINDEXED, title, text,
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_search_ad AFTER DELETE ON articles BEGIN
            DELETE FROM articles_search WHERE rowid = old.rowid;
        END;
        CREATE TRIGGER articles_search_au AFTER UPDATE OF title, text, lang ON articles BEGIN
            DELETE FROM articles_search WHERE rowid = old.rowid;
        END;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "claims: sentence vectors, claims with their sources, disputes, per-story state",
        """
        CREATE TABLE claim_units (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start      INTEGER NOT NULL,
            end        INTEGER NOT NULL,
            backend    TEXT NOT NULL,
            vector     BLOB NOT NULL,
            PRIMARY KEY (article_id, start, backend)
        ) WITHOUT ROWID;
        CREATE TABLE claims (
            id                  TEXT PRIMARY KEY,
            story_id            TEXT NOT NULL,
            event_id            TEXT,
            kind                TEXT NOT NULL
                                CHECK (kind IN ('statement', 'figure', 'denial', 'hedged')),
            text                TEXT NOT NULL,
            hedge               TEXT,
            independent_sources INTEGER NOT NULL,
            echoes              INTEGER NOT NULL,
            weight              REAL NOT NULL,
            data                TEXT NOT NULL
        );
        CREATE INDEX claims_story ON claims(story_id);
        CREATE INDEX claims_event ON claims(event_id);
        CREATE TABLE claim_sources (
            claim_id     TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start        INTEGER NOT NULL,
            end          INTEGER NOT NULL,
            speaker      TEXT,
            speaker_name TEXT,
            via          TEXT,
            echo_of      TEXT,
            PRIMARY KEY (claim_id, article_id, start)
        ) WITHOUT ROWID;
        CREATE INDEX claim_sources_article ON claim_sources(article_id);
        CREATE TABLE claim_disputes (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            disputes TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            evidence TEXT NOT NULL,
            PRIMARY KEY (claim_id, disputes)
        ) WITHOUT ROWID;
        CREATE TABLE claim_state (
            story_id   TEXT PRIMARY KEY,
            members    TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "articles: the analysis profile (accurate or fast) that analysed each article",
        """
        ALTER TABLE articles ADD COLUMN profile TEXT;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "claims: sentence vectors now come from the same encoder pass as the entity tagger; "
        "the old ones (embedded with the prefix twice) are dropped and re-embedded when "
        "the claims of each story are next computed",
        """
        DELETE FROM claim_units;
        DELETE FROM claim_state;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        9,
        "quotes: the learned tagger's confidence per quote and the speaker's kind (person, "
        "organisation or document); NULL for quotes found by the rules",
        """
        ALTER TABLE quotes ADD COLUMN confidence REAL;
        ALTER TABLE quotes ADD COLUMN speaker_kind TEXT;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        10,
        "entities: an index of the first and last name part of every entity whose name has "
        "several (a single 'Kim' is looked up there instead of reading every stored person); "
        "filled from Python on first use, as the part keys are Python's; the queue of a "
        "resumable re-analysis; LSH bands of the near-duplicate signatures",
        """
        CREATE TABLE entity_name_parts (
            part_key  TEXT NOT NULL,
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (part_key, entity_id)
        ) WITHOUT ROWID;
        CREATE INDEX entity_name_parts_entity ON entity_name_parts(entity_id);
        -- derived indexes filled from Python once per store, resumably: `progress` is the
        -- last article rowid done
        CREATE TABLE backfills (
            name       TEXT PRIMARY KEY,
            done_at    TEXT,
            progress   INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO backfills(name) VALUES ('entity_name_parts');
        -- LSH bands of the originals' MinHash signatures (stories/dedupe.py): a new
        -- article is compared only with the originals sharing a band. No foreign key:
        -- articles are never deleted, and the look-up joins articles anyway
        CREATE TABLE signature_bands (
            band       INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (band, article_id)
        ) WITHOUT ROWID;
        INSERT INTO backfills(name) VALUES ('signature_bands');
        -- articles a re-analysis (`storyline analyse --redo`) has still to do: each batch
        -- removes its ids in the transaction that stores their new analysis, so a killed
        -- run resumes where it stopped and analyses nothing twice
        CREATE TABLE reanalysis (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
        ) WITHOUT ROWID;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        11,
        "watch: followed sources (feeds, sitemaps, pages) with their health, a fetch log, "
        "the items seen with their content hashes, article versions, alerts and their "
        "matches (one per alert and article, so an alert fires once)",
        """
        CREATE TABLE watch_sources (
            id            INTEGER PRIMARY KEY,
            url           TEXT NOT NULL UNIQUE,
            kind          TEXT NOT NULL DEFAULT 'auto'
                          CHECK (kind IN ('auto', 'feed', 'jsonfeed', 'sitemap', 'page')),
            every_s       INTEGER NOT NULL,
            name          TEXT,
            ignore_robots INTEGER NOT NULL DEFAULT 0,
            origin        TEXT NOT NULL DEFAULT 'cli',
            etag          TEXT,
            last_modified TEXT,
            failures      INTEGER NOT NULL DEFAULT 0,
            paused_reason TEXT,
            next_due      TEXT NOT NULL,
            last_ok       TEXT,
            last_error    TEXT,
            created_at    TEXT NOT NULL
        );
        CREATE TABLE watch_fetches (
            id            INTEGER PRIMARY KEY,
            source_id     INTEGER REFERENCES watch_sources(id) ON DELETE SET NULL,
            url           TEXT NOT NULL,
            purpose       TEXT NOT NULL,
            status        INTEGER,
            bytes         INTEGER NOT NULL DEFAULT 0,
            elapsed_ms    INTEGER NOT NULL DEFAULT 0,
            attempts      INTEGER NOT NULL DEFAULT 1,
            etag          TEXT,
            last_modified TEXT,
            redirects     TEXT NOT NULL DEFAULT '[]',
            error         TEXT,
            fetched_at    TEXT NOT NULL
        );
        CREATE INDEX watch_fetches_source ON watch_fetches(source_id, id);
        CREATE TABLE watch_items (
            url          TEXT PRIMARY KEY,
            source_id    INTEGER REFERENCES watch_sources(id) ON DELETE SET NULL,
            link         TEXT NOT NULL,
            entry_hash   TEXT,
            content_hash TEXT,
            article_id   TEXT REFERENCES articles(id) ON DELETE SET NULL,
            error        TEXT,
            tries        INTEGER NOT NULL DEFAULT 0,
            first_seen   TEXT NOT NULL,
            last_seen    TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX watch_items_source ON watch_items(source_id);
        CREATE TABLE article_versions (
            url          TEXT NOT NULL REFERENCES watch_items(url) ON DELETE CASCADE,
            version      INTEGER NOT NULL,
            article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            fetched_at   TEXT NOT NULL,
            PRIMARY KEY (url, version)
        ) WITHOUT ROWID;
        CREATE INDEX article_versions_article ON article_versions(article_id);
        CREATE TABLE alerts (
            id             INTEGER PRIMARY KEY,
            kind           TEXT NOT NULL CHECK (kind IN ('entity', 'query', 'story')),
            value          TEXT NOT NULL,
            min_sources    INTEGER NOT NULL DEFAULT 1,
            deliver        TEXT NOT NULL DEFAULT 'stdout',
            digest         TEXT CHECK (digest IN ('hourly', 'daily')),
            last_digest_at TEXT,
            created_at     TEXT NOT NULL
        );
        CREATE TABLE alert_queue (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            queued_at  TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE alert_matches (
            alert_id     INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence     TEXT NOT NULL,
            story_id     TEXT,
            matched_at   TEXT NOT NULL,
            delivered_at TEXT,
            attempts     INTEGER NOT NULL DEFAULT 0,
            last_error   TEXT,
            PRIMARY KEY (alert_id, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX alert_matches_pending ON alert_matches(delivered_at);
        """,
    ),
)

MIGRATIONS += (
    Migration(
        12,
        "articles: the author and the news agency read from bylines, datelines and source "
        "lines ('By Jane Doe, The Outlet Post', 'BERLIN (dpa) –'); NULL where none was read",
        """
        ALTER TABLE articles ADD COLUMN author TEXT;
        ALTER TABLE articles ADD COLUMN agency TEXT;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        13,
        "quality: why a stored page is not an article (too short, error output, a repeated "
        "slogan, navigation only, the outlet's name as title); NULL for articles, which "
        "alone are grouped into events and stories",
        """
        ALTER TABLE articles ADD COLUMN quality TEXT;
        CREATE INDEX articles_flagged ON articles(quality) WHERE quality IS NOT NULL;
        """,
    ),
)

MIGRATIONS += (
    Migration(
        14,
        "row_counts: how many events, stories and vectors of each backend the store holds, "
        "kept by triggers, and an index of vectors by backend: adding one article to a "
        "store of a million reads these counts (is the nearest-neighbour index current? "
        "how many events now?) and must not count a million rows to do so",
        """
        CREATE INDEX article_vectors_backend ON article_vectors(backend);
        CREATE TABLE row_counts (
            name TEXT PRIMARY KEY,
            n    INTEGER NOT NULL
        );
        INSERT INTO row_counts(name, n) SELECT 'events', count(*) FROM events;
        INSERT INTO row_counts(name, n) SELECT 'stories', count(*) FROM stories;
        INSERT INTO row_counts(name, n)
            SELECT 'vectors:' || backend, count(*) FROM article_vectors GROUP BY backend;
        CREATE TRIGGER events_counted_ai AFTER INSERT ON events BEGIN
            UPDATE row_counts SET n = n + 1 WHERE name = 'events';
        END;
        CREATE TRIGGER events_counted_ad AFTER DELETE ON events BEGIN
            UPDATE row_counts SET n = n - 1 WHERE name = 'events';
        END;
        CREATE TRIGGER stories_counted_ai AFTER INSERT ON stories BEGIN
            UPDATE row_counts SET n = n + 1 WHERE name = 'stories';
        END;
        CREATE TRIGGER stories_counted_ad AFTER DELETE ON stories BEGIN
            UPDATE row_counts SET n = n - 1 WHERE name = 'stories';
        END;
        CREATE TRIGGER vectors_counted_ai AFTER INSERT ON article_vectors BEGIN
            INSERT INTO row_counts(name, n) VALUES ('vectors:' || new.backend, 1)
                ON CONFLICT(name) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER vectors_counted_ad AFTER DELETE ON article_vectors BEGIN
            UPDATE row_counts SET n = n - 1 WHERE name = 'vectors:' || old.backend;
        END;
        CREATE TRIGGER vectors_counted_au AFTER UPDATE OF backend ON article_vectors BEGIN
            UPDATE row_counts SET n = n - 1 WHERE name = 'vectors:' || old.backend;
            INSERT INTO row_counts(name, n) VALUES ('vectors:' || new.backend, 1)
                ON CONFLICT(name) DO UPDATE SET n = n + 1;
        END;
        """,
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
