namespace CallImport.ImportRunner.Limits;

/// <summary>
/// How a declared window becomes the one the limiter keeps: a little longer, so a request that reaches the
/// vendor a few milliseconds later than its slot (timer or network jitter) still lands in the vendor's
/// window as planned (a busy machine wakes timers and threads late by tens of milliseconds).
/// Slack = max(10 ms, 1% of the window) on each side: one for a request that leaves late (its deadline), one
/// for network jitter between two requests a window apart. A saturated client then uses window ÷ (window +
/// 2 × slack) of the limit: 98% from 1-s windows up (it was 95.2% with 25 ms / 2%, the slack alone eating the margin).
/// </summary>
internal static class GroupWindowSettings
{
    public static TimeSpan Slack(TimeSpan window) => TimeSpan.FromTicks(Math.Max(ShortestSlack.Ticks, window.Ticks / 100));

    /// <summary>The slack of windows up to a second: a thread woken this late still sends in its slot.</summary>
    public static readonly TimeSpan ShortestSlack = TimeSpan.FromMilliseconds(10);

    public static TimeSpan Effective(TimeSpan window) => window + 2 * Slack(window);

    /// <summary>No timer shorter than this: a slot due sooner is taken at once (inside the slack).</summary>
    public static readonly TimeSpan ShortestTimer = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// How much later than its slot a process's first request in a group may reach the vendor (connecting,
    /// compiling the HTTP stack). That request also keeps an unused slot this much after its own.
    /// </summary>
    public static readonly TimeSpan ColdStart = TimeSpan.FromMilliseconds(300);

    /// <summary>Whether the slack alone cannot absorb a cold start in this window (short windows).</summary>
    public static bool NeedsColdStartHold(TimeSpan window) => ColdStart > 2 * Slack(window);
}
