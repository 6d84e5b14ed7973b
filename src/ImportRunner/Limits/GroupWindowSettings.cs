namespace CallImport.ImportRunner.Limits;

/// <summary>
/// How a declared window becomes the one the limiter keeps: a little longer, so a request that reaches the
/// vendor a few milliseconds later than its slot (timer or network jitter) still lands in the vendor's
/// window as planned (a busy machine wakes timers and threads late by tens of milliseconds).
/// Slack = max(25 ms, 2% of the window) on each side: utilisation ≥ 95%.
/// </summary>
internal static class GroupWindowSettings
{
    public static TimeSpan Slack(TimeSpan window) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(25).Ticks, window.Ticks / 50));

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

    /// <summary>Clean windows after a throttle before the learned limit is raised by one permit.</summary>
    public const int CleanWindowsBeforeRaise = 10;
}
