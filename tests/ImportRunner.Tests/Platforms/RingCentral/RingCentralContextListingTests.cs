using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

public sealed class RingCentralContextListingTests
{
    [Fact]
    public async Task ManyPages_WithInternalCallsSplitAcrossThem_ListEachSessionOnce()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 60, InternalCallFraction = 0.4, MaxPerPage = 3 });
        using var rc = new RingCentralTestContext(fake);

        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());

        Assert.Equal(fake.Calls.Select(c => c.TelephonySessionId).Order(StringComparer.Ordinal), calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.All(calls, c => Assert.Equal(fake.Calls.Single(f => f.TelephonySessionId == c.SourceCallId).Start, c.StartedAt));
        var records = fake.Calls.Sum(c => c.Records.Count);
        Assert.True(records > fake.Calls.Count, "some calls should have two records");
        Assert.Equal((records + 2) / 3, fake.Traffic.ToPath("/restapi/v1.0/account/~/call-log"));
    }

    [Fact]
    public async Task CallsExactlyAtTheBounds_FromIsIn_ToIsOut()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 6, CallsAtBounds = true, InternalCallFraction = 0 });
        using var rc = new RingCentralTestContext(fake);

        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());

        Assert.Contains(calls, c => c.StartedAt == RingCentralTestContext.January);
        Assert.DoesNotContain(calls, c => c.StartedAt == RingCentralTestContext.February);
        Assert.Equal(5, calls.Count);
    }

    [Fact]
    public async Task YearRange_SendsDateFrom_SoTheVendorsOneDayDefaultNeverApplies()
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 40, CallsFrom = from, CallsTo = RingCentralTestContext.January });
        using var rc = new RingCentralTestContext(fake);

        var calls = await rc.ListAsync(RingCentralTestContext.Query(from, RingCentralTestContext.January));

        Assert.Equal(40, calls.Count);
        Assert.All(fake.Traffic.Requests.Where(r => r.Path.EndsWith("/call-log", StringComparison.Ordinal)), r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task DirectionFilter_KeepsCallsWithARecordInThatDirection()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 30, InternalCallFraction = 0.3 });
        using var rc = new RingCentralTestContext(fake);

        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary(("direction", "Outbound")));

        var expected = fake.Calls.Where(c => c.Records.Any(r => r.Direction == "Outbound")).Select(c => c.TelephonySessionId);
        Assert.Equal(expected.Order(StringComparer.Ordinal), calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.True(calls.Count < fake.Calls.Count);
    }

    [Fact]
    public async Task ExtensionFilter_ListsThatExtensionsCallLogOnly()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 30 });
        var extension = fake.Calls[0].Records[0].ExtensionId;
        using var rc = new RingCentralTestContext(fake);

        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary(("extensionId", extension)));

        var expected = fake.Calls.Where(c => c.Records.Any(r => r.ExtensionId == extension)).Select(c => c.TelephonySessionId);
        Assert.Equal(expected.Order(StringComparer.Ordinal), calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.True(fake.Traffic.ToPath($"/restapi/v1.0/account/~/extension/{extension}/call-log") > 0);
    }

    [Fact]
    public async Task UnknownFilter_FailsBeforeAnyRequest()
    {
        await using var fake = await RingCentralFake.StartAsync();
        using var rc = new RingCentralTestContext(fake);

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => rc.ListAsync(RingCentralTestContext.AllOfJanuary(("user", "ada"))));

        Assert.Contains("Supported filters: direction, extensionId", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, fake.Traffic.TotalRequests);
    }
}
