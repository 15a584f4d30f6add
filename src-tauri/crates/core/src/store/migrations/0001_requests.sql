CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE requests (
    id            TEXT PRIMARY KEY,              -- UUIDv7
    number        INTEGER NOT NULL UNIQUE,       -- for the human reference DSR-YYYY-NNNN
    reference     TEXT NOT NULL UNIQUE,
    request_type  TEXT NOT NULL,
    regime        TEXT NOT NULL,
    jurisdiction  TEXT NOT NULL,
    subject_name  TEXT NOT NULL,
    subject_email TEXT,
    identifiers   TEXT NOT NULL DEFAULT '[]',    -- JSON [{kind, value}]
    channel       TEXT NOT NULL,
    received_at   TEXT NOT NULL,                 -- RFC 3339 UTC
    received_on   TEXT NOT NULL,                 -- YYYY-MM-DD, organisation's zone
    time_zone     TEXT NOT NULL,                 -- IANA
    status        TEXT NOT NULL CHECK (status IN ('received', 'awaiting-identity', 'in-progress', 'paused',
                      'awaiting-clarification', 'completed', 'refused', 'withdrawn', 'duplicate')),
    status_reason TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    due           TEXT,                          -- legal due date in force, YYYY-MM-DD
    rule_set      TEXT NOT NULL,                 -- rule set and version that produced `due`
    schedule      TEXT NOT NULL,                 -- JSON: every date and its explanation
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX requests_by_due ON requests (due, number);
CREATE INDEX requests_by_status_due ON requests (status, due, number);
CREATE INDEX requests_by_type_due ON requests (request_type, due, number);
CREATE INDEX requests_by_received ON requests (received_on);

-- The timeline of each request is also its audit trail: append-only.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT REFERENCES requests (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,                    -- RFC 3339 UTC
    kind       TEXT NOT NULL,
    summary    TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',       -- JSON
    actor      TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_request ON events (request_id, seq);

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
