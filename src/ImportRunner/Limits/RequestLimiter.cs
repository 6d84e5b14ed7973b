using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace CallImport.ImportRunner.Limits;

/// <summary>
/// The limits of one platform credential: a partitioned <see cref="RateLimiter"/> with one
/// <see cref="LimitGroupRateLimiter"/> per limit group. A request counting in several groups takes a slot
/// in each (the slowest first), and sets out only when every slot is still on time (before its deadline), so
/// no group's window is passed by a request that waited for another group, or for a late timer or thread.
/// </summary>
public sealed class RequestLimiter : IDisposable
{
    /// <summary>Slots re-taken for a multi-group request before it goes anyway (each re-take only wastes capacity).</summary>
    private const int MaxRetakes = 8;
    private readonly ConcurrentDictionary<string, LimitGroupRateLimiter> _groups = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string> _partitioned;
    private readonly TimeProvider _time;

    public RequestLimiter(PlatformLimits limits, TimeProvider time, IRateWindowStore? shared = null)
    {
        Limits = limits;
        _time = time;
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
    public async ValueTask<DateTimeOffset?> WaitAsync(IReadOnlyList<LimitGroup> groups, CancellationToken cancellationToken) =>
        (await ReserveAsync(groups, cancellationToken).ConfigureAwait(false))?.At;

    /// <summary>
    /// Waits until a request of <paramref name="groups"/> may go; returns its slot (null: no group) — the
    /// request must leave by the slot's <see cref="RequestSlot.Deadline"/> (<see cref="IsOnTime"/>), else wait again.
    /// </summary>
    public async ValueTask<RequestSlot?> ReserveAsync(IReadOnlyList<LimitGroup> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0) return null;
        if (groups.Count == 1) return await AcquireAsync(groups[0], cancellationToken).ConfigureAwait(false);
        // Slowest group first: the faster ones rarely make the request wait afterwards.
        var ordered = groups.OrderBy(g => g.RequestsPerSecond).ToArray();
        var slots = new RequestSlot[ordered.Length];
        for (var i = 0; i < ordered.Length; i++) slots[i] = await AcquireAsync(ordered[i], cancellationToken).ConfigureAwait(false);
        // A slot whose deadline passed while the request waited for another group is taken again.
        for (var retake = 0; retake < MaxRetakes; retake++)
        {
            var now = _time.GetUtcNow();
            var late = Array.FindIndex(slots, s => !s.IsOnTime(now));
            if (late < 0) break;
            // The late slot goes unused (a shared budget learns so: its refusals count only slots really sent).
            Group(ordered[late].Name)?.NotSent(slots[late].At);
            slots[late] = await AcquireAsync(ordered[late], cancellationToken).ConfigureAwait(false);
        }
        return new RequestSlot(slots.Max(s => s.At), slots.Min(s => s.Deadline));
    }

    /// <summary>Whether a request holding <paramref name="slot"/> may still leave now (else it waits for a new one).</summary>
    public bool IsOnTime(RequestSlot slot) => slot.IsOnTime(_time.GetUtcNow());

    /// <summary>Slots left unused by every group because their request could not leave in time.</summary>
    public long MissedSlots => _groups.Values.Sum(g => g.Missed);

    /// <summary>Slots of every group whose request, woken after the deadline, went later where the window had room.</summary>
    public long MovedSlots => _groups.Values.Sum(g => g.Moved);

    private async ValueTask<RequestSlot> AcquireAsync(LimitGroup group, CancellationToken cancellationToken)
    {
        using var lease = await _partitioned.AcquireAsync(group.Name, 1, cancellationToken).ConfigureAwait(false);
        return lease.TryGetMetadata(LimitGroupRateLimiter.SlotLease.SlotName, out var slot)
            ? slot
            : throw new InvalidOperationException($"Limit group '{group.Name}' granted no slot.");
    }

    /// <summary>The vendor throttled a request of these groups sent at <paramref name="sentAt"/> on the slot at <paramref name="slotAt"/> (when known).</summary>
    public void OnThrottled(IReadOnlyList<LimitGroup> groups, TimeSpan? retryAfter, DateTimeOffset sentAt, DateTimeOffset? slotAt = null)
    {
        foreach (var group in groups) Group(group.Name)?.OnThrottled(retryAfter, sentAt, slotAt);
    }

    /// <summary>The vendor answered a request of these groups sent at <paramref name="sentAt"/> on the slot at <paramref name="slotAt"/> without a throttle.</summary>
    public void OnAdmitted(IReadOnlyList<LimitGroup> groups, DateTimeOffset sentAt, DateTimeOffset? slotAt = null)
    {
        foreach (var group in groups) Group(group.Name)?.OnAdmitted(sentAt, slotAt);
    }

    /// <summary>A request of these groups granted <paramref name="slot"/> did not go on it (late for its deadline): it takes a new one.</summary>
    public void NotSent(IReadOnlyList<LimitGroup> groups, RequestSlot slot)
    {
        foreach (var group in groups) Group(group.Name)?.NotSent(slot.At);
    }

    public void Dispose() => _partitioned.Dispose();
}
