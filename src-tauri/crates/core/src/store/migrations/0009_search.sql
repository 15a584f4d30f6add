-- The list's single search field (subject name, email, reference, notes) as a
-- substring search that uses an index (issue 8): an FTS5 index of
-- trigrams, folded to lower case and without diacritics, so "elodie" finds
-- "Élodie" and "ADA@EX" finds "ada@example.org". `store::requests` matches a
-- term of three or more characters as one quoted phrase here (consecutive
-- trigrams = the substring), or a whole request id through its primary key;
-- shorter terms fall back to LIKE over the columns. The id is not indexed by
-- trigrams: 34 random ones per request would make the index a third larger
-- and every registration slower, for a search nobody types part of.
--
-- External content: the index stores only the trigrams, the text stays in
-- `requests`; its row id is the request's `number` (stable, unlike the table's
-- implicit rowid, which VACUUM may renumber). The triggers keep it in step with
-- every insert, update of a searched column, and delete.
CREATE VIRTUAL TABLE requests_search USING fts5(
    subject_name, subject_email, reference, notes,
    content = 'requests', content_rowid = 'number',
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER requests_search_insert AFTER INSERT ON requests
BEGIN
    INSERT INTO requests_search (rowid, subject_name, subject_email, reference, notes)
    VALUES (new.number, new.subject_name, new.subject_email, new.reference, new.notes);
END;

CREATE TRIGGER requests_search_delete AFTER DELETE ON requests
BEGIN
    INSERT INTO requests_search (requests_search, rowid, subject_name, subject_email, reference, notes)
    VALUES ('delete', old.number, old.subject_name, old.subject_email, old.reference, old.notes);
END;

CREATE TRIGGER requests_search_update
AFTER UPDATE OF number, subject_name, subject_email, reference, notes ON requests
BEGIN
    INSERT INTO requests_search (requests_search, rowid, subject_name, subject_email, reference, notes)
    VALUES ('delete', old.number, old.subject_name, old.subject_email, old.reference, old.notes);
    INSERT INTO requests_search (rowid, subject_name, subject_email, reference, notes)
    VALUES (new.number, new.subject_name, new.subject_email, new.reference, new.notes);
END;

-- A deleted or erased row's trigrams leave the index at once (rather than as a
-- delete marker beside the old entries until a later merge), so a retention
-- purge, which runs with `secure_delete` on, leaves no trace of the name here.
INSERT INTO requests_search (requests_search, rank) VALUES ('secure-delete', 1);

-- Requests registered before this migration.
INSERT INTO requests_search (requests_search) VALUES ('rebuild');
