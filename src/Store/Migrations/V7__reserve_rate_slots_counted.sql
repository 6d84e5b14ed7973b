-- After a throttle a process lowers its limit to what the vendor let through before refusing: the requests in the
-- window before the refused one. With a shared budget most of those may be other processes' requests, which it
-- never saw: counting only its own, a process sharing a credential learned a limit far too low (1 where the vendor
-- allowed 4), and recorded it for every process on the credential to pace at (V5). This answers V5's call with, for
-- each slot, how many slots of the credential came before it in its window (as the budget held them then), so the
-- process can count them all.
-- Returns the database's now, then each slot followed by that count: [now, slot1, before1, slot2, before2, …].
CREATE FUNCTION reserve_rate_slots_counted(p_platform text, p_credential text, p_group text, p_limit int,
                                           p_window_us bigint, p_count int, p_quiet_for_us bigint, p_hold_first_us bigint,
                                           p_paced_for_us bigint)
RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
    held_times  bigint[];
    held_counts int[];
    answer      bigint[];
    result      bigint[];
    slot        bigint;
    before      bigint;
BEGIN
    INSERT INTO platform_rate_windows (platform, credential, limit_group) VALUES (p_platform, p_credential, p_group)
    ON CONFLICT DO NOTHING;
    -- The slots as they were before this batch, under the row lock reserve_rate_slots takes again (same transaction).
    SELECT w.slot_us, w.slot_count INTO held_times, held_counts
    FROM platform_rate_windows w
    WHERE w.platform = p_platform AND w.credential = p_credential AND w.limit_group = p_group
    FOR UPDATE;
    answer := reserve_rate_slots(p_platform, p_credential, p_group, p_limit, p_window_us, p_count, p_quiet_for_us,
                                 p_hold_first_us, p_paced_for_us);
    result := ARRAY[answer[1]];
    FOR i IN 2..coalesce(array_length(answer, 1), 1) LOOP
        slot := answer[i];
        before := coalesce((SELECT sum(c) FROM unnest(held_times, held_counts) AS h(t, c) WHERE h.t > slot - p_window_us AND h.t <= slot), 0)
                + (SELECT count(*) FROM unnest(answer[2:i - 1]) AS b(t) WHERE b.t > slot - p_window_us);
        result := result || slot || before;
    END LOOP;
    RETURN result;
END
$$;
