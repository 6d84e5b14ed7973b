-- After a 429 a process lowers its limit to what the vendor let through in the window before the refused request.
-- With a shared budget it counted every other process's slot as a request let through (V7), but processes reserve
-- slots they never use: a cold start's spare, slots answered or woken too late for (a stalled process), slots whose
-- request reached its connection too late, or whose call ended or run stopped first. Counted as sent, the limit learned
-- came out above the vendor's, and the processes met more 429s. Now each process reports its unused slots with its next
-- batch (no round trip of their own while it keeps asking), the budget records its spares itself, and every answer
-- carries the credential's unused slots, so a refusal counts only the slots that were really sent.
--
-- slot_seq: slots reserved so far by reserve_rate_slots_reported (each slot's number, in reservation order: a slot with
-- a lower number was counted in the "before" of one with a higher, also at the same time). unused_us / unused_seq: the
-- unused slots reported (time on the database clock, number), kept for two windows (a refusal answers a slot up to a
-- window old, whose own window reaches a window further back).
ALTER TABLE platform_rate_windows
    ADD COLUMN slot_seq   bigint   NOT NULL DEFAULT 0,
    ADD COLUMN unused_us  bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN unused_seq bigint[] NOT NULL DEFAULT '{}';

-- As V7's reserve_rate_slots_counted (V5's rule: the exact sliding window, quiet time, the cold start's spare, pacing),
-- plus: p_unused_us / p_unused_seq, the caller's slots left unused since its last call (recorded); each slot comes with its
-- number; and the answer ends with the credential's unused slots of the last two windows, the spare of this batch included.
-- Returns [now, n, slot1, before1, seq1, …, slotn, beforen, seqn, unused1_us, unused1_seq, …]: before = the credential's
-- slots (spares included) reserved before it in its window. Older runners' functions (V5, V6, V7) stay as they were:
-- their slots get no number and are never reported unused (counted as sent, as before).
CREATE FUNCTION reserve_rate_slots_reported(p_platform text, p_credential text, p_group text, p_limit int,
                                            p_window_us bigint, p_count int, p_quiet_for_us bigint, p_hold_first_us bigint,
                                            p_paced_for_us bigint, p_unused_us bigint[], p_unused_seq bigint[])
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    now_us      bigint;
    times       bigint[];
    counts      int[];
    held_times  bigint[];
    held_counts int[];
    quiet       bigint;
    paced_lim   int;
    paced_until bigint;
    seq0        bigint;
    old_us      bigint[];
    old_seq     bigint[];
    kept_us     bigint[] := '{}';
    kept_seq    bigint[] := '{}';
    lim         int := p_limit;
    spacing     bigint := 0;
    total       bigint;
    batch       bigint[] := '{}';
    reserved    int;
    spare       int := 0;
    result      bigint[];
    slot        bigint;
    not_before  bigint := 0;
    first_slot  bigint;
    excess      bigint;
    head        int := 1;
    n           int;
BEGIN
    INSERT INTO platform_rate_windows (platform, credential, limit_group) VALUES (p_platform, p_credential, p_group)
    ON CONFLICT DO NOTHING;
    SELECT w.slot_us, w.slot_count, w.quiet_until_us, w.paced_limit, w.paced_until_us, w.slot_seq, w.unused_us, w.unused_seq
    INTO times, counts, quiet, paced_lim, paced_until, seq0, old_us, old_seq
    FROM platform_rate_windows w
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group
    FOR UPDATE;
    held_times := times;
    held_counts := counts;
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
    total := coalesce((SELECT sum(c) FROM unnest(counts) AS c), 0);
    reserved := p_count + CASE WHEN p_hold_first_us > 0 AND p_count > 0 THEN 1 ELSE 0 END;
    IF p_hold_first_us > 0 AND p_count > 0 THEN spare := 2; END IF;
    FOR i IN 1..reserved LOOP
        not_before := CASE WHEN i = spare THEN first_slot + p_hold_first_us ELSE 0 END;
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
        batch := batch || slot;
    END LOOP;
    -- The unused slots still within two windows, the caller's reports, and this batch's spare (never sent by design).
    FOR j IN 1..coalesce(array_length(old_us, 1), 0) LOOP
        IF old_us[j] > now_us - 2 * p_window_us THEN kept_us := kept_us || old_us[j]; kept_seq := kept_seq || old_seq[j]; END IF;
    END LOOP;
    FOR j IN 1..least(coalesce(array_length(p_unused_us, 1), 0), coalesce(array_length(p_unused_seq, 1), 0)) LOOP
        IF p_unused_us[j] > now_us - 2 * p_window_us THEN kept_us := kept_us || p_unused_us[j]; kept_seq := kept_seq || p_unused_seq[j]; END IF;
    END LOOP;
    IF spare > 0 THEN kept_us := kept_us || batch[spare]; kept_seq := kept_seq || (seq0 + spare); END IF;
    UPDATE platform_rate_windows w
    SET slot_us = coalesce(times[head:n], '{}'), slot_count = coalesce(counts[head:n], '{}'), quiet_until_us = quiet,
        paced_limit = paced_lim, paced_until_us = paced_until, slot_seq = seq0 + reserved,
        unused_us = kept_us, unused_seq = kept_seq
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group;
    result := ARRAY[0::bigint, (reserved - CASE WHEN spare > 0 THEN 1 ELSE 0 END)::bigint];
    FOR k IN 1..reserved LOOP
        CONTINUE WHEN k = spare;
        slot := batch[k];
        result := result || slot
            || (coalesce((SELECT sum(c) FROM unnest(held_times, held_counts) AS h(t, c) WHERE h.t > slot - p_window_us AND h.t <= slot), 0)
                + (SELECT count(*) FROM unnest(batch[1:k - 1]) AS b(t) WHERE b.t > slot - p_window_us))::bigint
            || (seq0 + k);
    END LOOP;
    FOR j IN 1..coalesce(array_length(kept_us, 1), 0) LOOP
        result := result || kept_us[j] || kept_seq[j];
    END LOOP;
    -- The waits are counted from this moment, just before the answer leaves: its caller sets out from
    -- when it arrives, so a slot is never early by the time this call took.
    result[1] := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
    RETURN result;
END
$$;
