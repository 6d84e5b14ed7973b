-- Runners of the version before V5 may still be running while an upgrade migrates the database (their schema
-- check accepts a newer schema): they call reserve_rate_slots with V4's eight arguments, which V5 replaced.
-- Answered as before: such a caller never asks paced, and still honours the pacing others recorded.
CREATE FUNCTION reserve_rate_slots(p_platform text, p_credential text, p_group text, p_limit int,
                                   p_window_us bigint, p_count int, p_quiet_for_us bigint, p_hold_first_us bigint)
RETURNS bigint[] LANGUAGE sql AS $$
    SELECT reserve_rate_slots(p_platform, p_credential, p_group, p_limit, p_window_us, p_count, p_quiet_for_us, p_hold_first_us, 0::bigint)
$$;
