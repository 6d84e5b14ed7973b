-- After a throttle a limit group lowers its limit to what got through and spreads its slots evenly over the
-- window (a refusal then finds one request in flight, not a burst). With a budget shared by several processes
-- both belong to the credential, not to the process that met the refusal: that process records them here with
-- each batch it asks for, and every process sharing the credential paces at that limit while the record is
-- fresh (p_paced_for_us from its last batch: it lapses once no throttled process renews it).
ALTER TABLE platform_rate_windows
    ADD COLUMN paced_limit    int    NOT NULL DEFAULT 0,
    ADD COLUMN paced_until_us bigint NOT NULL DEFAULT 0;

DROP FUNCTION reserve_rate_slots(text, text, text, int, bigint, int, bigint, bigint);

-- As V4's, plus p_paced_for_us > 0: the caller is paced at p_limit (it met a throttle), and so is everyone for that
-- long. While paced, the limit is the lowest of the caller's and the recorded one, and each slot comes at least
-- window ÷ limit after the one before it (whoever holds that one).
CREATE FUNCTION reserve_rate_slots(p_platform text, p_credential text, p_group text, p_limit int,
                                   p_window_us bigint, p_count int, p_quiet_for_us bigint, p_hold_first_us bigint,
                                   p_paced_for_us bigint)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    now_us bigint;
    times  bigint[];
    counts int[];
    quiet  bigint;
    paced_lim int;
    paced_until bigint;
    lim    int := p_limit;
    spacing bigint := 0;
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
    SELECT w.slot_us, w.slot_count, w.quiet_until_us, w.paced_limit, w.paced_until_us INTO times, counts, quiet, paced_lim, paced_until
    FROM platform_rate_windows w
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group
    FOR UPDATE;
    -- "Now" once the row is ours: a slot granted at once must not be dated before a wait for the lock.
    now_us := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    IF p_quiet_for_us > 0 THEN quiet := greatest(quiet, now_us + p_quiet_for_us); END IF;
    IF p_paced_for_us > 0 THEN
        paced_lim := p_limit; paced_until := greatest(paced_until, now_us + p_paced_for_us);
    END IF;
    IF paced_until > now_us AND paced_lim > 0 THEN
        lim := least(p_limit, paced_lim);
        spacing := p_window_us / lim;
    END IF;
    n := coalesce(array_length(times, 1), 0);
    result := ARRAY[0::bigint];
    total := coalesce((SELECT sum(c) FROM unnest(counts) AS c), 0);
    FOR i IN 1..(p_count + CASE WHEN p_hold_first_us > 0 AND p_count > 0 THEN 1 ELSE 0 END) LOOP
        not_before := CASE WHEN i = 2 AND p_hold_first_us > 0 THEN first_slot + p_hold_first_us ELSE 0 END;
        -- Forget slots older than a window, and all but the last lim: neither decides a later slot.
        WHILE head <= n LOOP
            IF times[head] + p_window_us <= now_us THEN
                total := total - counts[head]; head := head + 1; CONTINUE;
            END IF;
            excess := total - lim;
            EXIT WHEN excess <= 0;
            IF excess >= counts[head] THEN
                total := total - counts[head]; head := head + 1; CONTINUE;
            END IF;
            counts[head] := counts[head] - excess::int; total := total - excess;
            EXIT;
        END LOOP;
        slot := greatest(now_us, quiet, not_before);
        IF head <= n THEN
            slot := greatest(slot, times[n] + spacing);
            IF total >= lim THEN slot := greatest(slot, times[head] + p_window_us); END IF;
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
    SET slot_us = coalesce(times[head:n], '{}'), slot_count = coalesce(counts[head:n], '{}'), quiet_until_us = quiet,
        paced_limit = paced_lim, paced_until_us = paced_until
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group;
    -- The waits are counted from this moment, just before the answer leaves: its caller sets out from
    -- when it arrives, so a slot is never early by the time this call took.
    result[1] := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    RETURN result;
END
$$;
