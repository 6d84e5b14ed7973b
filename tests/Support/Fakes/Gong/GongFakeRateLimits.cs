namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// Gong's limits as a company sees them: at most PerSecond admitted requests in any sliding second, and
/// PerDay per UTC day. Refused requests do not count against either.
/// </summary>
internal sealed class GongFakeRateLimits(GongFakeRateLimit limit, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _lastSecond = new();
    private DateOnly _day;
    private int _today;

    /// <summary>Admits the request, or says how many seconds until one would be admitted.</summary>
    public (bool Admitted, int RetryAfterSeconds, bool DailyLimit) TryAdmit()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            if (day != _day) (_day, _today) = (day, 0);
            if (_today >= limit.PerDay)
            {
                var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return (false, Math.Max(1, (int)Math.Ceiling((midnight - now).TotalSeconds)), true);
            }
            while (_lastSecond.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromSeconds(1)) _lastSecond.Dequeue();
            if (_lastSecond.Count >= limit.PerSecond) return (false, 1, false);
            _lastSecond.Enqueue(now);
            _today++;
            return (true, 0, false);
        }
    }
}
