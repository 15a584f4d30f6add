-- The officer's workspace: named filters for the request list (issue 9).
-- `filter` is the list's RequestFilter as JSON, so a saved view grows with the
-- filter without a schema change.
CREATE TABLE saved_filters (
    id         TEXT PRIMARY KEY,                 -- UUIDv7
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    filter     TEXT NOT NULL,                    -- JSON RequestFilter
    created_at TEXT NOT NULL                     -- RFC 3339 UTC
) STRICT;
