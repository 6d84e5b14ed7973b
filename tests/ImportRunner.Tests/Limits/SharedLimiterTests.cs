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

    [Fact]
    public async Task ThrottleMetByOneLimiter_PacesEveryLimiterOnTheCredential_AtTheLimitItLearned()
    {
        var group = new LimitGroup("overall", 10, TimeSpan.FromSeconds(1));
        var credential = Guid.NewGuid().ToString("N");
        using var first = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));
        using var second = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));

        // The vendor lets 5 through and refuses the sixth (no Retry-After): the first limiter learns 5 and paces.
        var before = new List<RequestSlot>();
        for (var i = 0; i < 6; i++) before.Add((await first.ReserveAsync([group], CancellationToken.None))!.Value);
        first.OnThrottled([group], retryAfter: null, sentAt: DateTimeOffset.UtcNow);
        Assert.Equal(5, first.Group("overall")!.PermitLimit);

        // Both go on, two requests at a time each: every slot from now on, whichever process holds it, is paced at 5
        // per (effective) window, as one process alone would pace after the refusal; the second never met a 429.
        var after = new System.Collections.Concurrent.ConcurrentBag<DateTimeOffset>();
        await Task.WhenAll(new[] { first, second }.SelectMany(limiter => Enumerable.Range(0, 2).Select(async _ =>
        {
            for (var i = 0; i < 2; i++) after.Add((await limiter.ReserveAsync([group], CancellationToken.None))!.Value.At);
        })));

        Assert.Equal(10, second.Group("overall")!.PermitLimit);
        var ordered = after.Order().ToList();
        var spacing = first.Group("overall")!.EffectiveWindow / 5;
        // Each process maps the database's slots onto its own clock by its fastest round trip: a few ms apart at most.
        var tolerance = TimeSpan.FromMilliseconds(20);
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.True(pair.Second - pair.First >= spacing - tolerance,
            $"slots {(pair.Second - pair.First).TotalMilliseconds:0.0} ms apart, not paced ({spacing.TotalMilliseconds:0} ms): {string.Join(", ", ordered.Select(t => $"{(t - ordered[0]).TotalMilliseconds:0}"))}"));
        List<DateTimeOffset> all = [.. before.Take(5).Select(s => s.At), .. ordered];
        Assert.True(FakeTrafficLog.MaxInAnyWindow(ordered, group.Window) <= 5, $"{FakeTrafficLog.MaxInAnyWindow(ordered, group.Window)} slots in one window after learning 5");
        Assert.True(FakeTrafficLog.MaxInAnyWindow(all, group.Window) <= 5, $"{FakeTrafficLog.MaxInAnyWindow(all, group.Window)} slots in one window with the 5 that got through");
    }

    [Fact]
    public async Task ThrottleMetAfterAnotherLimitersRequests_LowersToWhatTheCredentialGotThrough_NotToItsOwnShare()
    {
        // A 10-s window: however slowly a busy machine hands out these slots, all of them share one window (in a 1-s one the
        // first slots could drop out of the refused one's window, and fewer than 5 would rightly count as let through).
        var group = new LimitGroup("overall", 10, TimeSpan.FromSeconds(10));
        var credential = Guid.NewGuid().ToString("N");
        using var first = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));
        using var second = new RequestLimiter(new PlatformLimits([group]), TimeProvider.System, new SharedRateWindows(new RateWindowCounter(database.DataSource), "grain", credential));

        // The first process sends 4, then the second 2; the vendor refuses the second's second: 5 got through, 4 of
        // them the first process's, which the second never saw.
        for (var i = 0; i < 4; i++) await first.ReserveAsync([group], CancellationToken.None);
        await second.ReserveAsync([group], CancellationToken.None);
        var refused = (await second.ReserveAsync([group], CancellationToken.None))!.Value;
        second.OnThrottled([group], retryAfter: null, sentAt: DateTimeOffset.UtcNow, slotAt: refused.At);

        // Counting only its own (one before the refused), it would have learned the floor, 1, and recorded it for everyone.
        // The budget also holds both processes' cold-start spares and, on a busy machine, any slot the first process was
        // woken or answered too late for: all unused, reported so, and not counted as let through.
        Assert.Equal(5, second.Group("overall")!.PermitLimit);
    }
}
