using CallImport.ImportRunner.Platforms.Gong;
using CallImport.Testing.Fakes.Gong;

namespace CallImport.ImportRunner.Tests.Platforms.Gong;

public sealed class GongContextListingTests
{
    [Fact]
    public async Task ListCalls_ManyPages_ListsEveryCallOnceWithItsIdAsGongWroteIt()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 250, RateLimit = null });
        using var sut = new GongTestContext(gong);

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary());

        Assert.Equal(gong.CallsIn(GongTestContext.January, GongTestContext.February).Select(c => c.Id), calls.Select(c => c.SourceCallId));
        Assert.Equal(3, gong.Traffic.RequestsTo(GongFakeEndpoint.ListCalls));
        // Ids that are equal as floating point numbers stay distinct.
        Assert.Equal(250, calls.Select(c => c.SourceCallId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(calls, c => Assert.Equal(gong.Call(c.SourceCallId).Started, c.StartedAt));
    }

    [Fact]
    public async Task ListCalls_CallsAtBothBounds_FromIncludedToExcluded()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 20, CallsAtBounds = true });
        using var sut = new GongTestContext(gong);

        var ids = (await sut.ListAsync(GongTestContext.AllOfJanuary())).Select(c => c.SourceCallId).ToList();

        Assert.Contains(gong.Calls[0].Id, ids);
        Assert.DoesNotContain(gong.Calls[^1].Id, ids);
        Assert.Equal(21, ids.Count);
    }

    [Fact]
    public async Task ListCalls_WebConferenceScheduledInRangeButStartedOutside_IsKept()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 200, RateLimit = null });
        using var sut = new GongTestContext(gong);
        // A range boundary between a conference's scheduled time and its start.
        var conference = gong.Calls.First(c => c.Scheduled is { } s && c.Started > s);
        var to = conference.Scheduled!.Value.AddSeconds(1);

        var ids = (await sut.ListAsync(GongTestContext.Query(GongTestContext.January, to))).Select(c => c.SourceCallId).ToList();

        Assert.True(conference.Started >= to);
        Assert.Contains(conference.Id, ids);
    }

    [Fact]
    public async Task ListCalls_EmptyAccount_NoCallsFound404IsAnEmptyListing()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 0 });
        using var sut = new GongTestContext(gong);

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary());

        Assert.Empty(calls);
        Assert.Equal(1, gong.Traffic.Faults(GongFakeFault.NoCallsFound));
    }

    [Fact]
    public async Task ListCalls_WorkspaceFilter_SentToGong()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 60 });
        using var sut = new GongTestContext(gong);
        var workspace = gong.Calls[0].WorkspaceId;

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary(("workspaceId", workspace)));

        Assert.Equal(gong.Calls.Where(c => c.WorkspaceId == workspace).Select(c => c.Id).Order(StringComparer.Ordinal),
            calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.Contains(gong.Traffic.Requests(), r => r.Endpoint == GongFakeEndpoint.ListCalls);
    }

    [Fact]
    public async Task ListCalls_PrimaryUsersFilter_KeepsOnlyTheirCalls()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 60 });
        using var sut = new GongTestContext(gong);
        var users = gong.Calls.Select(c => c.PrimaryUserId).Distinct().Take(2).ToArray();

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary(("primaryUserIds", string.Join(", ", users))));

        Assert.Equal(gong.Calls.Where(c => users.Contains(c.PrimaryUserId)).Select(c => c.Id).Order(StringComparer.Ordinal),
            calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.True(calls.Count < 60);
    }

    [Theory]
    [InlineData("colour", "blue", "Unknown Gong filter 'colour'. Supported filters: workspaceId, primaryUserIds.")]
    [InlineData("workspaceId", "sales", "'workspaceId' must be a Gong workspace id")]
    [InlineData("primaryUserIds", "123, bob", "'primaryUserIds' must be comma-separated Gong user ids")]
    public async Task ListCalls_BadFilter_RefusedBeforeAnyRequestNamingTheFix(string key, string value, string expected)
    {
        await using var gong = await GongFake.StartAsync();
        using var sut = new GongTestContext(gong);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(GongTestContext.AllOfJanuary((key, value))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, gong.Traffic.ApiRequests);
    }

    [Fact]
    public async Task ListingPayload_CarriesTheBatchOfItsPage_AndPrivacy()
    {
        await using var gong = await GongFake.StartAsync(new GongFakeOptions { CallCount = 150, RateLimit = null, PrivateFraction = 0.2 });
        using var sut = new GongTestContext(gong);

        var calls = await sut.ListAsync(GongTestContext.AllOfJanuary());
        var payloads = calls.Select(c => GongListingPayload.Read(c.ListingPayload)!).ToList();

        Assert.Equal(calls.Take(100).Select(c => c.SourceCallId), payloads[0].Batch);
        Assert.Equal(calls.Skip(100).Select(c => c.SourceCallId), payloads[120].Batch);
        Assert.Equal(calls.Select(c => gong.Call(c.SourceCallId).IsPrivate), payloads.Select(p => p.IsPrivate));
    }
}
