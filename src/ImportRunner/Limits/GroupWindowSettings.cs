namespace CallImport.ImportRunner.Limits;

/// <summary>
/// How a declared window becomes the one the limiter keeps: a little longer, so a request that reaches the
/// vendor a few milliseconds later than its slot (timer or network jitter) still lands in the vendor's
/// window as planned. Slack = max(2 ms, 1% of the window) on each side: utilisation ≈ 98%.
/// </summary>
internal static class GroupWindowSettings
{
    public static TimeSpan Slack(TimeSpan window) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(2).Ticks, window.Ticks / 100));

    public static TimeSpan Effective(TimeSpan window) => window + 2 * Slack(window);

    /// <summary>No timer shorter than this: a slot due sooner is taken at once (inside the slack).</summary>
    public static readonly TimeSpan ShortestTimer = TimeSpan.FromMilliseconds(1);

    /// <summary>Clean windows after a throttle before the learned limit is raised by one permit.</summary>
    public const int CleanWindowsBeforeRaise = 10;
}
