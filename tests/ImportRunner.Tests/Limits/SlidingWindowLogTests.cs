using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// The sliding-window rule itself, in plain ticks: a late slot may move to a later time only where every window
/// keeps at most the limit. Checked on every slot ever planned (moved ones at their new time), not on the log,
/// which forgets what can no longer decide a slot.
/// </summary>
public sealed class SlidingWindowLogTests
{
    private const long Window = 100;

    [Fact]
    public void TryMove_NothingPlannedAfterIt_MovesTheSlot_AndLaterSlotsCountFromItsNewTime()
    {
        var log = new SlidingWindowLog();
        Assert.Equal([0, 0, 100, 100], Reserve(log, now: 0, count: 4, permits: 2));

        Assert.True(log.TryMove(100, 130, 2, Window));

        // The slots after it: one a window after the unmoved 100, one a window after the moved one.
        Assert.Equal([200, 230], Reserve(log, now: 130, count: 2, permits: 2));
    }

    [Fact]
    public void TryMove_AWindowAfterItAlreadyFull_LeavesTheLogAsItWas()
    {
        var log = new SlidingWindowLog();
        Assert.Equal([0, 0, 100, 100, 200, 200], Reserve(log, now: 0, count: 6, permits: 2));

        // Moved to 150, it would share (100, 200] with both slots at 200.
        Assert.False(log.TryMove(100, 150, 2, Window));
        Assert.Equal([300], Reserve(log, now: 150, count: 1, permits: 2));
    }

    [Fact]
    public void TryMove_SlotNoLongerRemembered_IsRefused()
    {
        var log = new SlidingWindowLog();
        Reserve(log, now: 0, count: 2, permits: 2);
        Assert.False(log.TryMove(50, 60, 2, Window));
        Assert.False(log.TryMove(0, 0, 2, Window));
    }

    public static TheoryData<int, int> Seeds => new() { { 1, 1 }, { 2, 3 }, { 3, 20 }, { 4, 7 }, { 5, 100 }, { 6, 2 } };

    /// <summary>Random reservations, waits and late moves (as late timers on a busy machine make them): never more than the limit in any window.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomLateMoves_NeverPutMoreThanTheLimitInAnyWindow(int seed, int permits)
    {
        var random = new Random(seed);
        var log = new SlidingWindowLog();
        var planned = new List<long>();
        long now = 0;
        var moved = 0;
        for (var step = 0; step < 5_000; step++)
        {
            now += random.Next(0, 3) == 0 ? random.Next(0, 40) : 0;
            if (random.Next(0, 3) > 0 || planned.Count == 0)
            {
                planned.Add(log.Reserve(now, now, permits, Window));
                continue;
            }
            // A slot among the recent ones, woken late: moved to a time after it.
            var from = planned[random.Next(Math.Max(0, planned.Count - 3 * permits), planned.Count)];
            var to = Math.Max(now, from) + random.Next(1, 60);
            if (!log.TryMove(from, to, permits, Window)) continue;
            planned.Remove(from);
            planned.Add(to);
            moved++;
        }

        Assert.True(moved > 50, $"only {moved} moves: the test did not exercise them");
        var times = planned.Select(t => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(t)).ToList();
        var largest = FakeTrafficLog.MaxInAnyWindow(times, TimeSpan.FromTicks(Window));
        Assert.True(largest <= permits, $"{largest} slots in one window of {Window} ticks (limit {permits})");
    }

    [Fact]
    public void ShiftFrom_MovesTheLaterSlotsAndThoseWaitingAtItsTime_NotThoseAlreadySentThere()
    {
        var log = new SlidingWindowLog();
        Assert.Equal([0, 0, 100, 100, 200, 200], Reserve(log, now: 0, count: 6, permits: 2));

        // Of the two at 100 one went on time; the other woke 30 late: it and everything after follow by 30.
        log.ShiftFrom(100, movedAtFrom: 1, by: 30);

        Assert.Equal(230, log.Latest);
        // The next: a window after the second-newest (230), as if the plan had been 100, 130, 230, 230 from the start.
        Assert.Equal([330, 330], Reserve(log, now: 130, count: 2, permits: 2));
    }

    [Fact]
    public void IncludeAtLeast_PutsBackTheSlotsReallyTaken_ThatTheLogForgot()
    {
        var log = new SlidingWindowLog();
        var sent = new SlidingWindowLog();
        Reserve(log, now: 0, count: 6, permits: 2);   // remembers only 200, 200
        foreach (var at in new long[] { 0, 0, 100, 100 }) sent.Record(at, 100, Window);
        log.DropAfter(100);                            // a replan at 100: nothing left

        Assert.Equal(100, log.NextSlot(100, 100, 2, Window)); // forgotten: the window looks empty

        log.IncludeAtLeast(sent, after: 0);

        // The two sent at 100 count again (those at 0, a window back, are left out): the next slots are a window later.
        Assert.Equal([200, 200], Reserve(log, now: 100, count: 2, permits: 2));
    }

    private static List<long> Reserve(SlidingWindowLog log, long now, int count, int permits) =>
        [.. Enumerable.Range(0, count).Select(_ => log.Reserve(now, now, permits, Window))];
}
