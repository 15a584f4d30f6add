-- Issue 18 (PostgreSQL only, no SQLite counterpart): the highest event number issued, kept
-- with the transaction that appends, and the change notices other windows LISTEN for.

-- 1. `events.seq` comes from an identity sequence, and no rollback gives a number back. Read
--    as "the highest number issued", the sequence made `audit verify` report the events of a
--    failed or killed write as "removed from the end of the trail". This one row is kept by
--    the trigger below in the appending transaction, so a rollback leaves it as it was (as
--    SQLite's `sqlite_sequence` is). `store::events::highest_seq_issued` reads it. Seeded
--    from the events and seals there are, never from the sequence.
CREATE TABLE events_issued (
    one BIGINT PRIMARY KEY CHECK (one = 1),
    seq BIGINT NOT NULL
);
INSERT INTO events_issued (one, seq)
    SELECT 1, greatest(coalesce((SELECT max(seq) FROM events), 0), coalesce((SELECT max(seq) FROM audit_chain), 0));

-- Once per statement over its new rows (not once per row): a move of a register inserts its
-- events in batches, and one row updated per event would grow a chain of row versions that
-- each later update walks. Runs as its owner, as the tallies do: nobody writes this table.
CREATE FUNCTION rightsdesk_events_issued() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    top bigint;
BEGIN
    SELECT max(seq) INTO top FROM new_events;
    IF top IS NOT NULL THEN
        UPDATE events_issued SET seq = greatest(seq, top) WHERE one = 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_issued_keep AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION rightsdesk_events_issued();

-- 2. Change notices (issue 18, item 4): every event appended tells the listeners of channel
--    `rightsdesk_changes` (`store::pg::CHANGES_CHANNEL`) which request changed ('' for an
--    event of no request: settings, the data map). The server delivers them at COMMIT, none
--    after a ROLLBACK, and folds identical ones of one transaction. Once per statement, each
--    request once.
CREATE FUNCTION rightsdesk_events_notify() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM pg_notify('rightsdesk_changes', r) FROM (SELECT DISTINCT coalesce(request_id, '') AS r FROM new_events) changed;
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_change_notice AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION rightsdesk_events_notify();
