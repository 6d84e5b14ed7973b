namespace CallImport.Testing.Fakes.Grain;

/// <summary>The fake's own throttle: a sliding window of admitted requests, as Grain's x-ratelimit headers suggest.</summary>
internal sealed class GrainFakeRateWindow(GrainFakeRateLimit limit, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _admitted = new();

    public int Limit => limit.Requests;

    /// <summary>Admits the request or says how many seconds until one would be admitted.</summary>
    public (bool Admitted, int Remaining, int RetryAfterSeconds) TryAdmit()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            while (_admitted.TryPeek(out var oldest) && now - oldest >= limit.Window) _admitted.Dequeue();
            if (_admitted.Count < limit.Requests)
            {
                _admitted.Enqueue(now);
                return (true, limit.Requests - _admitted.Count, 0);
            }
            var wait = _admitted.Peek() + limit.Window - now;
            return (false, 0, Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)));
        }
    }
}
