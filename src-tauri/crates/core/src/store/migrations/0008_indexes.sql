-- Indexes that keep the list, the detail view and the dashboard fast at
-- 100,000 requests (issue 8; measured by scripts/bench.sh, query plans with
-- `bench-core --explain`).

-- The list's order puts undated requests last (`ORDER BY due IS NULL, due, number`):
-- an index on that very expression walks the first page instead of sorting the
-- whole table. The subject's name and email and the reference ride along, so a
-- search is matched inside the index and only matching rows are read.
CREATE INDEX requests_by_due_nulls_last
    ON requests ((due IS NULL), due, number, subject_name, subject_email, reference);

-- The same order within one status.
CREATE INDEX requests_by_status_due_nulls_last ON requests (status, (due IS NULL), due, number);

-- Open requests only (a few percent of a register that keeps its history):
-- the "open" list, the dashboard's overdue and due-soon figures.
CREATE INDEX requests_open_by_due ON requests ((due IS NULL), due, number)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
CREATE INDEX requests_open_due_dates ON requests (due)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');

-- The detail view finds a request by id or by its reference in any letter case
-- (`reference = ? COLLATE NOCASE`), which the UNIQUE (binary) index cannot serve.
CREATE INDEX requests_by_reference_nocase ON requests (reference COLLATE NOCASE);
