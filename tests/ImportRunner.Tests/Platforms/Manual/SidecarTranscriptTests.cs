using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class SidecarTranscriptTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<Transcript?> TranscriptOfAsync(string recording)
    {
        var context = _folder.Context();
        var reference = (await _folder.ListAsync(context: context)).Single(c => c.SourceCallId == recording);
        var call = await context.FetchCallAsync(reference, CancellationToken.None);
        return await context.FetchTranscriptAsync(call, CancellationToken.None);
    }

    [Fact]
    public async Task VttSidecar_CuesBecomeSegmentsWithVoiceSpeakers()
    {
        _folder.Recording("call.mp3");
        _folder.Write("call.mp3.vtt", """
            WEBVTT

            NOTE exported by a recorder

            1
            00:00:01.000 --> 00:00:04.500
            <v Dana Scully>Hello, <b>everyone</b>.</v>

            00:05.250 --> 00:07.000 align:start
            <v.loud Fox Mulder>Hi Dana &amp; team.
            <v Dana Scully>Let's start.
            """);

        var transcript = await TranscriptOfAsync("call.mp3");

        Assert.NotNull(transcript);
        Assert.Equal(
            [
                new TranscriptSegment("Dana Scully", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4.5), "Hello, everyone."),
                new TranscriptSegment("Fox Mulder", TimeSpan.FromSeconds(5.25), TimeSpan.FromSeconds(7), "Hi Dana & team."),
                new TranscriptSegment("Dana Scully", TimeSpan.FromSeconds(5.25), TimeSpan.FromSeconds(7), "Let's start."),
            ],
            transcript.Segments);
    }

    [Fact]
    public async Task SrtSidecarNamedAfterTheStem_CuesWithNamePrefixSpeakers()
    {
        _folder.Recording("meetings/review.m4a");
        _folder.Write("meetings/review.srt", "1\r\n00:00:00,500 --> 00:00:02,000\r\nAnn Lee: First point.\r\nStill Ann.\r\n\r\n2\r\n00:01:02,000 --> 00:01:03,250\r\nNo speaker here\r\n");

        var transcript = await TranscriptOfAsync("meetings/review.m4a");

        Assert.NotNull(transcript);
        Assert.Equal(
            [
                new TranscriptSegment("Ann Lee", TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), "First point. Still Ann."),
                new TranscriptSegment(null, TimeSpan.FromSeconds(62), TimeSpan.FromSeconds(63.25), "No speaker here"),
            ],
            transcript.Segments);
    }

    [Fact]
    public async Task TextSidecar_LinesWithOptionalTimesAndSpeakers()
    {
        _folder.Recording("call.wav");
        _folder.Write("call.txt", "[00:00:03] Ann: Hello.\nwrapped line\n00:10 Bob: Hi.\n");

        var transcript = await TranscriptOfAsync("call.wav");

        Assert.NotNull(transcript);
        Assert.Equal(
            [
                new TranscriptSegment("Ann", TimeSpan.FromSeconds(3), null, "Hello. wrapped line"),
                new TranscriptSegment("Bob", TimeSpan.FromSeconds(10), null, "Hi."),
            ],
            transcript.Segments);
    }

    [Fact]
    public async Task NoSidecar_NoTranscript()
    {
        _folder.Recording("call.mp3");
        _folder.Recording("other.mp3");
        _folder.Write("other.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nNot for call.mp3\n");

        Assert.Null(await TranscriptOfAsync("call.mp3"));
        Assert.NotNull(await TranscriptOfAsync("other.mp3"));
    }

    [Fact]
    public async Task SidecarWithoutCues_NoTranscript()
    {
        _folder.Recording("call.mp3");
        _folder.Write("call.vtt", "WEBVTT\n\nNOTE nothing was said\n");

        Assert.Null(await TranscriptOfAsync("call.mp3"));
    }

    [Fact]
    public async Task SidecarOfAManifestRow_IsFoundToo()
    {
        _folder.Recording("a.mp3");
        _folder.Write("a.mp3.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n");
        _folder.Write("manifest.csv", "file,id\na.mp3,crm-1\n");

        var transcript = await TranscriptOfAsync("crm-1");

        Assert.Equal("Hello", Assert.Single(transcript!.Segments).Text);
    }

    [Fact]
    public void Parse_SentenceWithColon_IsNotTakenForASpeaker()
    {
        var transcript = SidecarTranscript.Parse("00:00:01.000 --> 00:00:02.000\nThe plan is simple, really: ship it.\n", ".srt");

        Assert.Null(Assert.Single(transcript!.Segments).Speaker);
    }
}
