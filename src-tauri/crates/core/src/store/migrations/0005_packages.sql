-- Reserved: packages, imports, register exports (issue 6).
-- Filled in before the first release; an empty step keeps the numbering stable.
SELECT 1;
