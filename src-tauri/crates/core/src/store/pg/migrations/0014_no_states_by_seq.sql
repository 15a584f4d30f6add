-- SQLite's migration 31 (issue 21, item 6): `audit_states_by_seq` dropped; `audit verify`
-- sorts the sealed states it reads (`store::events::sealed_states`).
DROP INDEX audit_states_by_seq;
