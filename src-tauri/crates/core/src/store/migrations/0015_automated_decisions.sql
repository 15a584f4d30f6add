-- Automated decision-making per system (GDPR Art. 15(1)(h)): "none", or the
-- logic involved, its significance and its envisaged consequences. Empty
-- means "not recorded": the answer package then names the system and the
-- missing fact instead of claiming there is none (issue 19).
ALTER TABLE systems ADD COLUMN automated_decisions TEXT NOT NULL DEFAULT '';
-- An officer's explicit statement of a fact the data map lacks, made for one
-- request's answer package (the statement is also on the request's timeline).
CREATE TABLE package_statements (
    request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    system TEXT NOT NULL,
    fact TEXT NOT NULL,
    statement TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (request_id, system, fact)
);
