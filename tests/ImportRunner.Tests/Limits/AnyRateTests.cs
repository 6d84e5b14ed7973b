using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// The limiter at any rate, from 0.01 to 100,000 requests per second and windows from a millisecond to a day,
/// on a fake clock: every request goes (no deadlock), never more than the limit in any window, no timer
/// shorter than a millisecond, and the windows are used (the only loss is the slack each window keeps).
/// </summary>
public sealed class AnyRateTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock that remembers the shortest timer anyone asked for.</summary>
    private sealed class TimerRecordingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TimeSpan ShortestTimer { get; private set; } = TimeSpan.MaxValue;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan && dueTime < ShortestTimer) lock (this) ShortestTimer = TimeSpan.FromTicks(Math.Min(ShortestTimer.Ticks, dueTime.Ticks));
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    public static TheoryData<int, double, int> Shapes => new()
    {
        { 1, 100, 4 },              // 0.01/s
        { 1, 0.001, 40 },           // one per millisecond
        { 100, 0.001, 450 },        // 100,000/s counted per millisecond
        { 1_000, 0.01, 3_500 },     // 100,000/s counted per 10 ms
        { 20_000, 0.2, 50_000 },    // 100,000/s counted per 200 ms
        { 30, 20, 100 },            // Grain
        { 5_000, 86_400, 12_000 },  // a daily cap
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AnyRateAndWindow_EveryRequestGoes_NeverAboveTheLimit_NoTimerUnderAMillisecond(int permits, double windowSeconds, int requests)
    {
        var time = new TimerRecordingClock(Start);
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(windowSeconds));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);
        var effective = GroupWindowSettings.Effective(group.Window);
        // Steps far below the slack (continuations run on real threads and must keep up with the fake clock),
        // and on millisecond windows no finer than a quarter of the shortest timer.
        var step = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(0.25).Ticks, Math.Min(effective.Ticks / 400, GroupWindowSettings.Slack(group.Window).Ticks / 20)));

        var slots = await LimitGroupWindowTests.GrantAllAsync(limiter, time, [group], requests, step);

        Assert.Equal(requests, slots.Count);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(slots, group.Window) <= permits, $"{FakeTrafficLog.MaxInAnyWindow(slots, group.Window)} in one window");
        Assert.True(time.ShortestTimer >= GroupWindowSettings.ShortestTimer, $"a timer of {time.ShortestTimer.TotalMilliseconds} ms");
        // Used: each full window of the limiter (the declared one + its slack) holds the whole limit.
        var windowsNeeded = (requests - 1) / permits;
        Assert.True(slots.Max() - Start <= windowsNeeded * effective + GroupWindowSettings.ColdStart + 2 * step, $"took {slots.Max() - Start}");
    }
}
