-- Marking a call done rewrote its row and added an index entry for the new version: the partial index of pending
-- calls has `state` in its predicate, and a change to any column an index names (predicates included) rules out a
-- heap-only (HOT) update. The pass order is kept in an index that names no column a call's completion changes,
-- so completion is a HOT update (no index entry added), given room on the row's page: listed rows leave half of
-- each page free for their next version (each call is completed once; pages are pruned as they fill).
-- The pending query reads the import's rows in this index's order and checks the state on each.
-- Per-call statements still probe the primary key: this index binds only import_id of theirs.
DROP INDEX IF EXISTS import_calls_pending;
CREATE INDEX import_calls_in_order ON import_calls (import_id, attempts, listed_at, source_call_id);
ALTER TABLE import_calls SET (fillfactor = 50);
