-- The privacy mailbox (issue 17): what was read from the IMAP folder, and the intake.
-- The IMAP password is never stored here: it lives in the OS keyring.

-- Per folder: the server's UIDVALIDITY and the highest UID filed under it. Advanced in the
-- same transaction as the message it covers, so a kill mid-fetch loses and doubles nothing.
CREATE TABLE mailbox_folders (
    folder      TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL
) STRICT;

-- Every message read, once: a new item for the officer (`new`), or what became of it.
-- A reply to a request is filed `linked` at once (reason `reply`). The exact message
-- bytes are sealed in the evidence store under `blob` (content-addressed, encrypted).
CREATE TABLE intake_items (
    id            TEXT PRIMARY KEY,                    -- UUIDv7
    folder        TEXT NOT NULL,
    uidvalidity   INTEGER NOT NULL,
    uid           INTEGER NOT NULL,
    message_id    TEXT,
    from_name     TEXT NOT NULL DEFAULT '',
    from_address  TEXT NOT NULL DEFAULT '',
    subject       TEXT NOT NULL DEFAULT '',
    internal_date TEXT NOT NULL,                       -- the server's arrival time, RFC 3339 UTC
    size          INTEGER NOT NULL,                    -- RFC822.SIZE
    preview       TEXT NOT NULL DEFAULT '',            -- plain text, bounded
    attachments   TEXT NOT NULL DEFAULT '[]',          -- JSON [{name, type, size}]; never opened
    warning       TEXT,                                -- why the message could not be read fully
    state         TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'accepted', 'dismissed', 'linked')),
    reason        TEXT,                                -- dismissal reason, or `reply`
    request_id    TEXT REFERENCES requests (id) ON DELETE RESTRICT,
    blob          TEXT NOT NULL,                       -- the sealed .eml in the evidence store
    sha256        TEXT NOT NULL,                       -- of the exact .eml bytes
    fetched_at    TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    TEXT,
    UNIQUE (folder, uidvalidity, uid)
) STRICT;

CREATE INDEX intake_items_state ON intake_items (state, internal_date);
CREATE INDEX intake_items_same_message ON intake_items (folder, message_id, internal_date, size);
CREATE INDEX intake_items_blob ON intake_items (blob);
