-- The audit trail covers the register itself (issue 16).
--
-- Until now the chain sealed timeline events only: a request row changed with
-- the file decrypted (its status, a date, the subject) or deleted outright left
-- the trail "intact". From here on, a write that changes a request seals the
-- row's state into the chain entry of the event written in the same
-- transaction: a SHA-256 over the row's columns that matter (status, dates,
-- subject, regime, purge state …) and a 24-bit fingerprint per column, so
-- that `work::audit::verify` can say which one no longer matches. The chain
-- row's `state_sha256` is the hash over the states it seals (NULL when the
-- event changed no request) and enters its chain hash.
ALTER TABLE audit_chain ADD COLUMN state_sha256 TEXT;

CREATE TABLE audit_states (
    seq        INTEGER NOT NULL,                   -- the audit_chain row that seals it
    request_id TEXT NOT NULL,
    reference  TEXT NOT NULL,                      -- DSR-YYYY-NNNN, to name a deleted request
    digest     TEXT NOT NULL,                      -- SHA-256 over the canonical columns
    fields     TEXT NOT NULL,                      -- per column, six hex digits of its own hash
    PRIMARY KEY (request_id, seq)
) STRICT, WITHOUT ROWID;

CREATE INDEX audit_states_by_seq ON audit_states (seq);

CREATE TRIGGER audit_states_no_update BEFORE UPDATE ON audit_states
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_states_no_delete BEFORE DELETE ON audit_states
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

-- `audit_legacy` (migration 3) named the last event written before the chain
-- existed, to be sealed on the next write. It was an ordinary table: a row
-- added later let a forged event pass and be sealed by the next write. The
-- hook of this migration seals what it legitimately covered (only when the
-- chain is still empty), drops it, and seals every request's current state as
-- the baseline (`audit-baseline` event). Nothing reads it afterwards.
