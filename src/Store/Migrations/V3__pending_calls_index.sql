-- Per-call updates must always use the primary key. The old index on (import_id, state, attempts) matched
-- `WHERE import_id = $1` as well as the key did, and with a cached generic plan PostgreSQL sometimes picked
-- it for the mark-done UPDATE, reading every row of the import per call. A partial index on pending calls
-- only serves the queries that ask for pending calls, in the order they are taken.
DROP INDEX IF EXISTS import_calls_open;
CREATE INDEX import_calls_pending ON import_calls (import_id, attempts, listed_at, source_call_id) WHERE state = 'pending';
