-- Issue 16: a registration's idempotency key. The form (one key per form) and
-- `request add --idempotency-key` name each submission; a retry of the same
-- submission (sent twice, or the CLI killed after its commit but before it
-- printed) finds the request it registered here instead of registering a
-- duplicate. The key is an opaque token chosen by the caller, never personal data.
CREATE TABLE request_submissions (
    idempotency_key TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX request_submissions_request ON request_submissions (request_id);
