using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Zoom;
using Microsoft.Extensions.Time.Testing;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

public sealed class ZoomContextListingTests
{
    [Fact]
    public async Task ListCalls_AYear_WalksMonthByMonth_AndYieldsEveryHostsMeetingOnce()
    {
        var year = (From: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), To: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 120, MeetingsFrom = year.From, MeetingsTo = year.To });
        using var sut = new ZoomTestContext(zoom);

        var calls = await sut.ListAsync(Query(year.From, year.To));

        Assert.Equal(zoom.Meetings.Select(m => m.Uuid).Order(StringComparer.Ordinal), calls.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.True(zoom.Meetings.Select(m => m.Host).Distinct().Count() > 1, "the seed should have several hosts");
        Assert.Equal(0, zoom.Traffic.Faults(ZoomFakeFault.Narrowed));
        Assert.Equal(0, zoom.Traffic.Count(ZoomFakeEndpoint.ListUserRecordings));
        Assert.InRange(zoom.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings), 12, 14);
        Assert.All(calls, c => Assert.Equal(zoom.Meetings.Single(m => m.Uuid == c.SourceCallId).Start, c.StartedAt));
    }

    [Fact]
    public async Task ListCalls_MeetingsExactlyAtBothBounds_KeepsFromAndLeavesTo()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 10, MeetingsAtBounds = true });
        using var sut = new ZoomTestContext(zoom);

        var calls = await sut.ListAsync(AllOfJanuary());

        var atFrom = zoom.Meetings.Single(m => m.Start == January);
        var atTo = zoom.Meetings.Single(m => m.Start == February);
        Assert.Contains(calls, c => c.SourceCallId == atFrom.Uuid);
        Assert.DoesNotContain(calls, c => c.SourceCallId == atTo.Uuid);
        Assert.Equal(11, calls.Count);
    }

    [Fact]
    public async Task ListCalls_ManyPages_FollowsNextPageTokens()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 700 });
        using var sut = new ZoomTestContext(zoom);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(700, calls.Select(c => c.SourceCallId).Distinct().Count());
        Assert.True(zoom.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings) >= 3, "300 meetings per page at most");
    }

    [Fact]
    public async Task ListCalls_PageTokenExpiresWhileCallsAreHandled_RestartsTheWindowWithoutDuplicates()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 650, Time = time });
        using var sut = new ZoomTestContext(zoom, time: time);
        var handled = 0;

        // Slow processing: 20 minutes pass after the 250th call, outliving the token of page 2.
        var calls = await sut.ListAsync(AllOfJanuary(), () =>
        {
            if (++handled == 250) time.Advance(TimeSpan.FromMinutes(20));
            return Task.CompletedTask;
        });

        Assert.Equal(1, zoom.Traffic.Faults(ZoomFakeFault.PageTokenExpired));
        Assert.Equal(650, calls.Count);
        Assert.Equal(650, calls.Select(c => c.SourceCallId).Distinct().Count());
    }

    [Fact]
    public async Task ListCalls_UserFilter_ListsThatHostsRecordingsOnly()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 40 });
        var host = zoom.Users[2];
        using var sut = new ZoomTestContext(zoom);

        var byEmail = await sut.ListAsync(AllOfJanuary(("user", host.Email)));
        var byId = await sut.ListAsync(AllOfJanuary(("user", host.Id)));

        var expected = zoom.Meetings.Where(m => m.Host == host).Select(m => m.Uuid).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, byEmail.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.Equal(expected, byId.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        Assert.Equal(0, zoom.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings));
    }

    [Fact]
    public async Task ListCalls_UnknownFilter_IsRefusedNamingTheSupportedOne_BeforeAnyRequest()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var sut = new ZoomTestContext(zoom);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("host", "someone"))));

        Assert.Contains("'host'", error.Message, StringComparison.Ordinal);
        Assert.Contains("user", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, zoom.Traffic.TotalRequests);
    }

    [Fact]
    public async Task ListCalls_UserZoomDoesNotKnow_IsASettingsError()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var sut = new ZoomTestContext(zoom);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("user", "nobody@acme.com"))));

        Assert.Contains("nobody@acme.com", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCredentials_WrongSecret_IsRefusedWithoutTheSecret()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var sut = new ZoomTestContext(zoom, clientSecret: "wrong-secret-81f3");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("clientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_client", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-81f3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCredentials_Valid_TakesOneTokenAndOneListing()
    {
        await using var zoom = await ZoomFake.StartAsync();
        using var sut = new ZoomTestContext(zoom);

        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);

        Assert.Equal((1, 1), (zoom.Traffic.Count(ZoomFakeEndpoint.Token), zoom.Traffic.Count(ZoomFakeEndpoint.ListAccountRecordings)));
    }
}
