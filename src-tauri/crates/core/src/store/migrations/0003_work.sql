-- Reserved: data map, tasks, identity verification, evidence files (issue 5).
-- Filled in before the first release; an empty step keeps the numbering stable.
SELECT 1;
