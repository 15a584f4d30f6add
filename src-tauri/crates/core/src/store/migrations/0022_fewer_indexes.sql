-- Registering one request at a time (issue 21, item 6): fewer B-trees to write.
--
-- Every registration inserts an entry into each index of `requests` and
-- `events`, and each entry dirties a page that is encrypted, authenticated and
-- written to the WAL. These indexes serve no query any more:
--
-- * `requests_by_received` (received_on) is a prefix of
--   `requests_by_duplicate_key` (received_on, request_type, lower(subject_email)),
--   which serves the same searches and orders;
-- * `requests_by_due` (due, number) and `requests_by_status_due` (status, due,
--   number) served the dashboard's counts by status and date before they were
--   kept as tallies (migrations 11, 20, 21); the dashboard's lists name their
--   own partial indexes (`requests_open_dashboard`, ...), the register's list
--   orders and filters use `requests_by_list_order` and
--   `requests_by_status_list_order`;
-- * `requests_by_target` (target, number): the list's order by target starts
--   with `target IS NULL`, which it cannot serve, and the dashboard's missed
--   targets read `requests_open_by_target`;
-- * `events_by_request` (request_id, seq) is served by `events_by_request_kind`
--   (request_id, kind, seq): a request's timeline is found by its id and its
--   few dozen events sorted.
DROP INDEX requests_by_received;
DROP INDEX requests_by_due;
DROP INDEX requests_by_status_due;
DROP INDEX requests_by_target;
DROP INDEX events_by_request;
