-- A schedule's explanation kept once, not in every request's row (issue 21, item 6).
--
-- A request's schedule (`requests.schedule`, JSON) held its dates and, at
-- about 1.4 of its 1.8 kB, how they were reached: the engine's steps, duties,
-- warnings and readings. That explanation is the same for every request of
-- one law, type and day of receipt (88 distinct ones among 100,000 imported
-- requests), and it made each request's row about 2.1 kB: one row to a 4 KiB
-- page, 100,253 of the register's 146,790 pages after a CSV import of
-- 100,000, each one encrypted and written to the WAL.
--
-- A schedule written from now on keeps its dates in `requests.schedule` and,
-- in its key `explanation`, the SHA-256 (hex) of its explanation's JSON,
-- which is kept here once. The dates stay where the indexes, tallies and
-- audit states read them (`json_extract(schedule, '$.ack_due')` and so on),
-- and the audit chain's sealed state of the request covers the explanation
-- through its hash (`audit::verify` checks each text against its hash).
-- Schedules written before stay whole in their rows, read as they are.
CREATE TABLE schedule_explanations (
    hash TEXT PRIMARY KEY,   -- SHA-256 (lower-case hex) of `text`
    text TEXT NOT NULL       -- JSON: {"duties": [...], "readings": [...], "steps": [...], "warnings": [...]}
);
