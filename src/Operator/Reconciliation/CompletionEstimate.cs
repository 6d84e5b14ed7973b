using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;

namespace CallImport.Operator.Reconciliation;

/// <summary>
/// When the import should end: the pending calls at the rate seen so far (calls done over the time runs have
/// run), laid over the coming windows so that nights off are counted.
/// </summary>
internal static class CompletionEstimate
{
    private const int MaxWindows = 400;

    public static DateTimeOffset? Estimate(ImportProgress? progress, IReadOnlyList<RunRecord> runs, ScheduleWindowTimes window, DateTimeOffset now)
    {
        if (progress is not { ListingComplete: true, Pending: > 0 })
            return null;
        var done = progress.Processed + progress.Failed;
        var worked = runs.Where(r => r.StartedAt is not null)
            .Aggregate(TimeSpan.Zero, (sum, r) => sum + Max((r.FinishedAt ?? now) - r.StartedAt!.Value, TimeSpan.Zero));
        if (done == 0 || worked <= TimeSpan.Zero)
            return null;

        var remaining = TimeSpan.FromSeconds(Math.Ceiling(worked.TotalSeconds * progress.Pending / done));
        var at = now;
        for (var i = 0; i < MaxWindows; i++)
        {
            var state = window.Evaluate(at);
            if (!state.IsOpen)
            {
                at = state.NextWindowStart!.Value;
                continue;
            }
            if (state.CurrentWindowEnd is not { } end || end - at >= remaining)
                return TruncateToSeconds(at + remaining);
            remaining -= end - at;
            at = end;
        }
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);
}
