-- The team register on PostgreSQL (issue 18): the local SQLite register's schema
-- through its migration 19 (`store/migrations/0001` to `0019`), translated.
-- docs/design/team-register.md says what services can rely on; in short:
--
-- * The same tables, the same column names, the same value formats: dates
--   (YYYY-MM-DD) and instants (RFC 3339 UTC) stay TEXT, JSON stays TEXT,
--   flags stay integers (0/1). INTEGER is BIGINT (a Rust i64 on both), BLOB is
--   BYTEA.
-- * Every TEXT column compares and sorts as SQLite's BINARY does (COLLATE "C"),
--   whatever the database's own locale. SQLite's COLLATE NOCASE uniqueness is a
--   unique index on lower(...).
-- * An INTEGER PRIMARY KEY AUTOINCREMENT is a BIGINT identity (BY DEFAULT, so a
--   move from a SQLite register keeps its sequence numbers).
-- * FTS5's trigram index is a pg_trgm GIN index over `rightsdesk_search_text`.
-- * Triggers are PL/pgSQL. The tallies' trigger functions run as their owner
--   (SECURITY DEFINER), so a role that may register a request need not be
--   allowed to write the tallies directly.
-- * The actor of a timeline event and of an audit seal is set by the server
--   (`rightsdesk_server_actor`, migration below), not by the client.
--
-- The grants are not here: `rightsdesk team init` (store::pg::team) grants them
-- after the migrations, per database, to its own group roles.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- The schema's version: one row; a newer one is refused by an older Rightsdesk.
CREATE TABLE schema_version (
    one     BIGINT PRIMARY KEY DEFAULT 1 CHECK (one = 1),
    version BIGINT NOT NULL
);
INSERT INTO schema_version (one, version) VALUES (1, 0);

