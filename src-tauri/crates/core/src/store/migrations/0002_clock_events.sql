-- The deadline engine's outputs kept queryable: the internal target beside the
-- legal due date (dashboards, reminders). Clock events live in the timeline
-- (events.kind = 'clock', data = {"event": <ClockEvent>}), so they are audited
-- with everything else; the full schedule and its rule-set version stay in
-- requests.schedule / requests.rule_set, and each recomputation that changed a
-- date is a 'dates-recomputed' timeline event.
ALTER TABLE requests ADD COLUMN target TEXT;
CREATE INDEX requests_by_target ON requests (target, number);
CREATE INDEX events_by_request_kind ON events (request_id, kind, seq);
