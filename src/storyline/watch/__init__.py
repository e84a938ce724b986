"""storyline watch: follow feeds, sitemaps and pages on a schedule, ingest what is new,
and tell the user when something they watch moves (alerts).

Modules: `urls` (normalisation), `fetch` (the polite HTTP client), `parse` (feeds,
sitemaps, pages), `sources` (adding and listing sources, the settings file), `run` (a
poll of the due sources, and the loop), `alerts` (matching and delivery).
"""
