-- SQLite's migration 29 (issue 21, item 6): a schedule's explanation (the engine's steps,
-- duties, warnings and readings) kept once, named in `requests.schedule` by its SHA-256.
CREATE TABLE schedule_explanations (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
