-- Mail (issue 4): letters and the outbox, reminders already given, template overrides.
-- SMTP settings are a JSON document in `settings` (key `mail.smtp`); the password is
-- never stored here: it lives in the OS keyring.

-- Every letter is stored here, whole, before any attempt to send it. `raw` is the
-- exact message (headers, Date, Message-ID, both alternatives, attachments) as
-- handed to the server; a resend sends the same bytes with the same Message-ID.
CREATE TABLE letters (
    id              TEXT PRIMARY KEY,                  -- UUIDv7
    request_id      TEXT REFERENCES requests (id) ON DELETE RESTRICT, -- none for the officer's digest and test mails
    template        TEXT NOT NULL,                     -- acknowledgement, extension-notice, reminder-digest ...
    lang            TEXT NOT NULL CHECK (lang IN ('en', 'de', 'fr')),
    message_id      TEXT NOT NULL UNIQUE,              -- <uuid@sender-domain>, decided before sending
    envelope_from   TEXT NOT NULL,
    envelope_to     TEXT NOT NULL,                     -- JSON array of addresses (To and the officer's copy)
    to_display      TEXT NOT NULL,                     -- the To header, for lists
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    raw             BLOB NOT NULL,
    attachments     TEXT NOT NULL DEFAULT '[]',        -- JSON [{name, content_type, size}]
    clock_event     TEXT,                              -- JSON ClockEvent recorded (dated the day sent) once sent
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                              -- RFC 3339 UTC; a queued letter is not tried before
    claimed_at      TEXT,                              -- when a sender took it ('sending')
    last_error      TEXT,
    server_reply    TEXT,                              -- the server's final answer, verbatim
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX letters_by_state ON letters (state, next_attempt_at);
CREATE INDEX letters_by_request ON letters (request_id, queued_at);

-- A reminder is given once per request, threshold and due date (a new due date re-arms it).
CREATE TABLE reminders_given (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    threshold  TEXT NOT NULL,                          -- 'due-7', 'due-3', 'due-1', 'overdue'
    due        TEXT NOT NULL,                          -- YYYY-MM-DD the reminder was about
    at         TEXT NOT NULL,
    letter_id  TEXT REFERENCES letters (id),           -- the digest that carried it, if mailed
    PRIMARY KEY (request_id, threshold, due)
) STRICT;

-- Templates edited in the app; the shipped ones in assets/templates/ are the default.
CREATE TABLE letter_templates (
    name       TEXT NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('en', 'de', 'fr')),
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, lang)
) STRICT;
