namespace CallImport.ImportRunner.Limits;

/// <summary>
/// How a limit group learns a vendor limit lower than declared from its throttles, in the spirit of TCP's
/// congestion control but tuned to waste little of the real limit and meet few refusals: a pure function of
/// what is known (<see cref="LearnedLimit"/>), the group, and what happened; no clock, no lock.
/// <list type="bullet">
/// <item>A refusal lowers the limit to just under what the vendor refused at: the requests we had sent in the
/// window before the refused one (never below a tenth of the declared limit: vendors also throttle at random),
/// not half of it. Refusals of requests sent before that lowering are the same episode: they only lower it further
/// when fewer got through than first counted (a burst's other refused requests, whose answers came later). A burst's
/// requests that come back answered raise it again to as many as got through (<see cref="Admitted"/>): they reach the
/// vendor in any order, so the first refusal back may have left before others the vendor counted first.</item>
/// <item>Then the group probes upward, rarely: one permit more after <see cref="FirstBackoffWindows"/> windows; a
/// probe that runs clean for <see cref="ProbeWindows"/> windows is kept and the next step doubles (back to the
/// declared limit quickly when the refusal was passing); a refused probe goes back to the stable limit and
/// doubles the wait before the next (up to <see cref="LongestBackoffWindows"/> windows). A vendor whose real
/// limit stays put costs one refusal per probe, ever more rarely.</item>
/// <item>After any throttle the group's slots are paced (spread over the window), so a refusal finds one
/// request in flight rather than a burst, and the waiters queued behind a Retry-After do not all go at once.</item>
/// </list>
/// </summary>
public static class ThrottleDecision
{
    /// <summary>Windows after a refusal before the first probe above the learned limit.</summary>
    public const int FirstBackoffWindows = 30;

    /// <summary>The longest wait between probes a vendor that keeps refusing them earns.</summary>
    public const int LongestBackoffWindows = FirstBackoffWindows * 64;

    /// <summary>Windows a probe must run clean before it is kept.</summary>
    public const int ProbeWindows = 3;

    /// <summary>The lowest limit throttles can teach: a tenth of the declared one.</summary>
    public static int Floor(LimitGroup group) => Math.Max(1, group.PermitLimit / 10);

    /// <summary>
    /// The vendor refused a request sent at <paramref name="sentAt"/>, when <paramref name="sentBefore"/> of our
    /// requests were in the window before it (<paramref name="window"/>: the group's effective window).
    /// </summary>
    public static LearnedLimit Throttled(LearnedLimit state, LimitGroup group, TimeSpan window, DateTimeOffset now, DateTimeOffset sentAt, int sentBefore)
    {
        var floor = Floor(group);
        // Sent before an earlier refusal lowered the limit (or at that very tick): the same episode. It only lowers the
        // limit further when it shows fewer got through: a burst's first refusal to come back may count as through
        // others of the burst whose refusals had not come back yet.
        if (sentAt <= state.Lowered)
        {
            var lower = Math.Max(floor, Math.Min(sentBefore, state.Limit));
            return lower == state.Limit ? state : state with { Limit = lower, Stable = Math.Min(state.Stable, lower) };
        }
        if (state.Probing)
        {
            // The probe was refused: back to what ran clean (lower if even less got through), and wait twice as long.
            var limit = Math.Clamp(sentBefore, floor, state.Stable);
            var backoff = Min(2 * state.Backoff, LongestBackoffWindows * window);
            return new LearnedLimit(limit, limit, 1, backoff, now + backoff, now, Paced: true);
        }
        else
        {
            // Just under where the vendor refused, and at least one less than the limit that was refused.
            var limit = Math.Clamp(sentBefore, floor, Math.Max(floor, state.Limit - 1));
            var backoff = FirstBackoffWindows * window;
            return new LearnedLimit(limit, limit, 1, backoff, now + backoff, now, Paced: true);
        }
    }

    /// <summary>
    /// After the first throttle, <paramref name="admitted"/> requests of the bursts sent in the window before it came back
    /// answered: the vendor let that many through, whatever the count before the refused request said (a burst reaches the
    /// vendor in any order). The limit rises to it, short of the declared limit the vendor refused at; never while a probe runs.
    /// </summary>
    public static LearnedLimit Admitted(LearnedLimit state, LimitGroup group, int admitted)
    {
        if (state.Probing) return state;
        var limit = Math.Min(admitted, group.PermitLimit - 1);
        return limit <= state.Limit ? state : state with { Limit = limit, Stable = limit };
    }

    /// <summary>Before a slot is given: keeps a probe that ran clean, and starts the next one when due.</summary>
    public static LearnedLimit BeforeSlot(LearnedLimit state, LimitGroup group, TimeSpan window, DateTimeOffset now)
    {
        if (now < state.NextProbe || state.Stable >= group.PermitLimit && !state.Probing) return state;
        // The probe ran clean: keep it, step further, and a refusal now is a new ceiling, not a stubborn one.
        if (state.Probing) state = state with { Stable = state.Limit, Step = state.Step * 2, Backoff = FirstBackoffWindows * window };
        if (state.Stable >= group.PermitLimit) return state with { Limit = group.PermitLimit, Stable = group.PermitLimit, Step = 1 };
        var probe = Math.Min(group.PermitLimit, state.Stable + state.Step);
        return state with { Limit = probe, NextProbe = now + ProbeWindows * window };
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
