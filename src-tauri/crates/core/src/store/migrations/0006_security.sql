-- The tool's own retention (issue 7). A request whose personal data was purged
-- keeps its anonymised skeleton (type, regime, dates, status, outcome) and is
-- marked here, so metrics still count it and the purge never runs twice.
ALTER TABLE requests ADD COLUMN purged_at TEXT;          -- RFC 3339 UTC
CREATE INDEX requests_by_purged ON requests (purged_at, status);

-- The timeline stays append-only, with one exception: the retention purge may
-- redact an event once (summary and data replaced, `redacted_at` set), keeping
-- its sequence, time, kind and actor. Nothing else may change an event.
ALTER TABLE events ADD COLUMN redacted_at TEXT;          -- RFC 3339 UTC
DROP TRIGGER events_are_append_only_update;
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
WHEN NOT (
    OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
    AND NEW.seq = OLD.seq AND NEW.request_id IS OLD.request_id
    AND NEW.at = OLD.at AND NEW.kind = OLD.kind AND NEW.actor = OLD.actor
)
BEGIN
    SELECT RAISE(ABORT, 'the timeline is append-only');
END;
