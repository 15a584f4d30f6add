-- Indexes that keep the list, the detail view and the dashboard fast at
-- 100,000 requests (issue 8; measured by scripts/bench.sh, query plans with
-- `bench-core --explain`).

-- The list's order (`store::requests::list`): open requests first, undated ones
-- after dated ones, then by due date — an index on those very expressions walks
-- the first page instead of sorting the whole table. The subject's name and
-- email and the reference ride along, so a search is matched inside the index
-- and only matching rows are read. Keep the expressions identical to the
-- ORDER BY, or SQLite cannot use the index for it.
CREATE INDEX requests_by_list_order ON requests (
    (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number,
    subject_name, subject_email, reference
);

-- The same order within one status.
CREATE INDEX requests_by_status_list_order ON requests (
    status, (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number
);

-- Open requests only (a few percent of a register that keeps its history):
-- the "open" list, and the dashboard's overdue and due-soon figures.
CREATE INDEX requests_open_by_list_order ON requests (
    (status IN ('completed', 'refused', 'withdrawn', 'duplicate')), (due IS NULL), due, number
) WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');
CREATE INDEX requests_open_by_due ON requests (due)
    WHERE status NOT IN ('completed', 'refused', 'withdrawn', 'duplicate');

-- The detail view finds a request by id or by its reference in any letter case
-- (`reference = ? COLLATE NOCASE`), which the UNIQUE (binary) index cannot serve.
CREATE INDEX requests_by_reference_nocase ON requests (reference COLLATE NOCASE);
