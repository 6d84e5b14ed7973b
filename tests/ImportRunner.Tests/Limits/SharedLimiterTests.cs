using CallImport.ImportRunner.Limits;
using CallImport.Store;
using CallImport.Testing.Fakes;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>Two limiters (two processes' worth) on one credential draw from one budget in PostgreSQL.</summary>
public sealed class SharedLimiterTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    [Fact]
    public async Task TwoLimitersOnOneCredential_GrantTogetherNoMoreThanTheLimitInAnyWindow()
    {
        var group = new LimitGroup("overall", 8, TimeSpan.FromSeconds(1));
        var credential = Guid.NewGuid().ToString("N");
        using var first = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));
        using var second = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));
        var granted = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        var slots = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();

        await Task.WhenAll(new[] { first, second }.SelectMany(limiter => Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = 0; i < 5; i++)
            {
                slots.Add((await limiter.WaitAsync([group], CancellationToken.None))!.Value);
                granted.Add(DateTimeOffset.UtcNow);
            }
        })));

        Assert.Equal(40, granted.Count);
        var ordered = slots.Order().ToList();
        Assert.True(FakeTrafficLog.MaxInAnyWindow(slots, group.Window) <= 8, string.Join("\n", ordered.Select(s => $"{(s - ordered[0]).TotalMilliseconds:0.0}")));
        // Granted times are taken after the wait returns: allow the scheduling jitter the window's slack is for.
        Assert.True(FakeTrafficLog.MaxInAnyWindow(granted, group.Window - TimeSpan.FromMilliseconds(40)) <= 8,
            $"{FakeTrafficLog.MaxInAnyWindow(granted, group.Window - TimeSpan.FromMilliseconds(40))} in one window");
        Assert.True(granted.Max() - granted.Min() >= TimeSpan.FromSeconds(4), "40 requests at 8/s take at least four more windows");
    }
}
