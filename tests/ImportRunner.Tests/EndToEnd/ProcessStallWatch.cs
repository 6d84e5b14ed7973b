using System.Diagnostics;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// Notes how late this process got to run work (a busy machine, a thread pool busy with other tests): a fake
/// in this process stamps a request when a pool thread gets to it, so requests that arrived apart can be
/// stamped together. Every few milliseconds a thread of its own queues a work item and records how long the
/// pool took to start it (and its own oversleep, for stalls of the whole process).
/// </summary>
internal sealed class ProcessStallWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);
    private readonly TimeSpan _threshold;
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private volatile bool _stopping;
    private TimeSpan _longest;
    private int _count;

    public ProcessStallWatch(TimeSpan threshold)
    {
        _threshold = threshold;
        _thread = new Thread(() =>
        {
            var last = Stopwatch.GetTimestamp();
            while (!_stopping)
            {
                var queued = Stopwatch.GetTimestamp();
                ThreadPool.UnsafeQueueUserWorkItem(_ => Note(Stopwatch.GetElapsedTime(queued)), null);
                Thread.Sleep(Tick);
                var now = Stopwatch.GetTimestamp();
                Note(Stopwatch.GetElapsedTime(last, now) - Tick);
                last = now;
            }
        }) { IsBackground = true, Name = "stall-watch", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>The longest delay seen before this process ran something due.</summary>
    public TimeSpan Longest { get { lock (_lock) return _longest; } }

    public override string ToString()
    {
        lock (_lock) return $"{_count} delays over {_threshold.TotalMilliseconds:0} ms, the longest {_longest.TotalMilliseconds:0} ms";
    }

    private void Note(TimeSpan delay)
    {
        if (delay <= _threshold) return;
        lock (_lock)
        {
            _count++;
            if (delay > _longest) _longest = delay;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }
}
