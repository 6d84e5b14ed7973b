using CallImport.ImportRunner.Limits;
using CallImport.Store;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// Hands out what the run measured since the last report, once: each finished call carries the delta into the
/// store with its own commit (and the heartbeat carries the rest), so a run killed at any moment loses only
/// what its unfinished calls measured. Times are whole milliseconds, as the store keeps them.
/// </summary>
public sealed class RunStatisticsReporter(ImportCounters counters, RequestStatistics? requests)
{
    private readonly Lock _lock = new();
    private RunStatistics _reported = RunStatistics.Zero;

    /// <summary>What was measured since the last report, now counted as reported.</summary>
    public RunStatistics Take()
    {
        lock (_lock)
        {
            var now = Snapshot();
            var delta = now.Minus(_reported);
            _reported = now;
            return delta;
        }
    }

    /// <summary>A report that did not reach the store: it goes with the next one.</summary>
    public void GiveBack(RunStatistics delta)
    {
        if (delta.IsZero) return;
        lock (_lock) _reported = _reported.Minus(delta);
    }

    private RunStatistics Snapshot()
    {
        var (processing, attempts) = counters.Processing;
        return new RunStatistics(requests?.Requests ?? 0, requests?.Throttled ?? 0,
            WholeMilliseconds(requests?.RateLimitWait ?? TimeSpan.Zero), WholeMilliseconds(processing), attempts);
    }

    private static TimeSpan WholeMilliseconds(TimeSpan t) => TimeSpan.FromMilliseconds(Math.Floor(t.TotalMilliseconds));
}
