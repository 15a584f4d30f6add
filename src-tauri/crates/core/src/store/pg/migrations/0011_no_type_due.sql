-- SQLite's migration 28 (issue 21, item 6): `requests_by_type_due` dropped; the dashboard counts
-- requests by type from its tallies, and the list filtered by type walks the list's order.
DROP INDEX requests_by_type_due;
