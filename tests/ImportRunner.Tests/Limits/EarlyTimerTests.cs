using CallImport.ImportRunner.Limits;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// Timers wake early on Linux: <c>Task.Delay</c> counts whole milliseconds (the rest dropped) on a coarse tick (4 ms here).
/// The limits bench saw requests leave up to 6.8 ms before their slot, eating the slack kept for the network: a request
/// leaving that early lands in the window before its slot's. Here a clock whose timers fire 3 ms early (never more than
/// half their wait early, so a short wait still ends): a grant must not come before its slot (by more than the limiter's
/// shortest timer, under which a slot is taken at once).
/// </summary>
public sealed class EarlyTimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATimerThatWakesEarly_DoesNotGrantTheSlotBeforeItsTime(bool sharedBudget)
    {
        var fake = new FakeTimeProvider(Start);
        var time = new EarlyWakingClock(fake, TimeSpan.FromMilliseconds(3));
        var group = new LimitGroup("overall", 4, TimeSpan.FromMilliseconds(100));
        var budget = new FakeClockRateWindows(fake);
        using var first = new RequestLimiter(new PlatformLimits([group]), time, sharedBudget ? budget.ForProcess() : null);
        using var second = new RequestLimiter(new PlatformLimits([group]), time, sharedBudget ? budget.ForProcess() : null);
        var grants = new List<(DateTimeOffset Now, RequestSlot Slot)>();

        async Task RequestAsync(RequestLimiter limiter)
        {
            for (var i = 0; i < 10; i++)
            {
                var slot = (await limiter.ReserveAsync([group], CancellationToken.None))!.Value;
                lock (grants) grants.Add((fake.GetUtcNow(), slot));
            }
        }

        var requests = Task.WhenAll(Task.Run(() => RequestAsync(first)), Task.Run(() => RequestAsync(second)));
        // A quarter of a millisecond a step, a real millisecond between: a grant is seen well before the clock moves on.
        for (var steps = 0; !requests.IsCompleted; steps++)
        {
            if (steps > 40_000) throw new TimeoutException("the requests never all got their slots");
            fake.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 4));
            await Task.Delay(1);
        }
        await requests;

        Assert.Equal(20, grants.Count);
        var early = grants.Where(g => g.Now < g.Slot.At - GroupWindowSettings.ShortestTimer).ToList();
        Assert.True(early.Count == 0, $"{early.Count} of {grants.Count} slots granted early, by up to {early.Select(g => (g.Slot.At - g.Now).TotalMilliseconds).DefaultIfEmpty().Max():0.00} ms");
    }

    /// <summary>The fake clock, with every timer firing <paramref name="early"/> before it is due (at most half its wait early).</summary>
    private sealed class EarlyWakingClock(FakeTimeProvider inner, TimeSpan early) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
        public override long GetTimestamp() => inner.GetTimestamp();
        public override long TimestampFrequency => inner.TimestampFrequency;
        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : Earlier(dueTime), period);

        private TimeSpan Earlier(TimeSpan due) => due - early > due / 2 ? due - early : due / 2;
    }
}
