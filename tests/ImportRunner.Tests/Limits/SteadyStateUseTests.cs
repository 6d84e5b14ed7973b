using CallImport.ImportRunner.Limits;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// How much of its limit a saturated client gets once the start-up window is over, on a fake clock: the time
/// whole windows' worth of requests took against that many windows. Only the slack each window keeps may be
/// lost (window ÷ (window + 2 × slack)); it once was 25 ms / 2% a side, 95.2% of a 1-s window.
/// </summary>
public sealed class SteadyStateUseTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3, 1)]      // Gong
    [InlineData(20, 1)]     // Dialpad, Zoom medium
    [InlineData(100, 10)]   // HubSpot
    [InlineData(30, 20)]    // Grain
    public async Task SaturatedClient_UsesAtLeast97PercentOfTheLimit_AfterTheFirstWindow(int permits, double windowSeconds)
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("g", permits, TimeSpan.FromSeconds(windowSeconds));
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time);

        var slots = (await LimitGroupWindowTests.GrantAllAsync(limiter, time, [group], permits * 8, group.Window / 1000)).Order().ToList();

        var first = slots.FindIndex(s => s >= Start + group.Window);
        var windows = (slots.Count - 1 - first) / permits;
        var span = slots[first + windows * permits] - slots[first];
        var used = windows * group.Window / span;
        Assert.True(windows >= 5, $"{windows} windows measured");
        Assert.True(used >= 0.97, $"{used:P2} of the limit used: {windows} windows' worth in {span}");
    }
}
