using CallImport.ImportRunner.Limits;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// How much of a limit a saturated client used: requests sent over whole windows' worth of requests against
/// what the limit allows in the time they took. Counting requests in clock-aligned windows would be off by up to
/// a burst per window (a sliding-window limiter sends a window's requests in bursts), so the time is measured
/// from request to request a whole number of windows' worth apart.
/// </summary>
public static class WindowUse
{
    /// <param name="Share">Used ÷ allowed (1 = the whole limit).</param>
    /// <param name="Windows">Whole windows' worth of requests measured (m).</param>
    /// <param name="Gaps">Steady only: the time each window's worth of requests took after the one before (its mean request to the next one's).</param>
    /// <param name="Means">Steady only: the mean time of each window's worth (Gaps[k] is from Means[k] to Means[k + 1]).</param>
    public sealed record Measure(double Share, int Windows, int Requests, TimeSpan Span, IReadOnlyList<TimeSpan>? Gaps = null, IReadOnlyList<DateTimeOffset>? Means = null)
    {
        /// <summary>Windows' worth that came later than <paramref name="expected"/> (+1 ms) after the one before, and the most late.</summary>
        public (int Count, TimeSpan Most) LateWindows(TimeSpan expected)
        {
            var late = (Gaps ?? []).Select(g => g - expected).Where(l => l > TimeSpan.FromMilliseconds(1)).ToList();
            return (late.Count, late.Count == 0 ? TimeSpan.Zero : late.Max());
        }
    }

    /// <summary>
    /// Steady state: from the first request a window after the first one (the start-up burst and any cold-start
    /// hold left out). The time m windows' worth took is measured from EVERY request of the first window's worth
    /// to the request m × limit later, and averaged (= the distance between the mean times of the first and the
    /// last window's worth): one slot left unused then costs what it costs, a limit-th of a window, not the
    /// whole gap between two bursts that happened to follow the one request a single span started from.
    /// Null: fewer than two windows' worth after the first window.
    /// </summary>
    public static Measure? Steady(IEnumerable<DateTimeOffset> times, LimitGroup group)
    {
        var ordered = times.Order().ToArray();
        if (ordered.Length == 0) return null;
        var first = Array.FindIndex(ordered, t => t >= ordered[0] + group.Window);
        if (first < 0) return null;
        var limit = group.PermitLimit;
        var windows = (ordered.Length - first) / limit - 1;
        if (windows < 1) return null;
        var means = Enumerable.Range(0, windows + 1).Select(k => MeanTicks(ordered, ordered[0], first + k * limit, limit)).ToArray();
        var span = TimeSpan.FromTicks((long)(means[windows] - means[0]));
        if (span <= TimeSpan.Zero) return null;
        var gaps = means.Zip(means.Skip(1), (a, b) => TimeSpan.FromTicks((long)(b - a))).ToList();
        return new Measure(windows * group.Window / span, windows, windows * limit, span, gaps, [.. means.Select(m => ordered[0] + TimeSpan.FromTicks((long)m))]);
    }

    /// <summary>The whole run from its first request (what learning an undeclared limit cost is part of it).</summary>
    public static Measure? WholeRun(IEnumerable<DateTimeOffset> times, LimitGroup group)
    {
        var ordered = times.Order().ToArray();
        if (ordered.Length == 0) return null;
        var windows = (ordered.Length - 1) / group.PermitLimit;
        if (windows < 1) return null;
        var span = ordered[windows * group.PermitLimit] - ordered[0];
        if (span <= TimeSpan.Zero) return null;
        return new Measure(windows * group.Window / span, windows, windows * group.PermitLimit, span);
    }

    /// <summary>The mean time of <paramref name="count"/> requests, in ticks after <paramref name="origin"/> (small enough to stay exact in a double).</summary>
    private static double MeanTicks(DateTimeOffset[] ordered, DateTimeOffset origin, int from, int count)
    {
        double sum = 0;
        for (var i = from; i < from + count; i++) sum += (ordered[i] - origin).Ticks;
        return sum / count;
    }
}
