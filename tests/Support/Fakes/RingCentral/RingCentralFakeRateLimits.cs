namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// RingCentral's usage plan per API group: at most N requests in any window; the request that goes over
/// gets 429 and starts the group's penalty interval, and EVERY request made during the penalty interval
/// is refused and starts it again (so a client that keeps knocking never gets back in). Thread-safe.
/// </summary>
internal sealed class RingCentralFakeRateLimits(RingCentralFakeUsagePlan plan, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _admitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _penaltyUntil = new(StringComparer.Ordinal);

    public int Limit(string group) => plan.RequestsPerWindow.GetValueOrDefault(group, int.MaxValue);

    public int WindowSeconds => (int)plan.Window.TotalSeconds;

    /// <summary>Admits the request, or refuses it with the seconds to wait and whether it restarted a running penalty.</summary>
    public RateDecision TryAdmit(string group)
    {
        var now = time.GetUtcNow();
        var limit = Limit(group);
        lock (_lock)
        {
            if (_penaltyUntil.TryGetValue(group, out var until) && until > now)
            {
                _penaltyUntil[group] = now + plan.PenaltyInterval;
                return new RateDecision(false, 0, PenaltySeconds, RestartedPenalty: true);
            }
            var admitted = _admitted.TryGetValue(group, out var queue) ? queue : _admitted[group] = new Queue<DateTimeOffset>();
            while (admitted.TryPeek(out var oldest) && now - oldest >= plan.Window) admitted.Dequeue();
            if (admitted.Count < limit)
            {
                admitted.Enqueue(now);
                return new RateDecision(true, limit - admitted.Count, 0, false);
            }
            _penaltyUntil[group] = now + plan.PenaltyInterval;
            return new RateDecision(false, 0, PenaltySeconds, false);
        }
    }

    private int PenaltySeconds => Math.Max(1, (int)Math.Ceiling(plan.PenaltyInterval.TotalSeconds));
}

internal sealed record RateDecision(bool Admitted, int Remaining, int RetryAfterSeconds, bool RestartedPenalty);
