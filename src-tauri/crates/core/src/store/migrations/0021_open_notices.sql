-- The dashboard at 1,000,000 requests (issue 21, item 6), continued.
--
-- "Extension notice possible" counted the open, unextended requests whose last
-- day to notify an extension falls within three days by walking its index
-- (migration 11) and reading each one's schedule: thousands of rows at
-- 1,000,000 requests. Kept here instead, like the other dates of open
-- requests (migration 20): open requests not yet extended, by the last day to
-- notify an extension and the legal due date in force ('' for none); a row
-- whose count falls to 0 is deleted. `register::tally::check` recounts it.
CREATE TABLE request_open_notices (
    notice TEXT NOT NULL,  -- the last day to notify an extension
    due    TEXT NOT NULL,  -- the legal due date in force; '' without one
    n      INTEGER NOT NULL,
    PRIMARY KEY (notice, due)
) STRICT, WITHOUT ROWID;

INSERT INTO request_open_notices (notice, due, n)
    SELECT json_extract(schedule, '$.extension_notice_due'), coalesce(due, ''), count(*) FROM requests
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
      AND json_extract(schedule, '$.extended_due') IS NULL AND json_extract(schedule, '$.extension_notice_due') IS NOT NULL
    GROUP BY 1, 2;

CREATE TRIGGER requests_open_notice_insert AFTER INSERT ON requests
WHEN NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
  AND json_extract(NEW.schedule, '$.extended_due') IS NULL AND json_extract(NEW.schedule, '$.extension_notice_due') IS NOT NULL
BEGIN
    INSERT INTO request_open_notices (notice, due, n)
        VALUES (json_extract(NEW.schedule, '$.extension_notice_due'), coalesce(NEW.due, ''), 1)
        ON CONFLICT (notice, due) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER requests_open_notice_delete AFTER DELETE ON requests
WHEN OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
  AND json_extract(OLD.schedule, '$.extended_due') IS NULL AND json_extract(OLD.schedule, '$.extension_notice_due') IS NOT NULL
BEGIN
    UPDATE request_open_notices SET n = n - 1
        WHERE notice = json_extract(OLD.schedule, '$.extension_notice_due') AND due = coalesce(OLD.due, '');
    DELETE FROM request_open_notices
        WHERE notice = json_extract(OLD.schedule, '$.extension_notice_due') AND due = coalesce(OLD.due, '') AND n <= 0;
END;

CREATE TRIGGER requests_open_notice_update AFTER UPDATE OF status, due, schedule ON requests
WHEN OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
  OR NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
BEGIN
    UPDATE request_open_notices SET n = n - 1
        WHERE notice = json_extract(OLD.schedule, '$.extension_notice_due') AND due = coalesce(OLD.due, '')
          AND OLD.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
          AND json_extract(OLD.schedule, '$.extended_due') IS NULL;
    DELETE FROM request_open_notices
        WHERE notice = json_extract(OLD.schedule, '$.extension_notice_due') AND due = coalesce(OLD.due, '') AND n <= 0;
    INSERT INTO request_open_notices (notice, due, n)
        SELECT json_extract(NEW.schedule, '$.extension_notice_due'), coalesce(NEW.due, ''), 1
        WHERE NEW.status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate')
          AND json_extract(NEW.schedule, '$.extended_due') IS NULL AND json_extract(NEW.schedule, '$.extension_notice_due') IS NOT NULL
        ON CONFLICT (notice, due) DO UPDATE SET n = n + 1;
END;
