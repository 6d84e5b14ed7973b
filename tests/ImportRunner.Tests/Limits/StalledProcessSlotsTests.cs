using CallImport.ImportRunner.Limits;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// A stalled process's slots, on a fake clock (the budget's rule in memory, <see cref="FakeClockRateWindows"/>): its answer
/// from the shared budget reaches it 20 s late, after the slot's deadline, so the slot goes unused and its request asks
/// again. Another process refused later in the window must not count that slot as a request the vendor let through.
/// </summary>
public sealed class StalledProcessSlotsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ASlotAnsweredTooLateToAStalledProcess_IsNotCountedAsLetThrough_ByAnotherProcessRefused()
    {
        var group = new LimitGroup("overall", 20, TimeSpan.FromSeconds(60));
        var time = new FakeTimeProvider(Start);
        var budget = new FakeClockRateWindows(time);
        // Answer 0 warms the connection, 1 is the first slot's, 2 (the second slot's) arrives 20 s late.
        using var first = new RequestLimiter(new PlatformLimits([group]), time, budget.ForProcess(isSlow: answer => answer == 2));
        using var second = new RequestLimiter(new PlatformLimits([group]), time, budget.ForProcess());

        await first.ReserveAsync([group], CancellationToken.None);
        var stalled = first.ReserveAsync([group], CancellationToken.None).AsTask();
        for (var steps = 0; !stalled.IsCompleted; steps++)
        {
            if (steps > 1_000) throw new TimeoutException("the stalled process never got its slot");
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1);
        }
        await stalled;
        Assert.Equal(1, first.Group(group.Name)!.Missed);

        // The first process sent 2 (its missed slot's request went on a new slot); the second sends 3, its fourth is refused.
        RequestSlot refused = default;
        for (var i = 0; i < 4; i++) refused = (await second.ReserveAsync([group], CancellationToken.None))!.Value;
        second.OnThrottled([group], retryAfter: null, sentAt: time.GetUtcNow(), slotAt: refused.At);

        Assert.Equal(5, second.Group(group.Name)!.PermitLimit);
    }
}
