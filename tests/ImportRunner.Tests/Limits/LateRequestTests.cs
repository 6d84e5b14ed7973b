using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// What the vendor counts is when requests ARRIVE, not the slots the limiter planned. A request that leaves
/// late (a timer woken late on a busy machine; a stalled process whose slots arrived late from the shared
/// budget) lands in the window after its slot's, on top of the requests planned there. These tests record when
/// each request was let go on a fake clock and check the vendor's windows on those times.
/// </summary>
public sealed class LateRequestTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Starts the waits and advances the clock in steps of a 2000th of the window (once by <paramref name="stall"/>
    /// instead, at <paramref name="stallAt"/>) until all went; returns when each went. Each step also lets a
    /// millisecond of real time pass, so continuations keep up with the fake clock: the slack (2% of the
    /// window = 40 steps) is far more than they ever lag.
    /// </summary>
    private static async Task<List<DateTimeOffset>> LetGoAsync(RequestLimiter limiter, FakeTimeProvider time, LimitGroup group, int requests,
        TimeSpan? stallAt = null, TimeSpan stall = default)
    {
        var step = group.Window / 2000;
        var went = new List<DateTimeOffset>();
        var waits = Enumerable.Range(0, requests).Select(async _ =>
        {
            await limiter.WaitAsync([group], CancellationToken.None);
            lock (went) went.Add(time.GetUtcNow());
        }).ToList();
        var guard = 0;
        while (waits.Any(w => !w.IsCompleted))
        {
            var elapsed = time.GetUtcNow() - Start;
            var stalled = stallAt is { } at && elapsed < at && elapsed + step >= at;
            time.Advance(stalled ? stall : step);
            await Task.Delay(1);
            if (++guard > 100_000) throw new TimeoutException("the limiter never let every request go");
        }
        await Task.WhenAll(waits);
        return went;
    }

    [Fact]
    public async Task TimerWokenLate_TakesANewSlot_InsteadOfCrowdingTheNextWindow()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", 2, TimeSpan.FromSeconds(100));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        var first = await LetGoAsync(limiter, time, group, 2);

        // The third and fourth wait for the window to pass (102 s, with the slack); the machine stalls just
        // before and wakes them 6.5 s late, past their slots' deadline (slack: 1 s).
        var slotsAt = GroupWindowSettings.Effective(group.Window);
        var second = await LetGoAsync(limiter, time, group, 3, stallAt: slotsAt - TimeSpan.FromSeconds(0.5), stall: TimeSpan.FromSeconds(7));

        List<DateTimeOffset> all = [.. first, .. second];
        Assert.True(FakeTrafficLog.MaxInAnyWindow(all, group.Window) <= 2,
            $"{FakeTrafficLog.MaxInAnyWindow(all, group.Window)} requests in one window: {string.Join(", ", all.Order().Select(t => (t - Start).TotalSeconds))}");
        Assert.True(limiter.Group("g")!.Missed >= 1, "the late slot was left unused");
    }

    [Fact]
    public async Task TimerWokenLate_WithRoomInTheWindow_GoesWhenWoken_InsteadOfAWindowLater()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", 3, TimeSpan.FromSeconds(100));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        var first = await LetGoAsync(limiter, time, group, 3);

        // The fourth waits for the window to pass (102 s); the machine stalls and wakes it 6.5 s late, past its
        // slot's deadline (slack: 1 s). No slot was planned after it: moved to when it woke, the request goes then.
        var slotsAt = GroupWindowSettings.Effective(group.Window);
        var second = await LetGoAsync(limiter, time, group, 1, stallAt: slotsAt - TimeSpan.FromSeconds(0.5), stall: TimeSpan.FromSeconds(7));
        // Three more: the window after the first three and after the moved one.
        var third = await LetGoAsync(limiter, time, group, 3);

        Assert.InRange(second.Single() - Start, slotsAt, slotsAt + TimeSpan.FromSeconds(7));
        Assert.Equal((0, 1), (limiter.Group("g")!.Missed, limiter.Group("g")!.Moved));
        List<DateTimeOffset> all = [.. first, .. second, .. third];
        Assert.True(FakeTrafficLog.MaxInAnyWindow(all, group.Window) <= 3,
            $"{FakeTrafficLog.MaxInAnyWindow(all, group.Window)} requests in one window: {string.Join(", ", all.Order().Select(t => (t - Start).TotalSeconds))}");
    }

    /// <summary>
    /// A saturated client (8 waiters, each asking again once let go) at several rates, the machine stalling again
    /// and again for up to 5 slacks: never over the limit, late slots moved where there was room.
    /// </summary>
    [Theory]
    [InlineData(3, 1, 11)]
    [InlineData(20, 1, 12)]
    [InlineData(1_000, 1, 13)]
    public async Task TimersWokenLateAtRandom_NeverMoreThanTheLimitInAnyWindow(int permits, double windowSeconds, int seed)
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(windowSeconds));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        var random = new Random(seed);
        var went = new List<DateTimeOffset>();
        var wanted = permits * 8;
        var waits = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (true)
            {
                await limiter.WaitAsync([group], CancellationToken.None);
                lock (went)
                {
                    if (went.Count >= wanted) return;
                    went.Add(time.GetUtcNow());
                }
            }
        }).ToList();
        var guard = 0;
        while (waits.Any(w => !w.IsCompleted))
        {
            // Small steps, and often a stall of 2 to 5 slacks (a timer or a thread woken late).
            var stall = random.Next(0, 3) == 0;
            time.Advance(stall ? group.Window * random.Next(2, 6) / 100 : group.Window / 500);
            await Task.Delay(1);
            if (++guard > 100_000) throw new TimeoutException("the limiter never let every request go");
        }
        await Task.WhenAll(waits);

        Assert.True(limiter.Group("g")!.Moved > 0, $"no late slot was moved ({limiter.Group("g")!.Missed} missed, {went.Count} went by {time.GetUtcNow() - Start}): the test did not exercise it");
        Assert.True(FakeTrafficLog.MaxInAnyWindow(went, group.Window) <= permits,
            $"{FakeTrafficLog.MaxInAnyWindow(went, group.Window)} requests in one window (limit {permits})");
    }

    [Fact]
    public async Task SharedBudget_AnswerArrivingLate_DoesNotSendItsWholeBatchLate()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", 4, TimeSpan.FromSeconds(100));
        var database = new FakeClockRateWindows(time);
        using var first = new RequestLimiter(new PlatformLimits([group]), time, database.ForProcess());
        // The second process stalls: three answers in a row reach it 20 s after the database sent them (slack: 2 s).
        using var second = new RequestLimiter(new PlatformLimits([group]), time, database.ForProcess(isSlow: answer => answer is >= 1 and <= 3));

        var went = await LetGoAsync(first, time, group, 4);
        went.AddRange(await LetGoAsync(second, time, group, 4));
        went.AddRange(await LetGoAsync(first, time, group, 4));

        Assert.True(FakeTrafficLog.MaxInAnyWindow(went, group.Window) <= 4,
            $"{FakeTrafficLog.MaxInAnyWindow(went, group.Window)} requests in one window: {string.Join(", ", went.Order().Select(t => (t - Start).TotalSeconds))}");
    }

    [Fact]
    public void ClockMapping_UsesTheFastestRecentAnswer_AndStartsAgainWhenAClockJumps()
    {
        var mapping = new DatabaseClockMapping();
        var database = Start.AddHours(-1); // the database's clock is an hour behind ours

        mapping.Observe(Start, Start.AddMilliseconds(2), database.AddMilliseconds(1));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1), mapping.Offset);
        // An answer that reached us 900 ms late says nothing new: slots keep their place.
        mapping.Observe(Start.AddSeconds(1), Start.AddMilliseconds(1_900), database.AddSeconds(1));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1), mapping.Offset);
        // Our clock jumps 5 s ahead: the next answer contradicts the old bound, which is dropped.
        mapping.Observe(Start.AddSeconds(7), Start.AddMilliseconds(7_003), database.AddSeconds(2));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5.003), mapping.Offset);
        // Old bounds are forgotten after a while (clocks drift).
        mapping.Observe(Start.AddMinutes(6), Start.AddMinutes(6).AddMilliseconds(10), database.AddMinutes(6).AddSeconds(-5));
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5.010), mapping.Offset);
    }
}
