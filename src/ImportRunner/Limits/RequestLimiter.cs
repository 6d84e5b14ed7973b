using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The limits of one platform credential: a partitioned <see cref="RateLimiter"/> with one
/// <see cref="LimitGroupRateLimiter"/> per limit group. A request counting in several groups takes a slot
/// in each (the slowest first), and sets out only when every slot is still on time, so no group's window
/// is passed by a request that waited for another group.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    /// <summary>Slots re-taken for a multi-group request before it goes anyway (each re-take only wastes capacity).</summary>
    private const int MaxRetakes = 8;
    private readonly ConcurrentDictionary<string, LimitGroupRateLimiter> _groups = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string> _partitioned;

    public RequestLimiter(PlatformLimits limits, TimeProvider time, IRateWindowStore? shared = null)
    {
        Limits = limits;
        _partitioned = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.Get(name,
            n => _groups.GetOrAdd(n, _ => new LimitGroupRateLimiter(limits.Group(n) ?? throw new ArgumentException($"No limit group '{n}'."), time, shared))));
    }

    public PlatformLimits Limits { get; }

    /// <summary>The group's limiter (created on first use).</summary>
    public LimitGroupRateLimiter? Group(string name) => _groups.TryGetValue(name, out var group) ? group : null;

    /// <summary>The first group's limit in force, as requests per second (+∞ without groups): for display.</summary>
    public double CurrentRequestsPerSecond =>
        Limits.DefaultGroup is { } g ? (Group(g.Name)?.PermitLimit ?? g.PermitLimit) / g.Window.TotalSeconds : double.PositiveInfinity;

    /// <summary>Waits until a request of <paramref name="groups"/> may go; returns when it went ahead.</summary>
    public async ValueTask<DateTimeOffset?> WaitAsync(IReadOnlyList<LimitGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0) return null;
        // Slowest group first: the faster ones rarely make the request wait afterwards.
        var ordered = groups.Count == 1 ? groups : [.. groups.OrderBy(g => g.RequestsPerSecond)];
        var slots = new DateTimeOffset[ordered.Count];
        for (var i = 0; i < ordered.Count; i++) slots[i] = await AcquireAsync(ordered[i], cancellationToken).ConfigureAwait(false);
        for (var retake = 0; retake < MaxRetakes; retake++)
        {
            var late = -1;
            for (var i = 0; i < ordered.Count && late < 0; i++)
                if (!_groups[ordered[i].Name].IsOnTime(slots[i])) late = i;
            if (late < 0) break;
            slots[late] = await AcquireAsync(ordered[late], cancellationToken).ConfigureAwait(false);
        }
        return slots.Max();
    }

    private async ValueTask<DateTimeOffset> AcquireAsync(LimitGroup group, CancellationToken cancellationToken)
    {
        using var lease = await _partitioned.AcquireAsync(group.Name, 1, cancellationToken).ConfigureAwait(false);
        return lease.TryGetMetadata(LimitGroupRateLimiter.SlotLease.SlotName, out var slot) ? slot : DateTimeOffset.MinValue;
    }

    /// <summary>The vendor throttled a request of these groups sent at <paramref name="sentAt"/>.</summary>
    public void OnThrottled(IReadOnlyList<LimitGroup> groups, TimeSpan? retryAfter, DateTimeOffset sentAt)
    {
        foreach (var group in groups) Group(group.Name)?.OnThrottled(retryAfter, sentAt);
    }

    public void Dispose() => _partitioned.Dispose();
}
