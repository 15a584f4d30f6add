-- A task can be assigned to a member of the team (issue 18 item 4): the person's
-- name as the register records actors (on a team register their login), NULL for
-- nobody. "Assigned to me" lists the requests with an open task assigned to the
-- officer, read through this partial index (open tasks that have someone only).
ALTER TABLE tasks ADD COLUMN assignee TEXT;
CREATE INDEX tasks_open_by_assignee ON tasks (assignee, request_id) WHERE status = 'open' AND assignee IS NOT NULL;
