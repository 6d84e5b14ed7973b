namespace CallImport.Benchmarks.Framework;

/// <summary>
/// The system clock, noting how late each timer made through it fires: a limiter's waiter is woken by such a timer,
/// and one fired more than the slack late loses its slot inside the limiter (only counted there, not timed). Timing
/// the callback itself tells when that happened and by how much, to set beside the process's stalls then.
/// </summary>
public sealed class TimerLateness(TimeProvider inner) : TimeProvider
{
    private readonly List<(DateTimeOffset Due, TimeSpan Late)> _late = [];
    private long _fired;

    /// <summary>Timers fired (callbacks run) so far.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>The timers that fired at least <paramref name="late"/> after they were due: when due, and how late.</summary>
    public IReadOnlyList<(DateTimeOffset Due, TimeSpan Late)> Over(TimeSpan late)
    {
        lock (_late) return [.. _late.Where(l => l.Late >= late)];
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override long GetTimestamp() => inner.GetTimestamp();
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Noted(this, callback);
        timer.Start(inner, state, dueTime, period);
        return timer;
    }

    private void Note(DateTimeOffset due)
    {
        Interlocked.Increment(ref _fired);
        var late = inner.GetUtcNow() - due;
        // Kept from a millisecond: the rest is the timer's ordinary resolution, and keeping it would grow with the rate.
        if (late >= TimeSpan.FromMilliseconds(1)) lock (_late) if (_late.Count < 100_000) _late.Add((due, late));
    }

    /// <summary>One timer: its due time follows every Change (one-shot timers, as Task.Delay makes, are what is timed).</summary>
    private sealed class Noted(TimerLateness owner, TimerCallback callback) : ITimer
    {
        private ITimer? _timer;
        private DateTimeOffset _due;
        private TimeSpan _period;

        public void Start(TimeProvider inner, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_due, _period) = (inner.GetUtcNow() + dueTime, period);
            _timer = inner.CreateTimer(s =>
            {
                owner.Note(_due);
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) _due += _period;
                callback(s);
            }, state, dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            (_due, _period) = (owner.GetUtcNow() + dueTime, period);
            return _timer!.Change(dueTime, period);
        }

        public void Dispose() => _timer?.Dispose();
        public ValueTask DisposeAsync() => _timer?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
