-- A bulk registration (the CSV import) writes the search index once, not once
-- per request (issue 8). FTS5 writes what it holds to disk at every statement
-- of a transaction (each opens a savepoint), so 100,000 imported rows made
-- 100,000 one-row segments, and merging them took a fifth of the import.
-- While `search_deferred` holds its one row, the insert trigger does nothing;
-- `store::requests::with_search_deferred` adds the row, registers the requests,
-- indexes them all with one statement and removes the row again, all in the
-- import's one transaction, so the row is never committed and no request is
-- ever committed without its place in the index.
CREATE TABLE search_deferred (
    one INTEGER PRIMARY KEY CHECK (one = 1)
);

DROP TRIGGER requests_search_insert;
CREATE TRIGGER requests_search_insert AFTER INSERT ON requests
WHEN NOT EXISTS (SELECT 1 FROM search_deferred)
BEGIN
    INSERT INTO requests_search (rowid, subject_name, subject_email, reference, notes)
    VALUES (new.number, new.subject_name, new.subject_email, new.reference, new.notes);
END;
