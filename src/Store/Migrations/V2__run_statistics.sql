-- What the runners' HTTP pipelines and processor measured, summed over an import's runs, so the operator
-- can publish rate-limit waits and call processing time (runner pods live too briefly to be scraped).
ALTER TABLE imports
    ADD COLUMN requests            bigint NOT NULL DEFAULT 0,
    ADD COLUMN throttled_requests  bigint NOT NULL DEFAULT 0,
    ADD COLUMN rate_limit_wait_ms  bigint NOT NULL DEFAULT 0,
    ADD COLUMN processing_ms       bigint NOT NULL DEFAULT 0,
    ADD COLUMN processed_attempts  bigint NOT NULL DEFAULT 0;
