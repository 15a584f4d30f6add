-- An appeal (US state laws) records the earlier request whose decision it
-- appeals: the letter deciding it names that request, and the detail view
-- links the two both ways (issue 19).
ALTER TABLE requests ADD COLUMN appeal_of TEXT REFERENCES requests(id);
CREATE INDEX requests_appeal_of ON requests (appeal_of) WHERE appeal_of IS NOT NULL;
