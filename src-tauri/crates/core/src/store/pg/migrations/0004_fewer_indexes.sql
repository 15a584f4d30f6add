-- SQLite's migration 22 (issue 21, item 6): the indexes no query reads any more, dropped so
-- that each registration writes fewer B-trees (the reasons are in SQLite's migration).
DROP INDEX requests_by_received;
DROP INDEX requests_by_due;
DROP INDEX requests_by_status_due;
DROP INDEX requests_by_target;
DROP INDEX events_by_request;
