using System.Globalization;
using CallImport.Testing.Fakes.Fathom;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

public sealed class FathomContextListingTests
{
    private static string Id(FathomFakeMeeting meeting) => meeting.RecordingId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ListCalls_SeveralPages_YieldsEveryMeetingOnce_WithItsStartAndWholeItem()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 35, PageSize = 10 });
        using var sut = new FathomTestContext(fathom);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Equal(fathom.Meetings.Select(Id).Order(), calls.Select(c => c.SourceCallId).Order());
        Assert.Equal(4, fathom.Requests("meetings"));
        Assert.All(calls, c => Assert.Equal(fathom.Meetings.Single(m => Id(m) == c.SourceCallId).RecordingStart, c.StartedAt));
        Assert.All(calls, c => Assert.Contains("\"transcript\"", c.ListingPayload, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListCalls_RangeEndingDuringAMeeting_StillFindsIt_ThoughFathomStoredItAfterTheRange()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 40 });
        using var sut = new FathomTestContext(fathom);
        var meeting = fathom.Meetings.OrderBy(m => m.RecordingStart).ElementAt(20);
        var from = January.AddDays(2);
        var to = meeting.RecordingStart.AddSeconds(1);
        Assert.True(meeting.CreatedAt >= to, "the fake stores a meeting after it ended");

        var calls = await sut.ListAsync(Query(from, to));

        var expected = fathom.Meetings.Where(m => m.RecordingStart >= from && m.RecordingStart < to).Select(Id).Order().ToList();
        Assert.Contains(Id(meeting), expected);
        Assert.Equal(expected, calls.Select(c => c.SourceCallId).Order());
    }

    [Fact]
    public async Task ListCalls_MeetingsAtBothBounds_TakesTheOneAtFromAndNotTheOneAtTo()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 5, MeetingsAtBounds = true });
        using var sut = new FathomTestContext(fathom);

        var calls = await sut.ListAsync(AllOfJanuary());

        Assert.Contains(calls, c => c.StartedAt == January);
        Assert.DoesNotContain(calls, c => c.StartedAt == February);
        Assert.Equal(6, calls.Count);
    }

    [Fact]
    public async Task ListCalls_TeamAndInviteeDomainFilters_ReachFathom()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 40 });
        using var sut = new FathomTestContext(fathom);

        var sales = await sut.ListAsync(AllOfJanuary(("teams", "Sales")));
        var none = await sut.ListAsync(AllOfJanuary(("calendar_invitees_domains", "nobody.example"), ("recorded_by", "alice@acme.com")));

        var expected = fathom.Meetings.Where(m => m.Team == "Sales").Select(Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < fathom.Meetings.Count);
        Assert.Equal(expected, sales.Select(c => c.SourceCallId).Order());
        Assert.Empty(none);
    }

    [Fact]
    public async Task ListCalls_UnknownFilter_FailsBeforeAnyRequest_NamingTheSupportedOnes()
    {
        await using var fathom = await FathomFake.StartAsync();
        using var sut = new FathomTestContext(fathom);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("colour", "blue"))));

        Assert.Contains("'colour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("recorded_by, teams, calendar_invitees_domains, calendar_invitees_domains_type", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fathom.Log.Count);
    }

    [Fact]
    public async Task ListCalls_BadDomainsType_NamesTheAllowedValues()
    {
        await using var fathom = await FathomFake.StartAsync();
        using var sut = new FathomTestContext(fathom);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.ListAsync(AllOfJanuary(("calendar_invitees_domains_type", "externals"))));

        Assert.Contains("all, only_internal, one_or_more_external", error.Message, StringComparison.Ordinal);
    }
}
