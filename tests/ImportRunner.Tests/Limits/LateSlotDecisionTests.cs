using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>When a late request may go now with the later slots following it (<see cref="LateSlotDecision"/>): a table.</summary>
public sealed class LateSlotDecisionTests
{
    private const long Window = 1_020;
    private const long None = long.MinValue;

    [Theory]
    // slot, now, last granted, cold-start hold, shared budget → may shift
    [InlineData(1_000, 1_060, 990, None, false, true)]      // the usual stall: nothing sent after its slot
    [InlineData(1_000, 1_060, 1_000, None, false, true)]    // another of its burst went on the same time: still every later slot moves
    [InlineData(1_000, 1_060, 1_050, None, false, false)]   // a request went on a later slot first: it cannot move
    [InlineData(1_000, 1_060, 990, 1_300, false, false)]    // the cold start's spare slot lies after it
    [InlineData(1_000, 1_060, 990, 300, false, true)]       // ... or before it
    [InlineData(1_000, 1_060, 990, None, true, false)]      // a shared budget: other processes' later slots stay
    [InlineData(1_000, 2_020, 990, None, false, false)]     // late by a whole window
    [InlineData(1_000, 1_000, 990, None, false, false)]     // not late at all
    public void MayShift(long slot, long now, long lastGranted, long coldStartHeldAt, bool shared, bool expected) =>
        Assert.Equal(expected, LateSlotDecision.MayShift(slot, now, lastGranted, coldStartHeldAt, Window, shared));
}
