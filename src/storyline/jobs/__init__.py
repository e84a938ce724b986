"""Jobs: the stages run in order, over inputs or over a store.

The top of the layer picture: `jobs.ingest` reads inputs (storyline/ingest/), cleans them
(clean/), analyses them on an engine (engine/, analyse/), writes them (store/), then groups
(stories/) and compares (compare/) what changed; `jobs.analyse` re-analyses a store. The
stages below import nothing from here, so no import runs back up.
"""
