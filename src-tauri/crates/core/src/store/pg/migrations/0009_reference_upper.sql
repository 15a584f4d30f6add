-- SQLite's migration 26 (issue 21, item 6): a reference in any letter case is looked up as
-- `reference = upper(?)` (references are written in upper case), which the UNIQUE index on
-- `reference` serves; the index on `lower(reference)` is no longer read.
DROP INDEX requests_by_reference_nocase;
