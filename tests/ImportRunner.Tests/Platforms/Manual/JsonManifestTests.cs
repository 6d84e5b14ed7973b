using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class JsonManifestTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task JsonLinesManifest_ReadsParticipantsAsObjectsOrStrings()
    {
        _folder.Recording("calls/one.wav");
        _folder.Recording("calls/two.webm");
        _folder.Write("manifest.jsonl", """
            {"file":"calls/one.wav","title":"One","start_time":"2026-02-01T08:00:00Z","duration":95.5,"participants":[{"name":"Ann","email":"ann@acme.com"},"Bob <bob@client.io>","carol@client.io"],"id":17}

            {"File":"calls/two.webm","Duration":"01:02:03","participants":"Dee <dee@acme.com>"}
            """);

        var calls = await _folder.FetchAllAsync();

        var one = calls["17"].Call!;
        Assert.Equal("One", one.Title);
        Assert.Equal(TimeSpan.FromSeconds(95.5), one.Duration);
        Assert.Equal(
            [new SourceParticipant("Ann", "ann@acme.com"), new SourceParticipant("Bob", "bob@client.io"), new SourceParticipant(null, "carol@client.io")],
            one.Participants);
        Assert.Equal("full", one.ContextData[ManualUploadContext.MetadataQualityKey]);

        var two = calls["calls/two.webm"].Call!;
        Assert.Equal(new TimeSpan(1, 2, 3), two.Duration);
        Assert.Equal([new SourceParticipant("Dee", "dee@acme.com")], two.Participants);
        Assert.Equal("two", two.Title);
        Assert.Equal("partial", two.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task JsonLinesManifest_LineThatIsNotJson_FailsOnlyThatRowNamingItsLine()
    {
        _folder.Recording("a.mp3");
        _folder.Recording("b.mp3");
        _folder.Write("manifest.jsonl", "{\"file\":\"a.mp3\",\"title\":\"A\"}\n{file: b.mp3\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("A", calls["a.mp3"].Call!.Title);
        Assert.Equal("manifest.jsonl row 2: not valid JSON", calls["manifest-row-2"].Failure);
        // The file the broken line meant is still a recording of the folder, imported on its own.
        Assert.Equal("minimal", calls["b.mp3"].Call!.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task JsonArrayManifest_NamedManifestJson_IsReadLikeJsonLines()
    {
        _folder.Recording("a.flac");
        _folder.Write("manifest.json", """
            [
              {"file": "a.flac", "title": "From an array", "start_time": "2026-04-01T12:00:00Z"}
            ]
            """);

        var call = Assert.Single(await _folder.FetchAllAsync()).Value.Call!;

        Assert.Equal("From an array", call.Title);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero), call.StartedAt);
    }

    [Fact]
    public async Task JsonLinesManifest_ObjectWhereTextBelongs_FailsTheRowNamingTheColumn()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.jsonl", "{\"file\":\"a.mp3\",\"title\":{\"text\":\"x\"}}\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal("manifest.jsonl row 1: column 'title': expected text, found object", calls["manifest-row-1"].Failure);
    }
}
