-- Asking the colleagues who hold the data (issue 17, item 5): the mails sent to a system's
-- owner about a task (through the outbox: the letter row holds the bytes and the Message-ID),
-- and the owners' replies filed on the task, with the close the officer is offered.

CREATE TABLE owner_mails (
    id        TEXT PRIMARY KEY,                                   -- UUIDv7
    task_id   TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    letter_id TEXT NOT NULL UNIQUE REFERENCES letters (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('request', 'reminder')),
    owner     TEXT NOT NULL,                                      -- the owner's address, lower case
    due       TEXT,                                               -- YYYY-MM-DD asked for
    queued_on TEXT NOT NULL,                                      -- the organisation's local day it was queued
    queued_at TEXT NOT NULL
) STRICT;

CREATE INDEX owner_mails_task ON owner_mails (task_id, queued_at);
CREATE INDEX owner_mails_owner ON owner_mails (owner, queued_on);

CREATE TABLE owner_replies (
    id          TEXT PRIMARY KEY,                                 -- UUIDv7
    task_id     TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    intake_item TEXT NOT NULL UNIQUE REFERENCES intake_items (id) ON DELETE CASCADE,
    received_at TEXT NOT NULL,                                    -- the server's arrival time, RFC 3339 UTC
    -- What the reply's first word offers: close as done, or as not held; none when it says neither.
    suggestion  TEXT CHECK (suggestion IN ('done', 'not-held')),
    -- offered (waiting for the officer), closed (the officer closed the task from it), none.
    state       TEXT NOT NULL CHECK (state IN ('offered', 'closed', 'none')),
    evidence    TEXT NOT NULL DEFAULT '[]'                        -- JSON [evidence id] of its attachments
) STRICT;

CREATE INDEX owner_replies_task ON owner_replies (task_id, received_at);