CREATE TABLE settings (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE requests (
    id            TEXT COLLATE "C" PRIMARY KEY,            -- UUIDv7
    number        BIGINT NOT NULL UNIQUE,                  -- for the human reference DSR-YYYY-NNNN
    reference     TEXT COLLATE "C" NOT NULL UNIQUE,
    request_type  TEXT COLLATE "C" NOT NULL,
    regime        TEXT COLLATE "C" NOT NULL,
    jurisdiction  TEXT COLLATE "C" NOT NULL,
    subject_name  TEXT COLLATE "C" NOT NULL,
    subject_email TEXT COLLATE "C",
    identifiers   TEXT COLLATE "C" NOT NULL DEFAULT '[]',  -- JSON [{kind, value}]
    channel       TEXT COLLATE "C" NOT NULL,
    received_at   TEXT COLLATE "C" NOT NULL,               -- RFC 3339 UTC
    received_on   TEXT COLLATE "C" NOT NULL,               -- YYYY-MM-DD, organisation's zone
    time_zone     TEXT COLLATE "C" NOT NULL,               -- IANA
    status        TEXT COLLATE "C" NOT NULL CHECK (status IN ('received', 'awaiting-identity', 'in-progress', 'paused',
                      'awaiting-clarification', 'completed', 'refused', 'withdrawn', 'duplicate')),
    status_reason TEXT COLLATE "C",
    notes         TEXT COLLATE "C" NOT NULL DEFAULT '',
    due           TEXT COLLATE "C",                        -- legal due date in force, YYYY-MM-DD
    rule_set      TEXT COLLATE "C" NOT NULL,
    schedule      TEXT COLLATE "C" NOT NULL,               -- JSON: every date and its explanation
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL,
    target        TEXT COLLATE "C",                        -- (2) the internal target
    purged_at     TEXT COLLATE "C",                        -- (6) RFC 3339 UTC
    closed_on     TEXT COLLATE "C",                        -- (11) local date it was closed
    appeal_of     TEXT COLLATE "C" REFERENCES requests (id) -- (16)
);

CREATE INDEX requests_by_due ON requests (due, number);
CREATE INDEX requests_by_status_due ON requests (status, due, number);
CREATE INDEX requests_by_type_due ON requests (request_type, due, number);
CREATE INDEX requests_by_received ON requests (received_on);
CREATE INDEX requests_by_target ON requests (target, number);
CREATE INDEX requests_by_purged ON requests (purged_at, status);
CREATE INDEX requests_by_list_order ON requests (
    (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number,
    subject_name, subject_email, reference
);
CREATE INDEX requests_by_status_list_order ON requests (
    status, (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number
);
CREATE INDEX requests_open_by_list_order ON requests (
    (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number
) WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
CREATE INDEX requests_by_reference_nocase ON requests (lower(reference));
CREATE INDEX requests_open_dashboard ON requests (due, number, target, request_type, regime, status)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
CREATE INDEX requests_open_by_target ON requests (target, number, due)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
CREATE INDEX requests_open_by_extension_notice ON requests (((schedule::jsonb) ->> 'extension_notice_due'), number)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') AND ((schedule::jsonb) -> 'extended_due') IS NULL;
CREATE INDEX requests_received_by_ack_due ON requests (((schedule::jsonb) ->> 'ack_due'), number)
    WHERE status = 'received';
CREATE INDEX requests_by_duplicate_key ON requests (received_on, request_type, lower(subject_email));
CREATE INDEX requests_appeal_of ON requests (appeal_of) WHERE appeal_of IS NOT NULL;

-- The list's search (SQLite: the FTS5 trigram table `requests_search`, migration 9): one
-- text per request, folded to lower case without diacritics, under a pg_trgm GIN index.
-- A search for TERM is `rightsdesk_search_text(subject_name, subject_email, reference, notes)
-- LIKE '%' || rightsdesk_fold(TERM) || '%'` (with % _ \ in TERM escaped): the index serves
-- it for terms of three or more characters. The index is part of the table, so nothing
-- keeps it in step and a purged name leaves it with the row.
CREATE FUNCTION rightsdesk_fold(t TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, t));
CREATE FUNCTION rightsdesk_search_text(subject_name TEXT, subject_email TEXT, reference TEXT, notes TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN rightsdesk_fold(concat_ws(E'\n', subject_name, subject_email, reference, notes));
CREATE INDEX requests_search ON requests
    USING gin (rightsdesk_search_text(subject_name, subject_email, reference, notes) gin_trgm_ops);

-- Kept so that the services' bulk registration runs unchanged (SQLite, migration 12): on
-- PostgreSQL the index needs no deferring, and a row here changes nothing.
CREATE TABLE search_deferred (
    one BIGINT PRIMARY KEY CHECK (one = 1)
);

-- The timeline of each request is also its audit trail: append-only, but for the retention
-- purge's one-time redaction (summary and data replaced, `redacted_at` set).
CREATE TABLE events (
    seq         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    request_id  TEXT COLLATE "C" REFERENCES requests (id) ON DELETE CASCADE,
    at          TEXT COLLATE "C" NOT NULL,                 -- RFC 3339 UTC
    kind        TEXT COLLATE "C" NOT NULL,
    summary     TEXT COLLATE "C" NOT NULL,
    data        TEXT COLLATE "C" NOT NULL DEFAULT '{}',    -- JSON
    actor       TEXT COLLATE "C" NOT NULL,
    redacted_at TEXT COLLATE "C"                           -- (6) RFC 3339 UTC
);

CREATE INDEX events_by_request ON events (request_id, seq);
CREATE INDEX events_by_request_kind ON events (request_id, kind, seq);

CREATE FUNCTION rightsdesk_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND NEW.seq = OLD.seq AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
       AND NEW.at = OLD.at AND NEW.kind = OLD.kind AND NEW.actor = OLD.actor THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the timeline is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_events_append_only();

-- The actor on record is the PostgreSQL role that is logged in (`session_user`), whatever
-- the client sends: each officer logs in as their own role. Only the installer (the
-- tables' owner, or a superuser) may keep the actor it sends, and only when it says so
-- (`SET rightsdesk.keep_actor = 'on'`): what moving a single officer's register in needs,
-- whose history names its own actors.
CREATE FUNCTION rightsdesk_installer() RETURNS boolean
    LANGUAGE sql STABLE
    RETURN (SELECT r.rolsuper OR pg_has_role(session_user, c.relowner, 'MEMBER')
            FROM pg_roles r, pg_class c
            WHERE r.rolname = session_user AND c.oid = 'public.events'::regclass);
CREATE FUNCTION rightsdesk_server_actor() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF coalesce(current_setting('rightsdesk.keep_actor', true), '') = 'on' AND public.rightsdesk_installer() THEN
        RETURN NEW;
    END IF;
    NEW.actor := session_user;
    RETURN NEW;
END;
$$;
CREATE TRIGGER events_actor_from_session BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_server_actor();

-- The organisation's systems and processors.
CREATE TABLE systems (
    id                  TEXT COLLATE "C" PRIMARY KEY,      -- UUIDv7
    name                TEXT COLLATE "C" NOT NULL,
    vendor              TEXT COLLATE "C" NOT NULL DEFAULT '',
    role                TEXT COLLATE "C" NOT NULL CHECK (role IN ('own', 'processor', 'sub-processor')),
    purposes            TEXT COLLATE "C" NOT NULL DEFAULT '',
    data_categories     TEXT COLLATE "C" NOT NULL DEFAULT '',
    data_subjects       TEXT COLLATE "C" NOT NULL DEFAULT '',
    location            TEXT COLLATE "C" NOT NULL DEFAULT '',
    transfer_safeguard  TEXT COLLATE "C" NOT NULL DEFAULT '',
    retention           TEXT COLLATE "C" NOT NULL DEFAULT '',
    legal_duty          TEXT COLLATE "C" NOT NULL DEFAULT '',
    owner_contact       TEXT COLLATE "C" NOT NULL DEFAULT '',
    how_to_search       TEXT COLLATE "C" NOT NULL DEFAULT '',
    how_to_export       TEXT COLLATE "C" NOT NULL DEFAULT '',
    how_to_delete       TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at          TEXT COLLATE "C" NOT NULL,
    updated_at          TEXT COLLATE "C" NOT NULL,
    legal_basis         TEXT COLLATE "C" NOT NULL DEFAULT '',  -- (10)
    source              TEXT COLLATE "C" NOT NULL DEFAULT '',  -- (10)
    automated_decisions TEXT COLLATE "C" NOT NULL DEFAULT ''   -- (15)
);
-- SQLite: name UNIQUE COLLATE NOCASE.
CREATE UNIQUE INDEX systems_name_nocase ON systems (lower(name));

CREATE TABLE tasks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    request_id  TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    system_id   TEXT COLLATE "C" REFERENCES systems (id) ON DELETE SET NULL,
    system_name TEXT COLLATE "C" NOT NULL,
    action      TEXT COLLATE "C" NOT NULL CHECK (action IN ('collect', 'delete', 'correct', 'restrict', 'stop')),
    legal_duty  TEXT COLLATE "C" NOT NULL DEFAULT '',
    position    BIGINT NOT NULL,
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('open', 'done', 'exempt', 'not-held')),
    note        TEXT COLLATE "C" NOT NULL DEFAULT '',
    exemption   TEXT COLLATE "C",
    closed_by   TEXT COLLATE "C",
    closed_at   TEXT COLLATE "C",
    created_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tasks_by_request ON tasks (request_id, position);

CREATE TABLE identity_checks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    request_id  TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    method      TEXT COLLATE "C" NOT NULL CHECK (method IN ('reply-from-address-on-file', 'account-data-match',
                    'document-seen', 'authorised-agent')),
    outcome     TEXT COLLATE "C" NOT NULL CHECK (outcome IN ('verified', 'failed')),
    note        TEXT COLLATE "C" NOT NULL DEFAULT '',
    checked_on  TEXT COLLATE "C" NOT NULL,
    checked_by  TEXT COLLATE "C" NOT NULL,
    checked_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX identity_checks_by_request ON identity_checks (request_id, checked_at);

CREATE TABLE evidence (
    id           TEXT COLLATE "C" PRIMARY KEY,
    request_id   TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    task_id      TEXT COLLATE "C" REFERENCES tasks (id) ON DELETE SET NULL,
    kind         TEXT COLLATE "C" NOT NULL CHECK (kind IN ('evidence', 'identity-document')),
    name         TEXT COLLATE "C" NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL CHECK (length(sha256) = 64),
    blob         TEXT COLLATE "C" NOT NULL CHECK (length(blob) = 64),
    size         BIGINT NOT NULL,
    delete_after TEXT COLLATE "C",
    added_by     TEXT COLLATE "C" NOT NULL,
    added_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX evidence_by_request ON evidence (request_id, added_at);
CREATE INDEX evidence_by_blob ON evidence (blob);

-- The audit trail: one row per timeline event, hash-chained; no foreign key (it outlives a
-- purged request). The client computes the hash over the actor the server records: a
-- client that sends another actor gets it replaced here, and its hash no longer verifies.
CREATE TABLE audit_chain (
    seq            BIGINT PRIMARY KEY,                     -- = events.seq
    request_id     TEXT COLLATE "C",
    at             TEXT COLLATE "C" NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL,
    actor          TEXT COLLATE "C" NOT NULL,
    content_sha256 TEXT COLLATE "C" NOT NULL,
    prev_hash      TEXT COLLATE "C" NOT NULL,
    hash           TEXT COLLATE "C" NOT NULL,
    state_sha256   TEXT COLLATE "C"                        -- (13)
);

CREATE FUNCTION rightsdesk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_audit_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION rightsdesk_audit_append_only();
CREATE TRIGGER audit_chain_actor_from_session BEFORE INSERT ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_server_actor();

-- (13) The states of request rows sealed by the chain.
CREATE TABLE audit_states (
    seq        BIGINT NOT NULL,
    request_id TEXT COLLATE "C" NOT NULL,
    reference  TEXT COLLATE "C" NOT NULL,
    digest     TEXT COLLATE "C" NOT NULL,
    fields     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (request_id, seq)
);
CREATE INDEX audit_states_by_seq ON audit_states (seq);
CREATE TRIGGER audit_states_no_update BEFORE UPDATE OR DELETE ON audit_states
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_audit_append_only();
CREATE TRIGGER audit_states_no_truncate BEFORE TRUNCATE ON audit_states
    FOR EACH STATEMENT EXECUTE FUNCTION rightsdesk_audit_append_only();

-- (4) Mail: letters and the outbox, reminders given, template overrides.
CREATE TABLE letters (
    id              TEXT COLLATE "C" PRIMARY KEY,
    request_id      TEXT COLLATE "C" REFERENCES requests (id) ON DELETE RESTRICT,
    template        TEXT COLLATE "C" NOT NULL,
    lang            TEXT COLLATE "C" NOT NULL CHECK (lang IN ('en', 'de', 'fr')),
    message_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    envelope_from   TEXT COLLATE "C" NOT NULL,
    envelope_to     TEXT COLLATE "C" NOT NULL,
    to_display      TEXT COLLATE "C" NOT NULL,
    subject         TEXT COLLATE "C" NOT NULL,
    body_text       TEXT COLLATE "C" NOT NULL,
    body_html       TEXT COLLATE "C" NOT NULL,
    raw             BYTEA NOT NULL,
    attachments     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    clock_event     TEXT COLLATE "C",
    state           TEXT COLLATE "C" NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT COLLATE "C",
    claimed_at      TEXT COLLATE "C",
    last_error      TEXT COLLATE "C",
    server_reply    TEXT COLLATE "C",
    queued_at       TEXT COLLATE "C" NOT NULL,
    sent_at         TEXT COLLATE "C",
    updated_at      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX letters_by_state ON letters (state, next_attempt_at);
CREATE INDEX letters_by_request ON letters (request_id, queued_at);

CREATE TABLE reminders_given (
    request_id TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    threshold  TEXT COLLATE "C" NOT NULL,
    due        TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL,
    letter_id  TEXT COLLATE "C" REFERENCES letters (id),
    PRIMARY KEY (request_id, threshold, due)
);

CREATE TABLE letter_templates (
    name       TEXT COLLATE "C" NOT NULL,
    lang       TEXT COLLATE "C" NOT NULL CHECK (lang IN ('en', 'de', 'fr')),
    source     TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (name, lang)
);

-- (5) Answer packages and bulk imports.
CREATE TABLE packages (
    id              TEXT COLLATE "C" PRIMARY KEY,
    request_id      TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    file_name       TEXT COLLATE "C" NOT NULL,
    manifest_sha256 TEXT COLLATE "C" NOT NULL,
    files           BIGINT NOT NULL,
    bytes           BIGINT NOT NULL,
    encrypted       BIGINT NOT NULL CHECK (encrypted IN (0, 1)),
    created_at      TEXT COLLATE "C" NOT NULL,
    actor           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX packages_by_request ON packages (request_id, created_at);
CREATE TRIGGER packages_actor_from_session BEFORE INSERT ON packages
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_server_actor();

CREATE TABLE imports (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    file_name          TEXT COLLATE "C" NOT NULL,
    file_sha256        TEXT COLLATE "C" NOT NULL,
    encoding           TEXT COLLATE "C" NOT NULL,
    delimiter          TEXT COLLATE "C" NOT NULL,
    imported           BIGINT NOT NULL,
    skipped_duplicates BIGINT NOT NULL,
    created_at         TEXT COLLATE "C" NOT NULL,
    actor              TEXT COLLATE "C" NOT NULL
);
CREATE INDEX imports_by_hash ON imports (file_sha256);
CREATE TRIGGER imports_actor_from_session BEFORE INSERT ON imports
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_server_actor();

-- (7) The officer's workspace: named filters. SQLite: name UNIQUE COLLATE NOCASE.
CREATE TABLE saved_filters (
    id         TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    filter     TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX saved_filters_name_nocase ON saved_filters (lower(name));

-- (11) The register's figures by day and by status, kept by triggers.
CREATE TABLE request_days (
    day              TEXT COLLATE "C" PRIMARY KEY,
    received         BIGINT NOT NULL DEFAULT 0,
    answered         BIGINT NOT NULL DEFAULT 0,
    answered_dated   BIGINT NOT NULL DEFAULT 0,
    answered_on_time BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE request_statuses (
    status TEXT COLLATE "C" PRIMARY KEY,
    n      BIGINT NOT NULL DEFAULT 0
);

-- One function for SQLite's three tally triggers: take the old row out, put the new one in.
CREATE FUNCTION rightsdesk_requests_tally() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE request_days SET received = received - 1 WHERE day = OLD.received_on;
        IF OLD.closed_on IS NOT NULL AND OLD.status IN ('completed', 'refused') THEN
            UPDATE request_days SET answered = answered - 1,
                answered_dated = answered_dated - (OLD.due IS NOT NULL)::int,
                answered_on_time = answered_on_time - coalesce((OLD.closed_on <= OLD.due)::int, 0)
                WHERE day = OLD.closed_on;
        END IF;
        UPDATE request_statuses SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO request_days (day, received) VALUES (NEW.received_on, 1)
            ON CONFLICT (day) DO UPDATE SET received = request_days.received + 1;
        IF NEW.closed_on IS NOT NULL AND NEW.status IN ('completed', 'refused') THEN
            INSERT INTO request_days AS d (day, answered, answered_dated, answered_on_time)
                VALUES (NEW.closed_on, 1, (NEW.due IS NOT NULL)::int, coalesce((NEW.closed_on <= NEW.due)::int, 0))
                ON CONFLICT (day) DO UPDATE SET answered = d.answered + 1,
                    answered_dated = d.answered_dated + excluded.answered_dated,
                    answered_on_time = d.answered_on_time + excluded.answered_on_time;
        END IF;
        INSERT INTO request_statuses (status, n) VALUES (NEW.status, 1)
            ON CONFLICT (status) DO UPDATE SET n = request_statuses.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER requests_tally_insert AFTER INSERT OR DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_tally();
CREATE TRIGGER requests_tally_update AFTER UPDATE OF received_on, closed_on, status, due ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_tally();

-- (14) A registration's idempotency key.
CREATE TABLE request_submissions (
    idempotency_key TEXT COLLATE "C" PRIMARY KEY,
    request_id      TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE
);
CREATE INDEX request_submissions_request ON request_submissions (request_id);

-- (15) An officer's statement of a fact the data map lacks.
CREATE TABLE package_statements (
    request_id TEXT COLLATE "C" NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    system     TEXT COLLATE "C" NOT NULL,
    fact       TEXT COLLATE "C" NOT NULL,
    statement  TEXT COLLATE "C" NOT NULL,
    actor      TEXT COLLATE "C" NOT NULL,
    at         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (request_id, system, fact)
);
CREATE TRIGGER package_statements_actor_from_session BEFORE INSERT OR UPDATE ON package_statements
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_server_actor();

-- (17) The privacy mailbox.
CREATE TABLE mailbox_folders (
    folder      TEXT COLLATE "C" PRIMARY KEY,
    uidvalidity BIGINT NOT NULL,
    last_uid    BIGINT NOT NULL
);

CREATE TABLE intake_items (
    id            TEXT COLLATE "C" PRIMARY KEY,
    folder        TEXT COLLATE "C" NOT NULL,
    uidvalidity   BIGINT NOT NULL,
    uid           BIGINT NOT NULL,
    message_id    TEXT COLLATE "C",
    from_name     TEXT COLLATE "C" NOT NULL DEFAULT '',
    from_address  TEXT COLLATE "C" NOT NULL DEFAULT '',
    subject       TEXT COLLATE "C" NOT NULL DEFAULT '',
    internal_date TEXT COLLATE "C" NOT NULL,
    size          BIGINT NOT NULL,
    preview       TEXT COLLATE "C" NOT NULL DEFAULT '',
    attachments   TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    warning       TEXT COLLATE "C",
    state         TEXT COLLATE "C" NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'accepted', 'dismissed', 'linked')),
    reason        TEXT COLLATE "C",
    request_id    TEXT COLLATE "C" REFERENCES requests (id) ON DELETE RESTRICT,
    blob          TEXT COLLATE "C" NOT NULL,
    sha256        TEXT COLLATE "C" NOT NULL,
    fetched_at    TEXT COLLATE "C" NOT NULL,
    decided_at    TEXT COLLATE "C",
    decided_by    TEXT COLLATE "C",
    UNIQUE (folder, uidvalidity, uid)
);
CREATE INDEX intake_items_state ON intake_items (state, internal_date);
CREATE INDEX intake_items_same_message ON intake_items (folder, message_id, internal_date, size);
CREATE INDEX intake_items_blob ON intake_items (blob);

-- (18) Mails to a system's owner about a task, and the owners' replies.
CREATE TABLE owner_mails (
    id        TEXT COLLATE "C" PRIMARY KEY,
    task_id   TEXT COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    letter_id TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES letters (id) ON DELETE CASCADE,
    kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('request', 'reminder')),
    owner     TEXT COLLATE "C" NOT NULL,
    due       TEXT COLLATE "C",
    queued_on TEXT COLLATE "C" NOT NULL,
    queued_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX owner_mails_task ON owner_mails (task_id, queued_at);
CREATE INDEX owner_mails_owner ON owner_mails (owner, queued_on);

CREATE TABLE owner_replies (
    id          TEXT COLLATE "C" PRIMARY KEY,
    task_id     TEXT COLLATE "C" NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    intake_item TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES intake_items (id) ON DELETE CASCADE,
    received_at TEXT COLLATE "C" NOT NULL,
    suggestion  TEXT COLLATE "C" CHECK (suggestion IN ('done', 'not-held')),
    state       TEXT COLLATE "C" NOT NULL CHECK (state IN ('offered', 'closed', 'none')),
    evidence    TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX owner_replies_task ON owner_replies (task_id, received_at);

-- (19) Requests handled as a processor for a customer.
CREATE TABLE processor_roles (
    request_id       TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES requests (id),
    controller       TEXT COLLATE "C" NOT NULL,
    controller_email TEXT COLLATE "C" NOT NULL,
    received_by_us   TEXT COLLATE "C" NOT NULL,
    forwarded_on     TEXT COLLATE "C"
);
