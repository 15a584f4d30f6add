-- SQLite's migration 30 (issue 21, item 6): whether a request is closed, written as
-- comparisons (`domain::CLOSED_SQL`) instead of an IN list, in the indexes that the shared
-- queries name with that text (an expression index serves an ORDER BY only of the same
-- expression). PostgreSQL evaluates either form in place; the same text keeps one query for both.

DROP INDEX requests_by_list_order;
CREATE INDEX requests_by_list_order ON requests (
    (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate'), (due IS NULL), due, number,
    subject_name, subject_email, reference
);

DROP INDEX requests_by_status_list_order;
CREATE INDEX requests_by_status_list_order ON requests (
    status, (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate'), (due IS NULL), due, number
);

DROP INDEX requests_open_by_list_order;
CREATE INDEX requests_open_by_list_order ON requests (
    (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate'), (due IS NULL), due, number
) WHERE NOT (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate');

DROP INDEX requests_open_dashboard;
CREATE INDEX requests_open_dashboard ON requests (due, number, target, request_type, regime, status)
    WHERE NOT (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate');

DROP INDEX requests_open_by_target;
CREATE INDEX requests_open_by_target ON requests (target, number, due)
    WHERE NOT (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate');

DROP INDEX requests_open_by_extension_notice;
CREATE INDEX requests_open_by_extension_notice ON requests (((schedule::jsonb) ->> 'extension_notice_due'), number)
    WHERE NOT (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate') AND ((schedule::jsonb) -> 'extended_due') IS NULL;

DROP INDEX requests_closed_unpurged;
CREATE INDEX requests_closed_unpurged ON requests (number)
    WHERE purged_at IS NULL AND (status = 'completed' OR status = 'refused' OR status = 'withdrawn' OR status = 'duplicate');
