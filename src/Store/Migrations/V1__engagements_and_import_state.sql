-- The engagement store (a contract other services read) and the importer's own state.
-- Forward-only: never edit a released migration; add V2__… instead.

CREATE TABLE engagements (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id      text        NOT NULL,
    import_source    text        NOT NULL,
    source_call_id   text        NOT NULL,
    title            text,
    started_at       timestamptz,
    duration_seconds integer,
    participants     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    media_uri        text,
    transcript       jsonb,
    import_batch_id  text        NOT NULL,
    imported_at      timestamptz NOT NULL DEFAULT now(),
    metadata_quality text        NOT NULL CHECK (metadata_quality IN ('full', 'partial', 'minimal')),
    CONSTRAINT engagements_source_call_key UNIQUE (customer_id, import_source, source_call_id)
);

-- Consumed by the transcription pipeline: one request per engagement that came without a transcript.
CREATE TABLE transcription_requests (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    engagement_id uuid        NOT NULL UNIQUE REFERENCES engagements (id),
    customer_id   text        NOT NULL,
    media_uri     text,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    status        text        NOT NULL DEFAULT 'queued'
);

-- One row per import (an ImportJob's UID, or the id of a command-line import).
CREATE TABLE imports (
    import_id             text PRIMARY KEY,
    customer_id           text        NOT NULL,
    platform              text        NOT NULL,
    date_from             timestamptz NOT NULL,
    date_to               timestamptz NOT NULL,
    listing_complete      boolean     NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    run_id                text,
    run_started_at        timestamptz,
    heartbeat_at          timestamptz,
    -- Why the import cannot go on until a person acts: credentials refused, or settings the platform rejects.
    start_error_kind      text CHECK (start_error_kind IN ('credentials', 'settings')),
    start_error           text,
    quota_exhausted_until timestamptz
);

-- Per-call state: pending → done, or failed with its reason and whether a retry may help.
CREATE TABLE import_calls (
    import_id        text        NOT NULL REFERENCES imports (import_id),
    source_call_id   text        NOT NULL,
    state            text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    outcome          text        CHECK (outcome IN ('imported', 'skipped')),
    attempts         integer     NOT NULL DEFAULT 0,
    retryable        boolean,
    last_error       text,
    metadata_quality text,
    started_at       timestamptz,
    listing_payload  text,
    listed_at        timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (import_id, source_call_id)
);
CREATE INDEX import_calls_open ON import_calls (import_id, state, attempts);

-- Requests made per platform credential per UTC day, so a day's quota holds across runs and pods.
CREATE TABLE platform_daily_requests (
    platform   text   NOT NULL,
    credential text   NOT NULL,
    day        date   NOT NULL,
    requests   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, credential, day)
);
