using System.Diagnostics;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// Notes when this process stopped running (a busy machine, a pause): a fake in this process stamps a request
/// when it gets to run, so requests sent apart during a stall are stamped together. A thread of its own ticks
/// every few milliseconds; a gap much longer than that is a stall.
/// </summary>
internal sealed class ProcessStallWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private readonly List<(DateTimeOffset At, TimeSpan Length)> _stalls = [];
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ProcessStallWatch(TimeSpan? threshold = null)
    {
        var limit = threshold ?? TimeSpan.FromMilliseconds(50);
        _thread = new Thread(() =>
        {
            var last = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                Thread.Sleep(Tick);
                var now = Stopwatch.GetTimestamp();
                var gap = Stopwatch.GetElapsedTime(last, now);
                if (gap > limit) lock (_stalls) _stalls.Add((DateTimeOffset.UtcNow, gap));
                last = now;
            }
        }) { IsBackground = true, Name = "stall-watch", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Each stall: when it ended and how long it lasted.</summary>
    public IReadOnlyList<(DateTimeOffset At, TimeSpan Length)> Stalls { get { lock (_stalls) return [.. _stalls]; } }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }
}
