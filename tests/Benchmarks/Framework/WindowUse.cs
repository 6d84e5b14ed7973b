using CallImport.ImportRunner.Limits;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// How much of a limit a saturated client used: requests sent over whole windows' worth of requests against
/// what the limit allows in the time they took. The span runs from one request to the request exactly
/// m × limit later, so a bursty pattern (a whole window's requests at once, as a sliding-window limiter sends
/// them) is measured exactly; counting requests in clock-aligned windows would be off by up to a burst per window.
/// </summary>
public static class WindowUse
{
    /// <param name="Share">Used ÷ allowed (1 = the whole limit).</param>
    /// <param name="Windows">Whole windows' worth of requests measured (m).</param>
    public sealed record Measure(double Share, int Windows, int Requests, TimeSpan Span);

    /// <summary>
    /// Steady state: from the first request a window after the first one (the start-up burst and any cold-start
    /// hold left out), over as many whole windows' worth of requests as were sent. Null: fewer than one window's worth.
    /// </summary>
    public static Measure? Steady(IEnumerable<DateTimeOffset> times, LimitGroup group) => Measure_(times, group, skipFirstWindow: true);

    /// <summary>The whole run from its first request (what learning an undeclared limit cost is part of it).</summary>
    public static Measure? WholeRun(IEnumerable<DateTimeOffset> times, LimitGroup group) => Measure_(times, group, skipFirstWindow: false);

    private static Measure? Measure_(IEnumerable<DateTimeOffset> times, LimitGroup group, bool skipFirstWindow)
    {
        var ordered = times.Order().ToArray();
        if (ordered.Length == 0) return null;
        var first = skipFirstWindow ? Array.FindIndex(ordered, t => t >= ordered[0] + group.Window) : 0;
        if (first < 0) return null;
        var windows = (ordered.Length - 1 - first) / group.PermitLimit;
        if (windows < 1) return null;
        var span = ordered[first + windows * group.PermitLimit] - ordered[first];
        if (span <= TimeSpan.Zero) return null;
        return new Measure(windows * group.Window / span, windows, windows * group.PermitLimit, span);
    }
}
