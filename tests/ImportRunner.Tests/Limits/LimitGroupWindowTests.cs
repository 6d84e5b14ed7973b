using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// The limiter on a fake clock: every grant time is exact, so "never more than the limit in any window" and
/// "no deadlock" are checked on the times themselves, from 0.01 to 100,000 requests per second.
/// </summary>
public sealed class LimitGroupWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Starts <paramref name="requests"/> waits at once and advances the clock until all went; returns their slots.</summary>
    internal static async Task<List<DateTimeOffset>> GrantAllAsync(RequestLimiter limiter, FakeTimeProvider time, IReadOnlyList<LimitGroup> groups, int requests, TimeSpan step)
    {
        var waits = Enumerable.Range(0, requests).Select(_ => limiter.WaitAsync(groups, CancellationToken.None).AsTask()).ToList();
        var guard = 0;
        while (waits.Any(w => !w.IsCompleted))
        {
            time.Advance(step);
            await Task.Yield();
            if (++guard > 10_000_000) throw new TimeoutException("the limiter never let every request go (deadlock)");
        }
        return [.. (await Task.WhenAll(waits)).Select(s => s!.Value)];
    }

    public static TheoryData<int, double, int> Limits => new()
    {
        { 1, 100, 5 },        // 0.01/s
        { 30, 20, 95 },       // Grain
        { 10, 60, 35 },       // RingCentral Heavy
        { 3, 1, 40 },         // Gong
        { 100, 10, 450 },     // HubSpot
        { 100_000, 1, 3_000 },   // 100,000/s (the fake clock fires its timers one by one: a few thousand waits at most)
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task ManyWaiters_NeverMoreThanTheLimitInAnyWindow_FromTheFirstRequest(int permits, double windowSeconds, int requests)
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(windowSeconds));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);

        var slots = await GrantAllAsync(limiter, time, [group], requests, TimeSpan.FromSeconds(windowSeconds / 400));

        Assert.Equal(requests, slots.Count);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(slots, group.Window) <= permits, $"{FakeTrafficLog.MaxInAnyWindow(slots, group.Window)} in one window");
        // The first window is used in full: a limit is a limit, not a rate to ramp up to (short windows keep
        // one slot for the first request's cold start).
        var coldStart = permits > 1 && GroupWindowSettings.NeedsColdStartHold(group.Window);
        Assert.Equal(Math.Min(permits - (coldStart ? 1 : 0), requests), slots.Count(s => s < Start + group.Window));
        // And the limiter keeps close to it: all requests within what the limit allows plus the jitter margin.
        var windowsNeeded = (requests - 1) / permits;
        Assert.True(slots.Max() - Start <= windowsNeeded * group.Window * 1.1 + TimeSpan.FromSeconds(windowSeconds / 400) + TimeSpan.FromSeconds(0.4), $"took {slots.Max() - Start}");
    }

    [Fact]
    public async Task RequestInTwoGroups_HonoursBoth()
    {
        var time = new FakeTimeProvider(Start);
        var overall = new LimitGroup("overall", 20, TimeSpan.FromSeconds(1));
        var getCall = new LimitGroup("get-call", 10, TimeSpan.FromMinutes(1));
        using var limiter = new RequestLimiter(new PlatformLimits([overall, getCall]), time);

        var lists = GrantAllAsync(limiter, time, [overall], 200, TimeSpan.FromMilliseconds(5));
        var gets = GrantAllAsync(limiter, time, [overall, getCall], 25, TimeSpan.FromMilliseconds(5));
        var listSlots = await lists;
        var getSlots = await gets;

        Assert.True(FakeTrafficLog.MaxInAnyWindow([.. listSlots, .. getSlots], overall.Window) <= 20);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(getSlots, getCall.Window) <= 10);
        Assert.True(getSlots.Max() - Start >= TimeSpan.FromMinutes(2), "25 get-calls at 10/min need two more minutes");
    }

    [Fact]
    public async Task RetryAfter_QuietsTheWholeGroup_AndOnlyThatGroup()
    {
        var time = new FakeTimeProvider(Start);
        var heavy = new LimitGroup("heavy", 10, TimeSpan.FromMinutes(1));
        var light = new LimitGroup("light", 50, TimeSpan.FromMinutes(1));
        using var limiter = new RequestLimiter(new PlatformLimits([heavy, light]), time);
        await GrantAllAsync(limiter, time, [heavy], 1, TimeSpan.FromMilliseconds(10));

        limiter.OnThrottled([heavy], TimeSpan.FromSeconds(60), Start);
        var lightSlots = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => limiter.WaitAsync([light], CancellationToken.None).AsTask()));
        var heavySlots = await GrantAllAsync(limiter, time, [heavy], 3, TimeSpan.FromMilliseconds(100));

        Assert.All(heavySlots, s => Assert.True(s >= Start + TimeSpan.FromSeconds(60), $"heavy request at {s - Start} inside the penalty"));
        Assert.All(lightSlots, s => Assert.Equal(Start, s)); // at once: heavy's penalty is not light's
    }

    [Fact]
    public async Task PenaltyArrivingWhileRequestsWait_HoldsThemTooUntilItEnds()
    {
        var time = new FakeTimeProvider(Start);
        var heavy = new LimitGroup("heavy", 2, TimeSpan.FromSeconds(10));
        using var limiter = new RequestLimiter(new PlatformLimits([heavy]), time);
        var first = await GrantAllAsync(limiter, time, [heavy], 2, TimeSpan.FromMilliseconds(10));
        var waiting = Enumerable.Range(0, 2).Select(_ => limiter.WaitAsync([heavy], CancellationToken.None).AsTask()).ToList();
        // Still before the first waiter's slot (a window after the first request's spare slot): both are waiting.
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        var throttledAt = time.GetUtcNow();
        limiter.OnThrottled([heavy], TimeSpan.FromSeconds(30), first[0]);
        while (waiting.Any(w => !w.IsCompleted)) { time.Advance(TimeSpan.FromMilliseconds(200)); await Task.Yield(); }

        Assert.All(await Task.WhenAll(waiting), s => Assert.True(s >= throttledAt + TimeSpan.FromSeconds(30), $"went at {s - Start}, inside the penalty (from {throttledAt - Start})"));
    }

    [Fact]
    public async Task ThrottledBelowTheDeclaredLimit_LearnsWhatGotThrough_AndProbesOneMoreAfterTheBackoff()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", 30, TimeSpan.FromSeconds(20));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        var slots = await GrantAllAsync(limiter, time, [group], 21, TimeSpan.FromMilliseconds(10));
        time.Advance(TimeSpan.FromMilliseconds(5));
        var inFlight = await GrantAllAsync(limiter, time, [group], 1, TimeSpan.FromMilliseconds(10));

        // The vendor really allows 20: the 21st is refused, without Retry-After.
        limiter.OnThrottled([group], retryAfter: null, slots.Max());
        Assert.Equal(20, limiter.Group("g")!.PermitLimit);
        // A request sent after it, before the lowering, is refused too: 20 still got through, the limit stays.
        limiter.OnThrottled([group], retryAfter: null, inFlight[0]);
        Assert.Equal(20, limiter.Group("g")!.PermitLimit);

        time.Advance(GroupWindowSettings.Effective(group.Window) * (ThrottleDecision.FirstBackoffWindows - 1));
        await GrantAllAsync(limiter, time, [group], 1, TimeSpan.FromMilliseconds(10));
        Assert.Equal(20, limiter.Group("g")!.PermitLimit);
        time.Advance(GroupWindowSettings.Effective(group.Window));
        await GrantAllAsync(limiter, time, [group], 1, TimeSpan.FromMilliseconds(10));
        Assert.Equal(21, limiter.Group("g")!.PermitLimit);
    }

    [Fact]
    public async Task RandomThrottles_NeverWalkTheLimitBelowATenth()
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", 100, TimeSpan.FromSeconds(1));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        for (var i = 0; i < 50; i++)
        {
            var slots = await GrantAllAsync(limiter, time, [group], 3, TimeSpan.FromMilliseconds(5));
            limiter.OnThrottled([group], TimeSpan.FromMilliseconds(100), slots.Max());
        }
        Assert.Equal(10, limiter.Group("g")!.PermitLimit);
    }

    [Theory]
    [InlineData(0.01, 1, 100)]
    [InlineData(0.5, 1, 2)]
    [InlineData(1.5, 3, 2)]
    [InlineData(3, 3, 1)]
    [InlineData(100_000, 100_000, 1)]
    public void FromRate_WholePermitsPerWholeSeconds(double rate, int permits, double seconds)
    {
        var group = LimitGroup.FromRate("job", rate);
        Assert.Equal((permits, TimeSpan.FromSeconds(seconds)), (group.PermitLimit, group.Window));
    }

    [Fact]
    public void JobRate_AddsAGroupEveryRequestCountsIn_AndNeverRaisesTheVendorsLimits()
    {
        var heavy = new LimitGroup("heavy", 10, TimeSpan.FromMinutes(1));
        var light = new LimitGroup("light", 50, TimeSpan.FromMinutes(1));
        var limits = new PlatformLimits([light, heavy]) { Classify = r => r.RequestUri!.AbsolutePath.Contains("recording") ? ["heavy"] : [] };

        var lowered = limits.LoweredTo(0.5, 100);
        var higher = limits.LoweredTo(1000, null);

        using var recording = new HttpRequestMessage(HttpMethod.Get, "http://x/recording/1");
        using var other = new HttpRequestMessage(HttpMethod.Get, "http://x/calls");
        Assert.Equal(["heavy", "job"], lowered.GroupsOf(recording).Select(g => g.Name));
        Assert.Equal(["light", "job"], lowered.GroupsOf(other).Select(g => g.Name));
        Assert.Equal(100, lowered.RequestsPerDay);
        Assert.Same(limits.Groups, higher.Groups);
        Assert.Empty(lowered.GroupsOf(LimitGroups.Unlimited(new HttpRequestMessage(HttpMethod.Get, "http://s3/x"))));
    }
}
