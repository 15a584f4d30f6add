-- SQLite's migration 20 (issue 21): open requests by type and regime, and by their dates
-- (due, target, the acknowledgement's due date while not yet triaged), kept by triggers in
-- the same transaction as every write to `requests`. A row whose count falls to 0 is deleted.
CREATE TABLE request_open_kinds (
    request_type TEXT COLLATE "C" NOT NULL,
    regime       TEXT COLLATE "C" NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (request_type, regime)
);

CREATE TABLE request_open_dates (
    due    TEXT COLLATE "C" NOT NULL,  -- the legal due date in force; '' without one
    target TEXT COLLATE "C" NOT NULL,  -- the internal target; '' without one
    ack    TEXT COLLATE "C" NOT NULL,  -- the acknowledgement's due date while status is received; '' otherwise
    n      BIGINT NOT NULL,
    PRIMARY KEY (due, target, ack)
);

INSERT INTO request_open_kinds (request_type, regime, n)
    SELECT request_type, regime, count(*) FROM requests
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2;
INSERT INTO request_open_dates (due, target, ack, n)
    SELECT coalesce(due, ''), coalesce(target, ''),
           CASE WHEN status = 'received' THEN coalesce((schedule::jsonb) ->> 'ack_due', '') ELSE '' END, count(*)
    FROM requests WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate') GROUP BY 1, 2, 3;

-- One function for SQLite's three triggers: take the old row out (if it was open), put the
-- new one in (if it is open). Runs as its owner, as the other tallies do.
CREATE FUNCTION rightsdesk_requests_open_tally() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    closed CONSTANT text[] := ARRAY['completed', 'refused', 'withdrawn', 'duplicate'];
    old_ack text;
    new_ack text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT (OLD.status = ANY (closed)) THEN
        old_ack := CASE WHEN OLD.status = 'received' THEN coalesce((OLD.schedule::jsonb) ->> 'ack_due', '') ELSE '' END;
        UPDATE request_open_kinds SET n = n - 1 WHERE request_type = OLD.request_type AND regime = OLD.regime;
        DELETE FROM request_open_kinds WHERE request_type = OLD.request_type AND regime = OLD.regime AND n <= 0;
        UPDATE request_open_dates d SET n = d.n - 1
            WHERE d.due = coalesce(OLD.due, '') AND d.target = coalesce(OLD.target, '') AND d.ack = old_ack;
        DELETE FROM request_open_dates d
            WHERE d.due = coalesce(OLD.due, '') AND d.target = coalesce(OLD.target, '') AND d.ack = old_ack AND d.n <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT (NEW.status = ANY (closed)) THEN
        new_ack := CASE WHEN NEW.status = 'received' THEN coalesce((NEW.schedule::jsonb) ->> 'ack_due', '') ELSE '' END;
        INSERT INTO request_open_kinds AS k (request_type, regime, n) VALUES (NEW.request_type, NEW.regime, 1)
            ON CONFLICT (request_type, regime) DO UPDATE SET n = k.n + 1;
        INSERT INTO request_open_dates AS d (due, target, ack, n) VALUES (coalesce(NEW.due, ''), coalesce(NEW.target, ''), new_ack, 1)
            ON CONFLICT (due, target, ack) DO UPDATE SET n = d.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER requests_open_tally_insert AFTER INSERT OR DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_tally();
CREATE TRIGGER requests_open_tally_update AFTER UPDATE OF status, due, target, schedule, request_type, regime ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_tally();
