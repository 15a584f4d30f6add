-- PostgreSQL only (issue 18: 1,000 registrations from 4 clients, each inside the writer lock):
-- a new request's tallies are kept by one trigger instead of three. Each of the three
-- (requests per day and status, 0001; open requests by kind and dates, 0002; open unextended
-- requests by the last day to notify an extension, 0003) was a call of its own function, with
-- its `search_path` set and restored, and parsed the schedule's JSON again. This one does
-- what their INSERT branches did, in the same order, with the schedule parsed once; their
-- functions keep the DELETE and UPDATE branches (their update triggers are unchanged). What
-- each tally holds is the same (tests: dashboard_stores, dashboard_figures).
CREATE FUNCTION rightsdesk_requests_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    closed CONSTANT text[] := ARRAY['completed', 'refused', 'withdrawn', 'duplicate'];
    s jsonb;
    v_notice text;
BEGIN
    -- rightsdesk_requests_tally (0001)
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
    IF NEW.status = ANY (closed) THEN
        RETURN NULL;
    END IF;
    s := NEW.schedule::jsonb;
    -- rightsdesk_requests_open_tally (0002)
    INSERT INTO request_open_kinds AS k (request_type, regime, n) VALUES (NEW.request_type, NEW.regime, 1)
        ON CONFLICT (request_type, regime) DO UPDATE SET n = k.n + 1;
    INSERT INTO request_open_dates AS d (due, target, ack, n)
        VALUES (coalesce(NEW.due, ''), coalesce(NEW.target, ''),
                CASE WHEN NEW.status = 'received' THEN coalesce(s ->> 'ack_due', '') ELSE '' END, 1)
        ON CONFLICT (due, target, ack) DO UPDATE SET n = d.n + 1;
    -- rightsdesk_requests_open_notice (0003)
    IF s ->> 'extended_due' IS NULL THEN
        v_notice := s ->> 'extension_notice_due';
        IF v_notice IS NOT NULL THEN
            INSERT INTO request_open_notices AS o (notice, due, n) VALUES (v_notice, coalesce(NEW.due, ''), 1)
                ON CONFLICT ON CONSTRAINT request_open_notices_pkey DO UPDATE SET n = o.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER requests_tally_insert ON requests;
DROP TRIGGER requests_open_tally_insert ON requests;
DROP TRIGGER requests_open_notice_insert ON requests;
CREATE TRIGGER requests_tally_delete AFTER DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_tally();
CREATE TRIGGER requests_open_tally_delete AFTER DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_tally();
CREATE TRIGGER requests_open_notice_delete AFTER DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_open_notice();
CREATE TRIGGER requests_tallies_insert AFTER INSERT ON requests
    FOR EACH ROW EXECUTE FUNCTION rightsdesk_requests_inserted();
