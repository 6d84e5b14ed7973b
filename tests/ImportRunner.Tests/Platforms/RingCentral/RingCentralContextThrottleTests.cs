using System.Security.Cryptography;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.RingCentral;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>
/// RingCentral's penalty window through the real pipeline: once throttled, the group waits the whole penalty
/// out, since a single request during it would restart it.
/// </summary>
public sealed class RingCentralContextThrottleTests
{
    [Fact]
    public async Task Throttled_TheWholeHeavyGroupStaysQuietThroughThePenalty_NeverRestartingIt()
    {
        // A small plan so the test takes seconds: Heavy 3 per 2 s, 2 s penalty (RingCentral: 10 per minute, 60 s).
        var plan = new RingCentralFakeUsagePlan(
            new Dictionary<string, int> { ["Heavy"] = 3, ["Medium"] = 40, ["Light"] = 50, ["Auth"] = 5 }, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 8, RecordedFraction = 1, ShortCallFraction = 0, InternalCallFraction = 0, UsagePlan = plan });
        // The client believes Heavy allows far more, so only the vendor's 429s can hold it back.
        var generous = RingCentralLimits.Default with
        {
            Groups = [new LimitGroup("heavy", 1000, TimeSpan.FromMinutes(1)), new LimitGroup("medium", 1000, TimeSpan.FromMinutes(1)),
                      new LimitGroup("light", 1000, TimeSpan.FromMinutes(1)), new LimitGroup("auth", 1000, TimeSpan.FromMinutes(1))],
        };
        using var rc = new RingCentralTestContext(fake, limits: generous, maxRetries: 30);

        var listed = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());
        // One request at a time: every request after a 429 is one the client chose to send.
        var hashes = new List<(string, string)>();
        foreach (var call in listed)
        {
            var source = await rc.Context.FetchCallAsync(call, CancellationToken.None);
            await using var media = await rc.Context.OpenMediaAsync(source, CancellationToken.None);
            using var copy = new MemoryStream();
            await media!.Content.CopyToAsync(copy);
            hashes.Add((call.SourceCallId, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray()))));
        }

        Assert.True(fake.Traffic.Faults(RingCentralFakeFault.RateLimited) > 0, "the fake should have throttled");
        Assert.Equal(0, fake.Traffic.Faults(RingCentralFakeFault.PenaltyRestarted));
        Assert.Equal(fake.Calls.Select(c => (c.TelephonySessionId, c.Recording!.Sha256)).Order(), hashes.Order());
    }
}
