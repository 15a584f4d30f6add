-- SQLite's migration 27 (issue 21, item 6): the retention purge's candidates (closed, not yet
-- purged, by number) get a partial index that a registration does not write, in place of the
-- index on (purged_at, status) that held every request.
DROP INDEX requests_by_purged;
CREATE INDEX requests_closed_unpurged ON requests (number)
    WHERE purged_at IS NULL AND status IN ('completed', 'refused', 'withdrawn', 'duplicate');
