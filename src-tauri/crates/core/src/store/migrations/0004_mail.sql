-- Reserved: SMTP settings, letters, outbox, reminders (issue 4).
-- Filled in before the first release; an empty step keeps the numbering stable.
SELECT 1;
