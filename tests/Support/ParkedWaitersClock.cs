using Microsoft.Extensions.Time.Testing;

namespace CallImport.Testing;

/// <summary>
/// A fake clock that knows its timers: how many are parked (created, neither fired nor disposed) and when the next is
/// due. A test drives a limiter step by step with it, waiting until every waiter is parked before it moves the clock,
/// to the next due timer exactly (or past it: a stalled process): each request then goes at a time the test chose,
/// not when the machine happened to run its continuation, and the run is the same on a busy machine as on an idle one.
/// </summary>
public sealed class ParkedWaitersClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(start);
    private readonly Lock _lock = new();
    private readonly HashSet<Parked> _parked = [];

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();
    public override long GetTimestamp() => _fake.GetTimestamp();
    public override long TimestampFrequency => _fake.TimestampFrequency;

    public int ParkedCount { get { lock (_lock) return _parked.Count; } }

    /// <summary>When the earliest parked timer is due (null: none).</summary>
    public DateTimeOffset? NextDue { get { lock (_lock) return _parked.Count == 0 ? null : _parked.Min(p => p.Due); } }

    public void AdvanceTo(DateTimeOffset to)
    {
        if (to > GetUtcNow()) _fake.SetUtcNow(to);
    }

    /// <summary>Waits (real time, up to 10 s) until <paramref name="waiters"/>() timers are parked: every waiter asleep again.</summary>
    public async Task AllParkedAsync(Func<int> waiters)
    {
        for (var spins = 0; ParkedCount < waiters(); spins++)
        {
            if (spins > 10_000) throw new TimeoutException($"{ParkedCount} of {waiters()} waiters parked on a timer after 10 s");
            await Task.Delay(1);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var parked = new Parked(this);
        parked.Timer = _fake.CreateTimer(_ => parked.Fire(callback, state), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        parked.Change(dueTime, period);
        return parked;
    }

    private sealed class Parked(ParkedWaitersClock clock) : ITimer
    {
        public ITimer Timer { get; set; } = null!;
        public DateTimeOffset Due { get; private set; }

        public void Fire(TimerCallback callback, object? state)
        {
            lock (clock._lock) clock._parked.Remove(this);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                if (dueTime == Timeout.InfiniteTimeSpan) clock._parked.Remove(this);
                else
                {
                    Due = clock.GetUtcNow() + dueTime;
                    clock._parked.Add(this);
                }
            }
            return Timer.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (clock._lock) clock._parked.Remove(this);
            Timer.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
