using CallImport.ImportRunner.Platforms.HubSpot;
using CallImport.Testing.Fakes.HubSpot;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.HubSpot;

public sealed class HubSpotContextListingTests
{
    [Fact]
    public async Task ListCalls_SeveralPages_TiedTimestamps_EveryCallOnce_BoundsHalfOpen()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 45, MaxPageSize = 10, CallsAtBounds = true, TiedTimestampFraction = 0.2 });
        using var sut = new HubSpotTestContext(hubspot);

        var calls = await sut.ListAsync(AllOfJanuary());

        var expected = hubspot.Calls.Where(c => c.Timestamp < February).Select(c => c.IdText).Order().ToList();
        Assert.Equal(46, expected.Count);
        Assert.Equal(expected, calls.Select(c => c.SourceCallId).Order());
        Assert.True(hubspot.Calls.GroupBy(c => c.Timestamp).Any(g => g.Count() > 1), "the seed has tied timestamps");
        Assert.All(calls, c => Assert.Equal(hubspot.Calls.Single(h => h.IdText == c.SourceCallId).Timestamp, c.StartedAt));
        Assert.Equal(5, hubspot.Log.Requests.Count(r => r.Path.EndsWith("/search", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListCalls_AMonthOf25000Calls_PastTheTenThousandCap_ListsEveryCallOnce()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 25_000, WithMediaFraction = 0, WithTranscriptFraction = 0 });
        using var sut = new HubSpotTestContext(hubspot);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(25_000, calls.Count);
        Assert.Equal(25_000, calls.Select(c => c.SourceCallId).Distinct().Count());
        Assert.Equal(hubspot.Calls.Select(c => c.IdText).Order(), calls.Select(c => c.SourceCallId).Order());
        var searches = hubspot.Log.Requests.Where(r => r.Path.EndsWith("/search", StringComparison.Ordinal)).ToList();
        Assert.All(searches, r => Assert.Equal(200, r.Status)); // never asked past the cap (HubSpot answers 400 there)
        Assert.InRange(searches.Count, 125, 130); // 200 a page, a few pages read again after narrowing
    }

    [Fact]
    public async Task ListCalls_PagesBecomeBatchesOfAtMostAHundred_KeptInTheListingPayload()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 250 });
        using var sut = new HubSpotTestContext(hubspot);

        var calls = await sut.ListAsync(AllOfJanuary());

        var batches = calls.Select(c => HubSpotListingPayload.Read(c.ListingPayload)!.Batch).ToList();
        Assert.All(calls.Zip(batches), pair => Assert.Contains(pair.First.SourceCallId, pair.Second));
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 100));
        Assert.Equal(250, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public async Task Filters_OwnerIdsAndDirection_ReachHubSpot_AndUnknownKeysAreRefusedNamingTheSupportedOnes()
    {
        await using var hubspot = await HubSpotFake.StartAsync(new HubSpotFakeOptions { Calls = 40 });
        using var sut = new HubSpotTestContext(hubspot);

        var owners = await sut.ListAsync(AllOfJanuary(("ownerIds", "101, 102"), ("direction", "outbound")));
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("hubspot_owner_id", "101"))));
        var badOwner = Assert.Throws<ArgumentException>(() => sut.Context.ValidateQuery(AllOfJanuary(("ownerIds", "alice"))));
        var badStatus = Assert.Throws<ArgumentException>(() => sut.Context.ValidateQuery(AllOfJanuary(("status", "DONE"))));

        Assert.Equal(
            hubspot.Calls.Where(c => c.OwnerId is "101" or "102" && c.Direction == "OUTBOUND").Select(c => c.IdText).Order(),
            owners.Select(c => c.SourceCallId).Order());
        Assert.NotEmpty(owners);
        Assert.Contains("Supported filters: ownerIds, direction, status", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("numeric HubSpot owner ids", badOwner.Message, StringComparison.Ordinal);
        Assert.Contains("COMPLETED", badStatus.Message, StringComparison.Ordinal);
    }
}
