using CallImport.ImportRunner.Limits;
using CallImport.Testing;
using CallImport.Testing.Fakes;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// A saturated group whose process stalls (a GC pause, CFS throttling: 20–100 ms are common on a busy node) past a
/// waiter's deadline. The late request may not go on its slot's time, but it should cost the group only its lateness:
/// it goes when it woke and the slots planned after it follow by as much, rather than leaving a whole slot (a third of a
/// second at 3 per second) unused and sending the request to the back of the queue. Driven on a clock that moves only
/// once every waiter is parked, to the next due timer exactly, so a run with a stall compares request by request with
/// the same run without it, and a busy machine changes nothing.
/// </summary>
public sealed class LateWakeLossTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>"50 ms past its deadline": the slack (10 ms for a 1-s window) and 50 ms more.</summary>
    private static readonly TimeSpan Lateness = TimeSpan.FromMilliseconds(60);

    private sealed record Run(List<DateTimeOffset> Went, long Missed, long Moved, int Stalls, int PermitLimit);

    /// <summary>
    /// <paramref name="waiters"/> waiters ask again as soon as they are let go, for <paramref name="duration"/>. Each step
    /// waits until every waiter is parked, then moves the clock to the next due timer, or <see cref="Lateness"/> past it
    /// where <paramref name="stallAt"/> says the process stalls; <paramref name="onStep"/> may act on the limiter then
    /// (a throttle, a cancelled call).
    /// </summary>
    private static async Task<Run> DriveAsync(LimitGroup group, int waiters, TimeSpan duration, Func<DateTimeOffset, bool> stallAt,
        Action<RequestLimiter, DateTimeOffset, CancellationTokenSource[]>? onStep = null)
    {
        var clock = new ParkedWaitersClock(Start);
        using var limiter = new RequestLimiter(new PlatformLimits([group]), clock);
        var end = Start + duration;
        var went = new List<DateTimeOffset>();
        var live = waiters;
        var calls = Enumerable.Range(0, waiters).Select(_ => new CancellationTokenSource()).ToArray();
        var tasks = Enumerable.Range(0, waiters).Select(i => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    try
                    {
                        await limiter.WaitAsync([group], calls[i].Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The call ended while it waited; the next one asks.
                        calls[i] = new CancellationTokenSource();
                        continue;
                    }
                    var now = clock.GetUtcNow();
                    if (now >= end) return;
                    lock (went) went.Add(now);
                }
            }
            finally
            {
                Interlocked.Decrement(ref live);
            }
        })).ToList();
        var stalls = 0;
        for (var steps = 0; Volatile.Read(ref live) > 0; steps++)
        {
            if (steps > 100_000) throw new TimeoutException("the limiter never let every waiter go");
            await clock.AllParkedAsync(() => Volatile.Read(ref live));
            if (clock.NextDue is not { } due) continue;
            var stall = stallAt(due);
            if (stall) stalls++;
            clock.AdvanceTo(due + (stall ? Lateness : TimeSpan.Zero));
            onStep?.Invoke(limiter, clock.GetUtcNow(), calls);
        }
        await Task.WhenAll(tasks);
        var limited = limiter.Group(group.Name)!;
        return new Run([.. went.Order()], limited.Missed, limited.Moved, stalls, limited.PermitLimit);
    }

    /// <summary>A stall at the first due timer at or after each of <paramref name="at"/> (seconds from the start).</summary>
    private static Func<DateTimeOffset, bool> StallsAt(params double[] at)
    {
        var pending = new Queue<double>(at.Order());
        return due =>
        {
            if (pending.Count == 0 || due < Start.AddSeconds(pending.Peek())) return false;
            pending.Dequeue();
            return true;
        };
    }

    /// <summary>The requests of the stalled run that went later than the same request of the plain run plus what the stalls cost.</summary>
    private static List<string> LaterThan(Run stalled, Run plain, TimeSpan allowed) =>
        [.. stalled.Went.Zip(plain.Went)
            .Select((pair, k) => (k, Late: pair.First - pair.Second))
            .Where(p => p.Late > allowed)
            .Select(p => $"#{p.k} {p.Late.TotalMilliseconds:0} ms")];

    [Fact]
    public async Task SaturatedGroup_OneWaiterWokenLate_CostsOnlyItsLateness_NotAWholeSlot()
    {
        // Gong: 3 per second; twelve calls waiting, a stall 3.5 s in.
        var group = new LimitGroup("g", 3, TimeSpan.FromSeconds(1));
        var plain = await DriveAsync(group, 12, TimeSpan.FromSeconds(12), _ => false);
        var stalled = await DriveAsync(group, 12, TimeSpan.FromSeconds(12), StallsAt(3.5));

        Assert.Equal(1, stalled.Stalls);
        var later = LaterThan(stalled, plain, Lateness);
        Assert.True(later.Count == 0,
            $"requests later than the same request without the stall by more than its {Lateness.TotalMilliseconds:0} ms: {string.Join(", ", later.Take(8))} " +
            $"({stalled.Missed} slots left unused, {stalled.Moved} moved; {stalled.Went.Count} went against {plain.Went.Count})");
        Assert.True(stalled.Went.Count >= plain.Went.Count - group.PermitLimit, $"{stalled.Went.Count} went against {plain.Went.Count} without the stall");
        Assert.Equal((0, true), (stalled.Missed, stalled.Moved > 0));
        Assert.True(FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window) <= group.PermitLimit,
            $"{FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window)} requests in one window: {Times(stalled.Went)}");
    }

    [Theory]
    [InlineData(3, 1)]    // Gong
    [InlineData(20, 1)]   // Dialpad, Zoom medium
    [InlineData(2, 1)]
    public async Task SaturatedGroup_StallingEveryTwoWindows_LosesAtMostTheStalls(int permits, double windowSeconds)
    {
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(windowSeconds));
        var every = Enumerable.Range(1, 6).Select(i => 2.0 * i * windowSeconds + 0.1).ToArray();
        var plain = await DriveAsync(group, 4 * permits, group.Window * 14, _ => false);
        var stalled = await DriveAsync(group, 4 * permits, group.Window * 14, StallsAt(every));

        Assert.Equal(every.Length, stalled.Stalls);
        var later = LaterThan(stalled, plain, stalled.Stalls * Lateness);
        Assert.True(later.Count == 0,
            $"requests later than the same request without the stalls by more than {stalled.Stalls} × {Lateness.TotalMilliseconds:0} ms: {string.Join(", ", later.Take(8))} " +
            $"({stalled.Missed} slots left unused, {stalled.Moved} moved)");
        Assert.Equal(0, stalled.Missed);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window) <= permits,
            $"{FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window)} requests in one window: {Times(stalled.Went)}");
    }

    /// <summary>
    /// After a throttle the group is paced (a window ÷ limit between slots): a late one shifts the rest, still paced. (A stall
    /// may also come when the waiter due is one whose slot a late one shifted, woken at its old time: nothing is late then.)
    /// </summary>
    [Fact]
    public async Task PacedAfterAThrottle_WaiterWokenLate_ShiftsTheLaterSlots_KeepingTheLearnedLimit()
    {
        var group = new LimitGroup("g", 10, TimeSpan.FromSeconds(1));
        Action<RequestLimiter, DateTimeOffset, CancellationTokenSource[]> ThrottleAt(Action<DateTimeOffset> throttled)
        {
            var done = false;
            return (limiter, now, _) =>
            {
                if (done || now < Start.AddSeconds(2)) return;
                done = true;
                throttled(now);
                limiter.OnThrottled([group], retryAfter: null, sentAt: now);
            };
        }
        DateTimeOffset? throttledAt = null;
        var plain = await DriveAsync(group, 30, TimeSpan.FromSeconds(10), _ => false, ThrottleAt(_ => { }));
        var stalled = await DriveAsync(group, 30, TimeSpan.FromSeconds(10), StallsAt(4.2, 6.3, 8.1), ThrottleAt(now => throttledAt = now));

        Assert.True(stalled.PermitLimit < group.PermitLimit, $"the throttle taught {stalled.PermitLimit}");
        Assert.True(stalled.Missed == 0 && stalled.Moved >= 2, $"{stalled.Missed} slots left unused, {stalled.Moved} moved: {Times(stalled.Went)}");
        var later = LaterThan(stalled, plain, stalled.Stalls * Lateness);
        Assert.True(later.Count == 0, $"requests later than without the stalls by more than {stalled.Stalls} × {Lateness.TotalMilliseconds:0} ms: {string.Join(", ", later.Take(8))}");
        var paced = stalled.Went.Where(t => t > throttledAt!.Value + group.Window).ToList();
        Assert.True(FakeTrafficLog.MaxInAnyWindow(paced, group.Window) <= stalled.PermitLimit,
            $"{FakeTrafficLog.MaxInAnyWindow(paced, group.Window)} requests in one window after the throttle (learned {stalled.PermitLimit}): {Times(paced)}");
        Assert.True(FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window) <= group.PermitLimit);
        // Paced: never two at once after the throttle's window.
        Assert.True(paced.Zip(paced.Skip(1)).All(p => p.Second > p.First), $"two requests at once while paced: {Times(paced)}");
    }

    /// <summary>
    /// A throttle whose Retry-After is shorter than the window, with many waiters queued: the slots planned are planned
    /// again, and the requests sent just before still count. (The log keeps only the newest slots: with the queue's all
    /// planned, dropping them once left an empty window, and five sent at 12 s had the next let go at 12.66 s.)
    /// </summary>
    [Fact]
    public async Task ThrottledWithManyWaitersQueued_ShortRetryAfter_TheRequestsJustSentStillCount()
    {
        var group = new LimitGroup("g", 5, TimeSpan.FromSeconds(1));
        DateTimeOffset? throttledAt = null;
        // Just after a burst of four (at 4.38 s): the vendor refused the fifth request of a window.
        var run = await DriveAsync(group, 20, TimeSpan.FromSeconds(8), _ => false, (limiter, now, _) =>
        {
            if (throttledAt is not null || now < Start.AddSeconds(4.3)) return;
            throttledAt = now;
            limiter.OnThrottled([group], retryAfter: TimeSpan.FromMilliseconds(200), sentAt: now);
        });

        Assert.True(run.PermitLimit < group.PermitLimit, $"the throttle taught {run.PermitLimit}");
        // Every window that holds a request sent after the throttle, with those sent before it: at most the limit learned.
        var fullest = run.Went.Where(t => t > throttledAt!.Value).Max(t => run.Went.Count(u => u > t - group.Window && u <= t));
        Assert.True(fullest <= run.PermitLimit, $"{fullest} requests in one window after the throttle at {(throttledAt!.Value - Start).TotalSeconds} s (learned {run.PermitLimit}): {Times(run.Went)}");
    }

    /// <summary>Random stalls of a few slacks, calls cancelled while they wait, a throttle: never over the limit, nobody stuck.</summary>
    [Theory]
    [InlineData(3, 21)]
    [InlineData(20, 22)]
    [InlineData(5, 23)]
    public async Task RandomStallsAndCancelledCalls_NeverMoreThanTheLimitInAnyWindow(int permits, int seed)
    {
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(1));
        var random = new Random(seed);
        var throttled = false;
        var stalled = await DriveAsync(group, 3 * permits, TimeSpan.FromSeconds(20), _ => random.Next(0, 4) == 0, (limiter, now, calls) =>
        {
            if (random.Next(0, 5) == 0) calls[random.Next(calls.Length)].Cancel();
            if (throttled || now < Start.AddSeconds(12)) return;
            throttled = true;
            limiter.OnThrottled([group], retryAfter: TimeSpan.FromMilliseconds(200), sentAt: now);
        });

        Assert.True(FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window) <= permits,
            $"{FakeTrafficLog.MaxInAnyWindow(stalled.Went, group.Window)} requests in one window (limit {permits}): {Times(stalled.Went)}");
        Assert.True(stalled.Moved > 5, $"{stalled.Moved} late slots moved ({stalled.Missed} unused): the test did not exercise it");
    }

    private static string Times(IEnumerable<DateTimeOffset> times) => string.Join(", ", times.Select(t => $"{(t - Start).TotalSeconds:0.###}"));
}
