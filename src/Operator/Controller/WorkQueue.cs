using System.Threading.Channels;

namespace CallImport.Operator.Controller;

/// <summary>
/// Keys (namespace/name) waiting to be reconciled. A key is queued at most once; a key added while it is being
/// reconciled is queued again when that reconcile is done, so one key is never reconciled twice at once.
/// Delayed adds (RequeueAfter) live only here: after a restart every ImportJob is reconciled and its
/// wake-up recomputed from the resource.
/// </summary>
internal sealed class WorkQueue(TimeProvider time, TimeSpan baseBackoff, TimeSpan maxBackoff) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _queued = [];
    private readonly HashSet<string> _processing = [];
    private readonly HashSet<string> _dirty = [];
    private readonly Dictionary<string, (ITimer Timer, DateTimeOffset Due)> _delayed = [];
    private readonly Dictionary<string, int> _failures = [];

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }
            if (_queued.Add(key))
                _ready.Writer.TryWrite(key);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending wake-up for it wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            var due = time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                    return;
                pending.Timer.Dispose();
            }
            var timer = time.CreateTimer(_ => Fire(key), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (timer, due);
        }
    }

    /// <summary>Adds the key after a delay that doubles with each failure in a row (capped).</summary>
    public TimeSpan AddWithBackoff(string key)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.GetValueOrDefault(key);
            _failures[key] = failures + 1;
            var factor = Math.Pow(2, Math.Min(failures, 30));
            delay = TimeSpan.FromTicks((long)Math.Min(baseBackoff.Ticks * factor, maxBackoff.Ticks));
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>The key's reconcile succeeded: its next failure starts the backoff afresh.</summary>
    public void Forget(string key)
    {
        lock (_lock)
            _failures.Remove(key);
    }

    public async ValueTask<string> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken);
            lock (_lock)
            {
                if (!_queued.Remove(key))
                    continue;
                _processing.Add(key);
                return key;
            }
        }
    }

    public void Done(string key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Remove(key) && _queued.Add(key))
                _ready.Writer.TryWrite(key);
        }
    }

    private void Fire(string key)
    {
        lock (_lock)
        {
            if (_delayed.Remove(key, out var pending))
                pending.Timer.Dispose();
        }
        Add(key);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (timer, _) in _delayed.Values)
                timer.Dispose();
            _delayed.Clear();
        }
        _ready.Writer.TryComplete();
    }
}
