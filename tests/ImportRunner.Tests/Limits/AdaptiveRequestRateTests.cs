using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Tests.Limits;

public sealed class AdaptiveRequestRateTests
{
    [Fact]
    public void Throttled_HalvesTheRate_AndSuccessesRaiseItStepByStepToTheCeiling()
    {
        using var rate = new AdaptiveRequestRate(10);
        rate.OnThrottled();
        Assert.Equal(5, rate.Current, 3);
        rate.OnThrottled();
        Assert.Equal(2.5, rate.Current, 3);
        rate.OnSuccess();
        Assert.Equal(2.7, rate.Current, 3);
        for (var i = 0; i < 100; i++) rate.OnSuccess();
        Assert.Equal(10, rate.Current, 3);
    }

    [Fact]
    public void Throttled_NeverGoesBelowATenthOfTheDeclaredRate()
    {
        using var rate = new AdaptiveRequestRate(3);
        for (var i = 0; i < 20; i++) rate.OnThrottled();
        Assert.Equal(0.3, rate.Current, 3);
        Assert.Equal(20, rate.Throttles);
    }

    [Fact]
    public async Task Unlimited_NeverWaits_UntilTheVendorThrottles()
    {
        using var rate = new AdaptiveRequestRate(double.PositiveInfinity);
        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, await rate.WaitAsync(default));
        rate.OnThrottled();
        Assert.Equal(500, rate.Current, 3);
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
