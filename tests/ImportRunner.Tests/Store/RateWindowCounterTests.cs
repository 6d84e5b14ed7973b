using CallImport.Store;
using CallImport.Testing.Fakes;

namespace CallImport.ImportRunner.Tests.Store;

/// <summary>The shared sliding window in PostgreSQL: slots handed to several callers never pass the limit in any window.</summary>
public sealed class RateWindowCounterTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    [Fact]
    public async Task ConcurrentCallersInBatches_NeverMoreThanTheLimitInAnyWindow_FromTheStart()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(1);
        var slots = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(async caller =>
        {
            for (var batch = 0; batch < 6; batch++)
            {
                foreach (var slot in (await counter.ReserveAsync("grain", credential, "overall", 8, window, 1 + caller, TimeSpan.Zero, default)).Slots)
                    slots.Add(slot);
            }
        }));

        Assert.Equal(6 * (1 + 2 + 3 + 4), slots.Count);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(slots, window) <= 8, $"{FakeTrafficLog.MaxInAnyWindow(slots, window)} slots in one window");
        Assert.Equal(8, slots.Count(s => s - slots.Min() < window));
    }

    [Fact]
    public async Task CallerWithALoweredLimit_TrimsTheWindowWithoutLettingOthersPassTheirs()
    {
        // A process a 429 taught a lower limit asks with it, and the stored window keeps only that many slots;
        // slots stay in order, so what it forgets can no longer share a window with any later slot.
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(1);
        var slots = new List<DateTimeOffset>();

        for (var round = 0; round < 10; round++)
        {
            slots.AddRange((await counter.ReserveAsync("grain", credential, "overall", 8, window, 5, TimeSpan.Zero, default)).Slots);
            slots.AddRange((await counter.ReserveAsync("grain", credential, "overall", 3, window, 2, TimeSpan.Zero, default)).Slots);
        }

        Assert.Equal(70, slots.Count);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(slots, window) <= 8, $"{FakeTrafficLog.MaxInAnyWindow(slots, window)} slots in one window");
    }

    [Fact]
    public async Task PacedCaller_SpacesEveryCallersSlotsAtItsLimit_UntilItsPacingLapses()
    {
        // A process a 429 taught 5 per (effective) second asks paced; another on the credential still declares 10.
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(1);
        var spacing = window / 5;

        var paced = (await counter.ReserveAsync("grain", credential, "overall", 5, window, 3, TimeSpan.Zero, default, pacedFor: TimeSpan.FromMinutes(1))).Slots;
        var other = (await counter.ReserveAsync("grain", credential, "overall", 10, window, 4, TimeSpan.Zero, default)).Slots;

        List<DateTimeOffset> all = [.. paced, .. other];
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.Second - pair.First >= spacing, $"slots {(pair.Second - pair.First).TotalMilliseconds} ms apart, not paced at 5 per second"));
        Assert.True(FakeTrafficLog.MaxInAnyWindow(all, window) <= 5, $"{FakeTrafficLog.MaxInAnyWindow(all, window)} slots in one window: the learned 5 not shared");

        // Pacing that lapsed (asked for a microsecond) holds nobody: a fresh credential's burst goes at once.
        var lapsed = Guid.NewGuid().ToString("N");
        await counter.ReserveAsync("grain", lapsed, "overall", 5, window, 0, TimeSpan.Zero, default, pacedFor: TimeSpan.FromMicroseconds(1));
        var burst = (await counter.ReserveAsync("grain", lapsed, "overall", 10, window, 4, TimeSpan.Zero, default)).Slots;
        Assert.True(burst[^1] - burst[0] < spacing, $"a lapsed pacing still spaced the slots: {string.Join(", ", burst.Select(b => (b - burst[0]).TotalMilliseconds))} ms");
    }

    [Fact]
    public async Task RunnerOfThePreviousVersion_StillReserves_WithV4sArguments_AndIsPacedByOthers()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(1);
        var paced = (await counter.ReserveAsync("grain", credential, "overall", 5, window, 1, TimeSpan.Zero, default, pacedFor: TimeSpan.FromMinutes(1))).Slots;

        // What the runner before V5 sends: eight arguments (microseconds), 3 slots at its declared 10.
        await using var command = database.DataSource.CreateCommand("SELECT reserve_rate_slots($1, $2, $3, $4, $5, $6, $7, $8)");
        foreach (var value in new object[] { "grain", credential, "overall", 10, window.Ticks / 10, 3, 0L, 0L }) command.Parameters.AddWithValue(value);
        var answer = (long[])(await command.ExecuteScalarAsync())!;

        Assert.Equal(4, answer.Length);
        var slots = answer.Skip(1).Select(us => DateTimeOffset.UnixEpoch.AddTicks(us * 10)).Prepend(paced[0]).ToList();
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.True(pair.Second - pair.First >= window / 5, $"slots {(pair.Second - pair.First).TotalMilliseconds} ms apart, not paced"));
    }

    [Fact]
    public async Task QuietTime_HoldsEveryCallersSlots()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        await counter.ReserveAsync("ringcentral", credential, "heavy", 10, TimeSpan.FromMinutes(1), 1, TimeSpan.FromSeconds(60), default);

        var waits = (await counter.ReserveAsync("ringcentral", credential, "heavy", 10, TimeSpan.FromMinutes(1), 3, TimeSpan.Zero, default)).Waits;

        Assert.All(waits, w => Assert.True(w > TimeSpan.FromSeconds(59), $"slot after {w}, inside the quiet time"));
    }

    [Fact]
    public async Task EachSlot_ComesWithTheCredentialsSlotsBeforeItInItsWindow_WhoeverHoldsThem()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(10);

        // One caller takes 3, another 2 (the window has room: all now), then a lowered limit of 3 moves the next a window on.
        var first = await counter.ReserveAsync("grain", credential, "overall", 8, window, 3, TimeSpan.Zero, default);
        var second = await counter.ReserveAsync("grain", credential, "overall", 8, window, 2, TimeSpan.Zero, default);
        var later = await counter.ReserveAsync("grain", credential, "overall", 3, window, 1, TimeSpan.Zero, default);

        Assert.Equal([0, 1, 2], first.InWindowBefore);
        Assert.Equal([3, 4], second.InWindowBefore);
        // A window after the third-latest slot (the first caller's, all three at one time): only the second caller's two share its window.
        Assert.Equal(first.Slots[2] + window, later.Slots[0]);
        Assert.Equal(2, later.InWindowBefore[0]);
    }

    [Fact]
    public async Task UnusedSlots_ReportedWithABatch_AndEverySpare_AreAnsweredToEveryCaller_ForTwoWindows()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(10);

        // A cold start: 3 slots and the spare kept unused after the first (numbered 2, between the first and the second).
        var first = await counter.ReserveAsync("grain", credential, "overall", 20, window, 3, TimeSpan.Zero, default, holdFirst: TimeSpan.FromMilliseconds(300));
        Assert.Equal([1L, 3L, 4L], first.Sequences);
        var spare = Assert.Single(first.Unused);
        Assert.Equal(2, spare.Sequence);
        Assert.Equal(first.Slots[0] + TimeSpan.FromMilliseconds(300), spare.At);
        // The spare is in the budget: the slots after it count it.
        Assert.Equal([0, 2, 3], first.InWindowBefore);

        // Another caller reports nothing and sees the spare; then the first reports its third slot unused with a batch of one.
        var other = await counter.ReserveAsync("grain", credential, "overall", 20, window, 1, TimeSpan.Zero, default);
        Assert.Equal([spare], other.Unused);
        Assert.Equal([5L], other.Sequences);
        var reported = new RateSlot(first.Slots[2], first.Sequences[2]);
        var next = await counter.ReserveAsync("grain", credential, "overall", 20, window, 1, TimeSpan.Zero, default, unused: [reported]);
        Assert.Equal([spare, reported], next.Unused);
        // Reports alone (no slots asked): recorded, nothing reserved.
        var alone = await counter.ReserveAsync("grain", credential, "overall", 20, window, 0, TimeSpan.Zero, default, unused: [new RateSlot(other.Slots[0], other.Sequences[0])]);
        Assert.Empty(alone.Slots);
        Assert.Equal(3, alone.Unused.Count);

        // Forgotten two windows on (a window of 1 ms here): the budget answers no unused slot older than that (the
        // latest of them, the other caller's, is the spare's time, 300 ms after the start).
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var later = await counter.ReserveAsync("grain", credential, "overall", 20, TimeSpan.FromMilliseconds(1), 0, TimeSpan.Zero, default);
        Assert.Empty(later.Unused);
    }

    [Fact]
    public async Task RunnerOfTheVersionBeforeV9_StillReserves_AndItsSlotsCountBeforeTheNewRunners()
    {
        var counter = new RateWindowCounter(database.DataSource);
        var credential = Guid.NewGuid().ToString("N");
        var window = TimeSpan.FromSeconds(10);

        // What the runner before V9 sends: V7's function, nine arguments; 2 slots, each with its count.
        await using var command = database.DataSource.CreateCommand("SELECT reserve_rate_slots_counted($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        foreach (var value in new object[] { "grain", credential, "overall", 20, window.Ticks / 10, 2, 0L, 0L, 0L }) command.Parameters.AddWithValue(value);
        var answer = (long[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(5, answer.Length);

        var next = await counter.ReserveAsync("grain", credential, "overall", 20, window, 1, TimeSpan.Zero, default);
        Assert.Equal([2], next.InWindowBefore);
        Assert.Empty(next.Unused);
    }
}
