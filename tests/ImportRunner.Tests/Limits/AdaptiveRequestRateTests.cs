using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Tests.Limits;

public sealed class AdaptiveRequestRateTests
{
    [Fact]
    public void Throttled_HalvesTheRate_AndSuccessesRaiseItSlowlyToTheCeiling()
    {
        using var rate = new AdaptiveRequestRate(4);
        rate.OnThrottled();
        Assert.Equal(2, rate.Current, 3);
        rate.OnThrottled();
        Assert.Equal(1, rate.Current, 3);
        for (var i = 0; i < 19; i++) rate.OnSuccess();
        Assert.Equal(1, rate.Current, 3);
        rate.OnSuccess();
        Assert.Equal(1.1, rate.Current, 3);
        for (var i = 0; i < 20 * 30; i++) rate.OnSuccess();
        Assert.Equal(4, rate.Current, 3);
    }

    [Fact]
    public void Throttled_NeverGoesBelowTheFloor()
    {
        using var rate = new AdaptiveRequestRate(1);
        for (var i = 0; i < 20; i++) rate.OnThrottled();
        Assert.True(rate.Current >= 0.05 - 1e-9);
        Assert.Equal(20, rate.Throttles);
    }

    [Fact]
    public async Task Unlimited_NeverWaits()
    {
        using var rate = new AdaptiveRequestRate(double.PositiveInfinity);
        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, await rate.WaitAsync(default));
    }

    [Fact]
    public async Task Limited_SpacesRequests()
    {
        using var rate = new AdaptiveRequestRate(20);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < 6; i++) await rate.WaitAsync(default);
        // Six requests at 20/s need at least ~5 replenishments (250 ms); a lower bound is safe on a noisy machine.
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task RateChangedWhileWaiting_WaiterStillGetsThrough()
    {
        using var rate = new AdaptiveRequestRate(2);
        await rate.WaitAsync(default);
        var waiting = rate.WaitAsync(default).AsTask();
        rate.OnThrottled();
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(waiting.IsCompletedSuccessfully);
    }
}
