using System.Globalization;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Fathom;
using static CallImport.ImportRunner.Tests.Platforms.PlatformTestContext;

namespace CallImport.ImportRunner.Tests.Platforms.Fathom;

public sealed class FathomContextFetchTests
{
    [Fact]
    public async Task FetchCall_MapsTheListedMeeting_WithoutAnotherRequest()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 3 });
        using var sut = new FathomTestContext(fathom);
        var listed = (await sut.ListAsync(AllOfJanuary()))[0];
        var meeting = fathom.Meetings.Single(m => m.RecordingId.ToString(CultureInfo.InvariantCulture) == listed.SourceCallId);
        var requests = fathom.Log.Count;

        var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);

        Assert.Equal(requests, fathom.Log.Count);
        Assert.Equal(meeting.Title, call.Title);
        Assert.Equal(meeting.RecordingStart, call.StartedAt);
        Assert.Equal(meeting.RecordingEnd - meeting.RecordingStart, call.Duration);
        Assert.Contains(call.Participants, p => p.Affiliation == Affiliation.External && p.Email!.EndsWith("@example.org", StringComparison.Ordinal));
        Assert.Contains(call.Participants, p => p.Affiliation == Affiliation.Internal && p.Email == meeting.RecorderEmail);
        Assert.Equal($"https://fathom.video/calls/{meeting.RecordingId}", call.WebUrl);
        Assert.Null(await sut.Context.OpenMediaAsync(call, CancellationToken.None));
    }

    [Fact]
    public async Task FetchTranscript_Inline_ParsesHoursMinutesSeconds_EndingEachLineWhereTheNextBegins()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 3 });
        using var sut = new FathomTestContext(fathom);
        var listed = (await sut.ListAsync(AllOfJanuary()))[0];
        var meeting = fathom.Meetings.Single(m => m.RecordingId.ToString(CultureInfo.InvariantCulture) == listed.SourceCallId);
        var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);
        var requests = fathom.Log.Count;

        var transcript = await sut.Context.FetchTranscriptAsync(call, CancellationToken.None);

        Assert.Equal(requests, fathom.Log.Count);
        Assert.NotNull(transcript);
        Assert.Equal(meeting.Transcript.Select(t => t.Text), transcript.Segments.Select(s => s.Text));
        Assert.Equal(meeting.Transcript.Select(t => t.Speaker), transcript.Segments.Select(s => s.Speaker));
        Assert.Equal(TimeSpan.Parse(meeting.Transcript[1].Timestamp, CultureInfo.InvariantCulture), transcript.Segments[1].Start);
        Assert.Equal(transcript.Segments[1].Start, transcript.Segments[0].End);
        Assert.Null(transcript.Segments[^1].End);
    }

    [Fact]
    public async Task FetchTranscript_NotInTheListing_AsksTheTranscriptEndpoint_And404MeansNone()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 10, WithTranscriptFraction = 0.5 });
        using var sut = new FathomTestContext(fathom);
        var listed = await sut.ListAsync(AllOfJanuary());
        var without = listed.First(c => fathom.WithoutTranscript.Contains(long.Parse(c.SourceCallId, CultureInfo.InvariantCulture)));
        var call = await sut.Context.FetchCallAsync(without, CancellationToken.None);

        var transcript = await sut.Context.FetchTranscriptAsync(call, CancellationToken.None);

        Assert.Null(transcript);
        Assert.Equal(1, fathom.Requests($"recordings/{without.SourceCallId}/transcript"));
    }

    [Fact]
    public async Task FetchCall_MalformedItem_FailsThatCallAlone_AsMalformed()
    {
        await using var fathom = await FathomFake.StartAsync(new FathomFakeOptions { Meetings = 10, MalformedMeetings = 2 });
        using var sut = new FathomTestContext(fathom);
        var listed = await sut.ListAsync(AllOfJanuary());

        var outcomes = new Dictionary<string, Exception?>();
        foreach (var call in listed)
            outcomes[call.SourceCallId] = await Record.ExceptionAsync(() => sut.Context.FetchCallAsync(call, CancellationToken.None));

        Assert.Equal(10, listed.Count);
        var failed = outcomes.Where(o => o.Value is not null).ToList();
        Assert.Equal(fathom.Malformed.Select(id => id.ToString(CultureInfo.InvariantCulture)).Order(), failed.Select(f => f.Key).Order());
        Assert.All(failed, f => Assert.Contains("malformed payload", Assert.IsType<PermanentCallException>(f.Value).Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidateCredentials_RefusedKey_IsACredentialsRefusal_WithoutTheKey()
    {
        await using var fathom = await FathomFake.StartAsync();
        using var sut = new FathomTestContext(fathom, apiKey: "fathom-wrong-key-81c2");

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() => sut.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fathom-wrong-key-81c2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateCredentials_GoodKey_OneRequest()
    {
        await using var fathom = await FathomFake.StartAsync();
        using var sut = new FathomTestContext(fathom);

        await sut.Context.ValidateCredentialsAsync(CancellationToken.None);

        Assert.Equal(1, fathom.Log.CountWithStatus(200));
    }
}
