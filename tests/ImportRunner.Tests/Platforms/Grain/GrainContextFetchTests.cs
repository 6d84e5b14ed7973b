using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.Grain;

namespace CallImport.ImportRunner.Tests.Platforms.Grain;

public sealed class GrainContextFetchTests
{
    [Fact]
    public async Task FetchCall_Recording_MapsMetadataAndParticipantsWithAffiliation()
    {
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 30 });
        using var sut = new GrainTestContext(grain);
        // One with every kind of participant the seed makes, so each mapping is exercised.
        var recording = grain.Recordings.First(r => r.Participants.Any(p => p.Email is null) && r.Participants.Any(p => p.Scope == "unknown"));

        var call = await sut.FetchAsync(recording.Id);

        Assert.Equal(recording.Id, call.SourceCallId);
        Assert.Equal(recording.Title, call.Title);
        Assert.Equal(recording.Start, call.StartedAt);
        Assert.Equal(recording.End - recording.Start, call.Duration);
        Assert.Equal(recording.Url, call.WebUrl);
        Assert.Null(call.MediaLocation);
        var expected = recording.Participants.Select(p => new SourceParticipant(p.Name, p.Email, p.Scope switch
        {
            "internal" => Affiliation.Internal,
            "external" => Affiliation.External,
            _ => Affiliation.Unknown,
        }));
        Assert.Equal(expected, call.Participants);
        Assert.Contains(call.Participants, p => p.Affiliation == Affiliation.Internal && p.Email!.EndsWith("@acme.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FetchTranscript_Ready_ParsesSectionsWithMillisecondTimes()
    {
        await using var grain = await GrainFake.StartAsync();
        using var sut = new GrainTestContext(grain);
        var recording = grain.Recordings[3];

        var transcript = await sut.TranscriptAsync(recording.Id);

        Assert.NotNull(transcript);
        var expected = recording.Transcript.Select(s =>
            new TranscriptSegment(s.Speaker, TimeSpan.FromMilliseconds(s.StartMs), TimeSpan.FromMilliseconds(s.EndMs), s.Text));
        Assert.Equal(expected, transcript.Segments);
    }

    [Fact]
    public async Task FetchTranscript_NotReadyYet_ReturnsNullSoTranscriptionIsQueued()
    {
        await using var grain = await GrainFake.StartAsync();
        var recording = grain.Recordings[0];
        grain.Faults.TranscriptNotReadyFor(recording.Id);
        using var sut = new GrainTestContext(grain);

        var transcript = await sut.TranscriptAsync(recording.Id);

        Assert.Null(transcript);
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.TranscriptNotReady));
    }

    [Fact]
    public async Task FetchCall_MalformedPayload_ThrowsPermanentCallException()
    {
        await using var grain = await GrainFake.StartAsync();
        var recording = grain.Recordings[1];
        grain.Faults.MalformedDetailFor(recording.Id);
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(recording.Id));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Contains(recording.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchCall_DeletedRecording_ThrowsPermanentCallException()
    {
        await using var grain = await GrainFake.StartAsync();
        var recording = grain.Recordings[2];
        grain.Faults.NotFoundFor(recording.Id);
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync(recording.Id));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchTranscript_DeletedRecording_ThrowsPermanentCallException()
    {
        await using var grain = await GrainFake.StartAsync();
        var recording = grain.Recordings[2];
        grain.Faults.NotFoundFor(recording.Id);
        using var sut = new GrainTestContext(grain);

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => sut.TranscriptAsync(recording.Id));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchCall_IdWithReservedCharacters_IsEscapedIntoOnePathSegment()
    {
        await using var grain = await GrainFake.StartAsync();
        using var sut = new GrainTestContext(grain);

        // Unescaped, "../recordings" would walk to the listing endpoint; escaped it is one unknown id.
        await Assert.ThrowsAsync<PermanentCallException>(() => sut.FetchAsync("x/../../recordings"));

        Assert.Equal(0, grain.Traffic.Requests(GrainFakeEndpoint.ListRecordings));
        Assert.Equal(1, grain.Traffic.Faults(GrainFakeFault.NotFound));
    }

    [Fact]
    public async Task OpenMedia_AnyRecording_ReturnsNullBecauseGrainV2HasNoMedia()
    {
        await using var grain = await GrainFake.StartAsync();
        using var sut = new GrainTestContext(grain);
        var call = await sut.FetchAsync(grain.Recordings[0].Id);

        var media = await sut.Context.OpenMediaAsync(call, CancellationToken.None);

        Assert.Null(media);
        Assert.False(new CallImport.ImportRunner.Platforms.Grain.GrainContextFactory().ProvidesMedia);
    }
}
