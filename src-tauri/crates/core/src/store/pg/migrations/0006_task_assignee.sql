-- SQLite's migration 23 (issue 18 item 4): a task can be assigned to a member of
-- the team, by login (NULL: nobody); "assigned to me" reads the partial index.
ALTER TABLE tasks ADD COLUMN assignee TEXT COLLATE "C";
CREATE INDEX tasks_open_by_assignee ON tasks (assignee, request_id) WHERE status = 'open' AND assignee IS NOT NULL;
