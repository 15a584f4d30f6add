-- The work behind each answer (issue 5): the data map, tasks per request,
-- identity verification, evidence files, and the hash-chained audit trail.

-- The organisation's systems and processors.
CREATE TABLE systems (
    id                 TEXT PRIMARY KEY,            -- UUIDv7
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    vendor             TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL CHECK (role IN ('own', 'processor', 'sub-processor')),
    purposes           TEXT NOT NULL DEFAULT '',
    data_categories    TEXT NOT NULL DEFAULT '',
    data_subjects      TEXT NOT NULL DEFAULT '',
    location           TEXT NOT NULL DEFAULT '',
    transfer_safeguard TEXT NOT NULL DEFAULT '',
    retention          TEXT NOT NULL DEFAULT '',
    legal_duty         TEXT NOT NULL DEFAULT '',     -- the duty that survives an erasure request
    owner_contact      TEXT NOT NULL DEFAULT '',
    how_to_search      TEXT NOT NULL DEFAULT '',
    how_to_export      TEXT NOT NULL DEFAULT '',
    how_to_delete      TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;

-- The work list of a request, generated from the data map and the request type.
-- The system's name and legal duty are copied: a later map edit does not rewrite a past answer.
CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    system_id   TEXT REFERENCES systems (id) ON DELETE SET NULL,
    system_name TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('collect', 'delete', 'correct', 'restrict', 'stop')),
    legal_duty  TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'done', 'exempt', 'not-held')),
    note        TEXT NOT NULL DEFAULT '',
    exemption   TEXT,                               -- why the data is kept (status exempt)
    closed_by   TEXT,
    closed_at   TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX tasks_by_request ON tasks (request_id, position);

-- How the subject's identity was checked.
CREATE TABLE identity_checks (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    method      TEXT NOT NULL CHECK (method IN ('reply-from-address-on-file', 'account-data-match',
                    'document-seen', 'authorised-agent')),
    outcome     TEXT NOT NULL CHECK (outcome IN ('verified', 'failed')),
    note        TEXT NOT NULL DEFAULT '',
    checked_on  TEXT NOT NULL,                      -- YYYY-MM-DD, organisation's zone
    checked_by  TEXT NOT NULL,
    checked_at  TEXT NOT NULL
) STRICT;

CREATE INDEX identity_checks_by_request ON identity_checks (request_id, checked_at);

-- Evidence files: the bytes live encrypted in <db dir>/evidence/<xx>/<blob>, one copy per
-- content; `blob` is the keyed SHA-256 (HMAC) of the content, `sha256` its plain SHA-256.
CREATE TABLE evidence (
    id           TEXT PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    task_id      TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('evidence', 'identity-document')),
    name         TEXT NOT NULL,                     -- a safe display name, never a path
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    blob         TEXT NOT NULL CHECK (length(blob) = 64),
    size         INTEGER NOT NULL,
    delete_after TEXT,                              -- identity documents: YYYY-MM-DD
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL
) STRICT;

CREATE INDEX evidence_by_request ON evidence (request_id, added_at);
CREATE INDEX evidence_by_blob ON evidence (blob);

-- The audit trail: one row per timeline event, hash-chained, holding identifiers
-- and actions only (the event's words are represented by their SHA-256). It has no
-- foreign key: it outlives a request removed under its retention.
CREATE TABLE audit_chain (
    seq            INTEGER PRIMARY KEY,             -- = events.seq
    request_id     TEXT,
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- Events written before the chain existed are sealed on the next write; later
-- unsealed events were inserted behind Rightsdesk's back and fail verification.
CREATE TABLE audit_legacy (
    upto INTEGER NOT NULL                          -- the last event written before the chain existed
) STRICT;
INSERT INTO audit_legacy (upto) SELECT COALESCE(MAX(seq), 0) FROM events;
