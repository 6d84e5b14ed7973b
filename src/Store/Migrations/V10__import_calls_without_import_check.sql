-- The listing checked every listed call's import against `imports` (V1's foreign key): one lookup of the import's row
-- per call, locking it (FOR KEY SHARE) while every group commit of the same run updates that row (its statistics).
-- Measured on the 2,000 × 256 KiB pipeline bench: the check was about a third of the listing statement's time and
-- 4-8 µs of PostgreSQL CPU per call (README "Performance"). It guarded nothing the runner can do: calls are recorded
-- only for the import the run created or found first (EnsureImportAsync), and no part of CallImport deletes an import.
-- The engagement store's own key (transcription_requests → engagements) is a contract other services read, and stays.
ALTER TABLE import_calls DROP CONSTRAINT IF EXISTS import_calls_import_id_fkey;
