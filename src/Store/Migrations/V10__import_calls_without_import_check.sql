-- The listing checked every listed call's import against `imports` (V1's foreign key): per listed call, one lookup of
-- the import's row and a row lock on it (FOR KEY SHARE). Measured on the 2,000 × 256 KiB pipeline (README "Performance"):
-- a third of the listing statement's time, ~5 µs of PostgreSQL CPU per call (0.160 against 0.171 s a run, 11
-- interleaved runs each), about 1% of a call's CPU on a machine PostgreSQL shares with the runner. It guarded nothing
-- the runner can do: calls are recorded only for the import the run created or found first (EnsureImportAsync), and no
-- part of CallImport deletes an import. The engagement store's own key (transcription_requests → engagements) is a
-- contract other services read, and stays.
ALTER TABLE import_calls DROP CONSTRAINT IF EXISTS import_calls_import_id_fkey;
