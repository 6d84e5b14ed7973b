using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Zoom;

namespace CallImport.ImportRunner.Tests.Platforms.Zoom;

public sealed class ZoomContextFetchTests
{
    [Fact]
    public async Task Fetch_EveryMeeting_IncludingAwkwardUuids_MapsTopicStartDurationAndParticipants()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 12, AwkwardUuidFraction = 0.5 });
        using var sut = new ZoomTestContext(zoom);
        Assert.Contains(zoom.Meetings, m => m.NeedsDoubleEncoding);

        foreach (var listed in await sut.ListAsync(ZoomTestContext.AllOfJanuary()))
        {
            var meeting = zoom.Meetings.Single(m => m.Uuid == listed.SourceCallId);
            var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);

            Assert.Equal((meeting.Topic, meeting.Start, TimeSpan.FromMinutes(meeting.DurationMinutes)), (call.Title, call.StartedAt, call.Duration));
            var host = call.Participants[0];
            Assert.Equal((meeting.Host.Email, Affiliation.Internal), (host.Email, host.Affiliation));
            var people = meeting.Participants.Count < 2 ? 1 : meeting.Participants.Select(p => p.Email ?? "name:" + p.Name).Distinct().Count();
            Assert.Equal(people, call.Participants.Count);
        }
        Assert.Equal(0, zoom.Traffic.Faults(ZoomFakeFault.WrongEncoding));
    }

    [Fact]
    public async Task Fetch_WithoutTheListing_KnowsTheHostAsTheParticipantWithTheHostsId()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 20 });
        var meeting = zoom.Meetings.First(m => m.Participants.Count >= 2);
        using var sut = new ZoomTestContext(zoom);

        var call = await sut.FetchAsync(meeting.Uuid);

        Assert.Equal((meeting.Host.Name, meeting.Host.Email, Affiliation.Internal), (call.Participants[0].Name, call.Participants[0].Email, call.Participants[0].Affiliation));
        Assert.Single(call.Participants, p => p.Affiliation == Affiliation.Internal);
    }

    [Fact]
    public async Task Fetch_ParticipantsNotAllowed_CarriesTheHostOnly_AndStopsAsking()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 6 });
        zoom.ParticipantsAvailable = false;
        using var sut = new ZoomTestContext(zoom);

        // The host's email comes from the listing (a meeting's own recordings name only the host's id).
        foreach (var listed in await sut.ListAsync(ZoomTestContext.AllOfJanuary()))
        {
            var meeting = zoom.Meetings.Single(m => m.Uuid == listed.SourceCallId);
            var call = await sut.Context.FetchCallAsync(listed, CancellationToken.None);
            Assert.Equal([(meeting.Host.Email, Affiliation.Internal)], call.Participants.Select(p => (p.Email, p.Affiliation)));
        }
        Assert.Equal(1, zoom.Traffic.Count(ZoomFakeEndpoint.PastMeetingParticipants));
    }

    [Fact]
    public async Task OpenMedia_StreamsTheMp4ThroughTheRedirect_ByteForByte()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 5 });
        using var sut = new ZoomTestContext(zoom);

        foreach (var meeting in zoom.Meetings)
        {
            var call = await sut.FetchAsync(meeting.Uuid);
            var (sha, media) = await sut.MediaAsync(call);

            Assert.Equal(meeting.Media!.Sha256, sha);
            Assert.Equal((".mp4", "video/mp4", (long?)meeting.Media.Content.Length), (media!.FileExtension, media.ContentType, media.Length));
        }
        Assert.Equal(5, zoom.Traffic.Count(ZoomFakeEndpoint.Storage));
        Assert.Equal(0, zoom.Traffic.Faults(ZoomFakeFault.AuthorizationOnStorage) + zoom.Traffic.Faults(ZoomFakeFault.LoginPage));
    }

    [Fact]
    public async Task OpenMedia_MeetingWithoutMediaFiles_IsNull()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 3, WithMediaFraction = 0 });
        using var sut = new ZoomTestContext(zoom);

        var call = await sut.FetchAsync(zoom.Meetings[0].Uuid);

        Assert.Null((await sut.MediaAsync(call)).Sha256);
    }

    [Fact]
    public async Task FetchTranscript_TheVttFile_BecomesSpeakerSegments()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 10, WithTranscriptFraction = 0.5 });
        using var sut = new ZoomTestContext(zoom);

        foreach (var meeting in zoom.Meetings)
        {
            var transcript = await sut.Context.FetchTranscriptAsync(await sut.FetchAsync(meeting.Uuid), CancellationToken.None);

            if (meeting.Transcript is null)
            {
                Assert.Null(transcript);
                continue;
            }
            var cues = System.Text.Encoding.UTF8.GetString(meeting.Transcript.Content).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
            Assert.Equal(cues, transcript!.Segments.Count);
            Assert.All(transcript.Segments, s => Assert.Contains(meeting.Participants, p => p.Name == s.Speaker));
        }
        Assert.Contains(zoom.Meetings, m => m.Transcript is null);
    }

    [Fact]
    public async Task Fetch_FilesStillProcessing_IsRetriedLater_NotFailed()
    {
        await using var zoom = await ZoomFake.StartAsync(new ZoomFakeOptions { MeetingCount = 2 });
        var uuid = zoom.Meetings[0].Uuid;
        zoom.Faults.Processing(uuid, requests: 1);
        using var sut = new ZoomTestContext(zoom);

        var error = await Assert.ThrowsAsync<CallNotReadyException>(() => sut.FetchAsync(uuid));
        var later = await sut.FetchAsync(uuid);

        Assert.Contains("processing", error.Message, StringComparison.Ordinal);
        Assert.Equal(zoom.Meetings[0].Topic, later.Title);
    }
}
