using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

public sealed class FirefliesCallMappingTests
{
    private static FirefliesTranscript Meeting(double? date = 1_767_225_600_000, IReadOnlyList<string?>? participants = null,
        IReadOnlyList<FirefliesSentence>? sentences = null, string? status = "processed") =>
        new("m1", " Weekly sync ", date, 42.5, "alice@acme.com", participants ?? ["alice@acme.com", "dana@example.org,bruno@acme.com"],
            [new FirefliesAttendee("Dana Smith", "dana@example.org")], "https://app.fireflies.ai/view/m1", "https://media.example/a.mp3",
            new FirefliesMeetingInfo(status), sentences);

    [Fact]
    public void ToSourceCall_DateInEpochMs_DurationInMinutes()
    {
        var call = FirefliesCallMapping.ToSourceCall("m1", Meeting());

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), call.StartedAt);
        Assert.Equal(TimeSpan.FromMinutes(42.5), call.Duration);
        Assert.Equal("Weekly sync", call.Title);
        Assert.Equal("https://app.fireflies.ai/view/m1", call.WebUrl);
        Assert.Equal("https://media.example/a.mp3", call.MediaLocation);
    }

    [Fact]
    public void ToSourceCall_ParticipantsAreEmails_SplitWhenPacked_NamedFromAttendees_AffiliationLeftToTheDomains()
    {
        var call = FirefliesCallMapping.ToSourceCall("m1", Meeting());

        Assert.Equal(["alice@acme.com", "dana@example.org", "bruno@acme.com"], call.Participants.Select(p => p.Email));
        Assert.Equal("Dana Smith", call.Participants.Single(p => p.Email == "dana@example.org").Name);
        Assert.All(call.Participants, p => Assert.Equal(Affiliation.Unknown, p.Affiliation));
    }

    [Fact]
    public void ToTranscript_SentenceTimesInSeconds_SpeakerKept_EmptyTextsDropped()
    {
        var transcript = FirefliesCallMapping.ToTranscript(
            [new FirefliesSentence("Alice", "Hello.", 1.5, 3.25), new FirefliesSentence("Dana", "  ", 4, 5), new FirefliesSentence("Dana", "Hi!", 4.0, 2.0)]);

        Assert.NotNull(transcript);
        Assert.Equal(2, transcript.Segments.Count);
        Assert.Equal(new TranscriptSegment("Alice", TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(3.25), "Hello."), transcript.Segments[0]);
        Assert.Null(transcript.Segments[1].End); // an end before the start is not kept
        Assert.Null(FirefliesCallMapping.ToTranscript([]));
    }

    [Fact]
    public void IsProcessing_OnlyWithoutSentencesAndWhileFirefliesSaysProcessing()
    {
        Assert.True(FirefliesCallMapping.IsProcessing(Meeting(sentences: null, status: "processing")));
        Assert.False(FirefliesCallMapping.IsProcessing(Meeting(sentences: null, status: "skipped")));
        Assert.False(FirefliesCallMapping.IsProcessing(Meeting(sentences: [new FirefliesSentence("A", "x", 0, 1)], status: "processing")));
    }

    [Fact]
    public void StartOf_NoDate_IsNull()
    {
        Assert.Null(FirefliesCallMapping.StartOf(Meeting(date: null)));
    }
}
