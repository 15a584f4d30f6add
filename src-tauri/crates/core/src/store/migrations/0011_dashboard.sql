-- The dashboard at any size (issue 8).
--
-- When each closed request was closed: the local date, in the request's own
-- time zone, of the status change that closed it (completed, refused,
-- withdrawn, duplicate); NULL while it is open. The on-time rate, the answers
-- per month and the register export read it instead of searching the timeline
-- for the closing event of every request. Filled for requests closed before
-- this migration by its hook (the time-zone conversion needs the zone
-- database), then kept by `store::requests::set_status`.
ALTER TABLE requests ADD COLUMN closed_on TEXT;

-- The register's figures by day and by status, kept in step by triggers in the
-- same transaction as every write to `requests`, so that the dashboard sums a
-- year of days (at most 366 rows) and nine statuses instead of walking every
-- request ever received. `tally::check` recounts them from `requests` (tests).
CREATE TABLE request_days (
    day              TEXT PRIMARY KEY,             -- YYYY-MM-DD
    received         INTEGER NOT NULL DEFAULT 0,   -- requests received that day (received_on)
    answered         INTEGER NOT NULL DEFAULT 0,   -- completed or refused that day (closed_on)
    answered_dated   INTEGER NOT NULL DEFAULT 0,   -- of those, with a legal due date
    answered_on_time INTEGER NOT NULL DEFAULT 0    -- of those, closed on or before it
) STRICT, WITHOUT ROWID;

CREATE TABLE request_statuses (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO request_days (day, received) SELECT received_on, count(*) FROM requests GROUP BY received_on;
INSERT INTO request_statuses (status, n) SELECT status, count(*) FROM requests GROUP BY status;

CREATE TRIGGER requests_tally_insert AFTER INSERT ON requests
BEGIN
    INSERT INTO request_days (day, received) VALUES (NEW.received_on, 1)
        ON CONFLICT (day) DO UPDATE SET received = received + 1;
    INSERT INTO request_days (day, answered, answered_dated, answered_on_time)
        SELECT NEW.closed_on, 1, NEW.due IS NOT NULL, COALESCE(NEW.closed_on <= NEW.due, 0)
        WHERE NEW.closed_on IS NOT NULL AND NEW.status IN ('completed', 'refused')
        ON CONFLICT (day) DO UPDATE SET answered = answered + 1, answered_dated = answered_dated + excluded.answered_dated,
            answered_on_time = answered_on_time + excluded.answered_on_time;
    INSERT INTO request_statuses (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER requests_tally_delete AFTER DELETE ON requests
BEGIN
    UPDATE request_days SET received = received - 1 WHERE day = OLD.received_on;
    UPDATE request_days SET answered = answered - 1, answered_dated = answered_dated - (OLD.due IS NOT NULL),
        answered_on_time = answered_on_time - COALESCE(OLD.closed_on <= OLD.due, 0)
        WHERE day = OLD.closed_on AND OLD.status IN ('completed', 'refused');
    UPDATE request_statuses SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER requests_tally_update AFTER UPDATE OF received_on, closed_on, status, due ON requests
BEGIN
    UPDATE request_days SET received = received - 1 WHERE day = OLD.received_on;
    INSERT INTO request_days (day, received) VALUES (NEW.received_on, 1)
        ON CONFLICT (day) DO UPDATE SET received = received + 1;
    UPDATE request_days SET answered = answered - 1, answered_dated = answered_dated - (OLD.due IS NOT NULL),
        answered_on_time = answered_on_time - COALESCE(OLD.closed_on <= OLD.due, 0)
        WHERE day = OLD.closed_on AND OLD.status IN ('completed', 'refused');
    INSERT INTO request_days (day, answered, answered_dated, answered_on_time)
        SELECT NEW.closed_on, 1, NEW.due IS NOT NULL, COALESCE(NEW.closed_on <= NEW.due, 0)
        WHERE NEW.closed_on IS NOT NULL AND NEW.status IN ('completed', 'refused')
        ON CONFLICT (day) DO UPDATE SET answered = answered + 1, answered_dated = answered_dated + excluded.answered_dated,
            answered_on_time = answered_on_time + excluded.answered_on_time;
    UPDATE request_statuses SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO request_statuses (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

-- Open requests only (a few percent of a register that keeps its history),
-- covering what the dashboard counts and sorts them by: overdue and due soon,
-- the target passed, by type and by regime.
CREATE INDEX requests_open_dashboard ON requests (due, number, target, request_type, regime, status)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');

-- Open requests whose internal target has passed, in the order they are
-- listed (with the legal date, so that counting them reads no row).
CREATE INDEX requests_open_by_target ON requests (target, number, due)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');

-- "Needs you": the last day to notify an extension (open, not yet extended),
-- and the acknowledgement due for requests not yet triaged; both live in the
-- schedule's JSON.
CREATE INDEX requests_open_by_extension_notice ON requests (json_extract(schedule, '$.extension_notice_due'), number)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') AND json_extract(schedule, '$.extended_due') IS NULL;
CREATE INDEX requests_received_by_ack_due ON requests (json_extract(schedule, '$.ack_due'), number)
    WHERE status = 'received';
DROP INDEX requests_open_by_due; -- superseded by requests_open_dashboard (same rows, due first)

-- The import's duplicate check (`import::rows::in_register`: the same subject's
-- email, request type and day of receipt). Without it each row read every
-- request received that day: an import of a month's web-form export grew with
-- the square of its rows (issue 8: the second 50,000 rows of 100,000 ran for
-- over ten minutes).
CREATE INDEX requests_by_duplicate_key ON requests (received_on, request_type, lower(subject_email));
