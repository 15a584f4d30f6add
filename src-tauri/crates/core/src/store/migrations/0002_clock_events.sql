-- Reserved: the deadline engine's clock events and schedule history (issue 3).
-- Filled in before the first release; an empty step keeps the numbering stable.
SELECT 1;
