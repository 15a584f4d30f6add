-- The dashboard at 1,000,000 requests (issue 21, item 6).
--
-- Its figures about open requests came from walks of the open requests'
-- indexes: by type and regime every open request, overdue and target passed
-- every late one; at 1,000,000 requests (63,000 open) 88 ms. Kept here
-- instead, by triggers in the same transaction as every write to `requests`
-- (as `request_days` and `request_statuses`, migration 11): open requests by
-- type and regime, and by their dates. The dates move with today, so they are
-- counted per date, not per request: the dashboard sums a few hundred rows
-- whatever the size of the register. A row whose count falls to 0 is deleted,
-- so the rows follow the open requests, not every date ever seen.
-- `register::tally::check` recounts them from `requests` (tests).
CREATE TABLE request_open_kinds (
    request_type TEXT NOT NULL,
    regime       TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (request_type, regime)
) STRICT, WITHOUT ROWID;

CREATE TABLE request_open_dates (
    due    TEXT NOT NULL,  -- the legal due date in force; '' without one
    target TEXT NOT NULL,  -- the internal target; '' without one
    ack    TEXT NOT NULL,  -- the acknowledgement's due date while not yet triaged (status received); '' otherwise
    n      INTEGER NOT NULL,
    PRIMARY KEY (due, target, ack)
) STRICT, WITHOUT ROWID;

INSERT INTO request_open_kinds (request_type, regime, n)
    SELECT request_type, regime, count(*) FROM requests
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2;
INSERT INTO request_open_dates (due, target, ack, n)
    SELECT coalesce(due, ''), coalesce(target, ''),
           CASE WHEN status = 'received' THEN coalesce(json_extract(schedule, '$.ack_due'), '') ELSE '' END, count(*)
    FROM requests WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2, 3;

CREATE TRIGGER requests_open_tally_insert AFTER INSERT ON requests
WHEN NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
BEGIN
    INSERT INTO request_open_kinds (request_type, regime, n) VALUES (NEW.request_type, NEW.regime, 1)
        ON CONFLICT (request_type, regime) DO UPDATE SET n = n + 1;
    INSERT INTO request_open_dates (due, target, ack, n)
        VALUES (coalesce(NEW.due, ''), coalesce(NEW.target, ''),
                CASE WHEN NEW.status = 'received' THEN coalesce(json_extract(NEW.schedule, '$.ack_due'), '') ELSE '' END, 1)
        ON CONFLICT (due, target, ack) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER requests_open_tally_delete AFTER DELETE ON requests
WHEN OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
BEGIN
    UPDATE request_open_kinds SET n = n - 1 WHERE request_type = OLD.request_type AND regime = OLD.regime;
    DELETE FROM request_open_kinds WHERE request_type = OLD.request_type AND regime = OLD.regime AND n <= 0;
    UPDATE request_open_dates SET n = n - 1
        WHERE due = coalesce(OLD.due, '') AND target = coalesce(OLD.target, '')
          AND ack = CASE WHEN OLD.status = 'received' THEN coalesce(json_extract(OLD.schedule, '$.ack_due'), '') ELSE '' END;
    DELETE FROM request_open_dates
        WHERE due = coalesce(OLD.due, '') AND target = coalesce(OLD.target, '')
          AND ack = CASE WHEN OLD.status = 'received' THEN coalesce(json_extract(OLD.schedule, '$.ack_due'), '') ELSE '' END
          AND n <= 0;
END;

-- Only when the request was or is open (a closed request's purge, say, changes nothing here).
CREATE TRIGGER requests_open_tally_update AFTER UPDATE OF status, due, target, schedule, request_type, regime ON requests
WHEN OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
  OR NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
BEGIN
    UPDATE request_open_kinds SET n = n - 1
        WHERE request_type = OLD.request_type AND regime = OLD.regime
          AND OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
    DELETE FROM request_open_kinds WHERE request_type = OLD.request_type AND regime = OLD.regime AND n <= 0;
    UPDATE request_open_dates SET n = n - 1
        WHERE due = coalesce(OLD.due, '') AND target = coalesce(OLD.target, '')
          AND ack = CASE WHEN OLD.status = 'received' THEN coalesce(json_extract(OLD.schedule, '$.ack_due'), '') ELSE '' END
          AND OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
    DELETE FROM request_open_dates
        WHERE due = coalesce(OLD.due, '') AND target = coalesce(OLD.target, '')
          AND ack = CASE WHEN OLD.status = 'received' THEN coalesce(json_extract(OLD.schedule, '$.ack_due'), '') ELSE '' END
          AND n <= 0;
    INSERT INTO request_open_kinds (request_type, regime, n)
        SELECT NEW.request_type, NEW.regime, 1 WHERE NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
        ON CONFLICT (request_type, regime) DO UPDATE SET n = n + 1;
    INSERT INTO request_open_dates (due, target, ack, n)
        SELECT coalesce(NEW.due, ''), coalesce(NEW.target, ''),
               CASE WHEN NEW.status = 'received' THEN coalesce(json_extract(NEW.schedule, '$.ack_due'), '') ELSE '' END, 1
        WHERE NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
        ON CONFLICT (due, target, ack) DO UPDATE SET n = n + 1;
END;
