-- One request budget per vendor credential across processes: each limit group's sliding window of
-- reserved request slots (runs of equal times, microseconds on the database clock, oldest first, only
-- the last `limit` slots kept) and the quiet time a throttle signal imposed on the whole group.
CREATE TABLE platform_rate_windows (
    platform        text     NOT NULL,
    credential      text     NOT NULL,
    limit_group     text     NOT NULL,
    slot_us         bigint[] NOT NULL DEFAULT '{}',
    slot_count      int[]    NOT NULL DEFAULT '{}',
    quiet_until_us  bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, credential, limit_group)
);

-- Reserves p_count slots: each at the earliest time >= now (and >= the group's quiet time) that keeps at
-- most p_limit slots in any p_window_us. Returns the database's now (at the end) followed by each slot, in microseconds
-- since the epoch on the database clock. One round trip
-- per batch; the row lock serialises the processes sharing the credential. p_hold_first_us > 0: the first
-- slot's request may reach the vendor that much later (a process's first request: connecting, compiling),
-- so one more slot is kept, unused, at its latest arrival: any window holding the request holds one of the two.
CREATE FUNCTION reserve_rate_slots(p_platform text, p_credential text, p_group text, p_limit int,
                                   p_window_us bigint, p_count int, p_quiet_for_us bigint, p_hold_first_us bigint)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    now_us bigint;
    times  bigint[];
    counts int[];
    quiet  bigint;
    total  bigint;
    result bigint[];
    slot   bigint;
    not_before bigint := 0;
    first_slot bigint;
    excess bigint;
    head   int := 1;
    n      int;
BEGIN
    INSERT INTO platform_rate_windows (platform, credential, limit_group) VALUES (p_platform, p_credential, p_group)
    ON CONFLICT DO NOTHING;
    SELECT w.slot_us, w.slot_count, w.quiet_until_us INTO times, counts, quiet
    FROM platform_rate_windows w
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group
    FOR UPDATE;
    -- "Now" once the row is ours: a slot granted at once must not be dated before a wait for the lock.
    now_us := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    IF p_quiet_for_us > 0 THEN quiet := greatest(quiet, now_us + p_quiet_for_us); END IF;
    n := coalesce(array_length(times, 1), 0);
    result := ARRAY[0::bigint];
    total := coalesce((SELECT sum(c) FROM unnest(counts) AS c), 0);
    FOR i IN 1..(p_count + CASE WHEN p_hold_first_us > 0 AND p_count > 0 THEN 1 ELSE 0 END) LOOP
        not_before := CASE WHEN i = 2 AND p_hold_first_us > 0 THEN first_slot + p_hold_first_us ELSE 0 END;
        -- Forget slots older than a window, and all but the last p_limit: neither decides a later slot.
        WHILE head <= n LOOP
            IF times[head] + p_window_us <= now_us THEN
                total := total - counts[head]; head := head + 1; CONTINUE;
            END IF;
            excess := total - p_limit;
            EXIT WHEN excess <= 0;
            IF excess >= counts[head] THEN
                total := total - counts[head]; head := head + 1; CONTINUE;
            END IF;
            counts[head] := counts[head] - excess::int; total := total - excess;
            EXIT;
        END LOOP;
        slot := greatest(now_us, quiet, not_before);
        IF head <= n THEN
            slot := greatest(slot, times[n]);
            IF total >= p_limit THEN slot := greatest(slot, times[head] + p_window_us); END IF;
        END IF;
        IF head <= n AND times[n] = slot THEN
            counts[n] := counts[n] + 1;
        ELSE
            n := n + 1; times[n] := slot; counts[n] := 1;
        END IF;
        total := total + 1;
        IF i = 1 THEN first_slot := slot; END IF;
        IF NOT (i = 2 AND p_hold_first_us > 0) THEN result := result || slot; END IF;
    END LOOP;
    UPDATE platform_rate_windows w
    SET slot_us = coalesce(times[head:n], '{}'), slot_count = coalesce(counts[head:n], '{}'), quiet_until_us = quiet
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group;
    -- The waits are counted from this moment, just before the answer leaves: its caller sets out from
    -- when it arrives, so a slot is never early by the time this call took.
    result[1] := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    RETURN result;
END
$$;

-- A call the vendor has not finished (recording or transcript still processing) is tried again later
-- without spending its attempts; this counts those answers so it cannot stay pending for ever.
ALTER TABLE import_calls ADD COLUMN not_ready_answers int NOT NULL DEFAULT 0;
