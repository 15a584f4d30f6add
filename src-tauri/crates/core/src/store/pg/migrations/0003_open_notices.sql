-- SQLite's migration 21 (issue 21): open requests not yet extended, by the last day to notify
-- an extension and the legal due date in force ('' for none), kept by a trigger in the same
-- transaction as every write to `requests`. A row whose count falls to 0 is deleted.
CREATE TABLE request_open_notices (
    notice TEXT COLLATE "C" NOT NULL,  -- the last day to notify an extension
    due    TEXT COLLATE "C" NOT NULL,  -- the legal due date in force; '' without one
    n      BIGINT NOT NULL,
    PRIMARY KEY (notice, due)
);

INSERT INTO request_open_notices (notice, due, n)
    SELECT (schedule::jsonb) ->> 'extension_notice_due', coalesce(due, ''), count(*) FROM requests
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
      AND (schedule::jsonb) ->> 'extended_due' IS NULL AND (schedule::jsonb) ->> 'extension_notice_due' IS NOT NULL
    GROUP BY 1, 2;

-- One function for SQLite's three triggers: take the old row out (if it counted), put the new
-- one in (if it counts). Runs as its owner, as the other tallies do.
CREATE FUNCTION rightsdesk_requests_open_notice() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    closed CONSTANT text[] := ARRAY['completed', 'refused', 'withdrawn', 'duplicate'];
    v_notice text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT (OLD.status = ANY (closed))
       AND (OLD.schedule::jsonb) ->> 'extended_due' IS NULL THEN
        v_notice := (OLD.schedule::jsonb) ->> 'extension_notice_due';
        IF v_notice IS NOT NULL THEN
            UPDATE request_open_notices o SET n = o.n - 1 WHERE o.notice = v_notice AND o.due = coalesce(OLD.due, '');
            DELETE FROM request_open_notices o WHERE o.notice = v_notice AND o.due = coalesce(OLD.due, '') AND o.n <= 0;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT (NEW.status = ANY (closed))
       AND (NEW.schedule::jsonb) ->> 'extended_due' IS NULL THEN
        v_notice := (NEW.schedule::jsonb) ->> 'extension_notice_due';
        IF v_notice IS NOT NULL THEN
            INSERT INTO request_open_notices AS o (notice, due, n) VALUES (v_notice, coalesce(NEW.due, ''), 1)
                ON CONFLICT ON CONSTRAINT request_open_notices_pkey DO UPDATE SET n = o.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER requests_open_notice_insert AFTER INSERT OR DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_notice();
CREATE TRIGGER requests_open_notice_update AFTER UPDATE OF status, due, schedule ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_notice();
