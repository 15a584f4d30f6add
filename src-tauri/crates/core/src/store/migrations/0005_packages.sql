-- Answer packages and bulk imports (issue 6).

-- Every package built for a request: what was handed out, when and by whom.
-- The file itself lives where the officer put it; this row identifies it by
-- the SHA-256 of its manifest (which in turn lists the hash of every file).
CREATE TABLE packages (
    id              TEXT PRIMARY KEY,                          -- UUIDv7
    request_id      TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    file_name       TEXT NOT NULL,                             -- the ZIP's name, without its folder
    manifest_sha256 TEXT NOT NULL,
    files           INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,                          -- uncompressed bytes of the files inside
    encrypted       INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
    created_at      TEXT NOT NULL,                             -- RFC 3339 UTC
    actor           TEXT NOT NULL
) STRICT;

CREATE INDEX packages_by_request ON packages (request_id, created_at);

-- Every bulk import committed: the file's hash (to warn when the same file
-- comes again), how it was read, and how many requests it registered.
CREATE TABLE imports (
    id                 TEXT PRIMARY KEY,                       -- UUIDv7
    file_name          TEXT NOT NULL,
    file_sha256        TEXT NOT NULL,
    encoding           TEXT NOT NULL,
    delimiter          TEXT NOT NULL,
    imported           INTEGER NOT NULL,
    skipped_duplicates INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    actor              TEXT NOT NULL
) STRICT;

CREATE INDEX imports_by_hash ON imports (file_sha256);
