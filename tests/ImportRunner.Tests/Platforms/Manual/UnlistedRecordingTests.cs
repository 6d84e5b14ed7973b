using CallImport.ImportRunner.Platforms.Manual;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class UnlistedRecordingTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FolderWithoutManifest_EveryRecordingIsACallWithMinimalMetadata()
    {
        _folder.Recording("team/Weekly sync.MP4");
        var path = _folder.PathOf("team/Weekly sync.MP4");
        var written = new DateTimeOffset(2025, 11, 3, 16, 0, 0, TimeSpan.Zero);
        File.SetLastWriteTimeUtc(path, written.UtcDateTime);

        var reference = Assert.Single(await _folder.ListAsync());
        var call = await _folder.Context().FetchCallAsync(reference, CancellationToken.None);

        Assert.Equal("team/Weekly sync.MP4", call.SourceCallId);
        Assert.Null(reference.StartedAt);
        Assert.Equal("Weekly sync", call.Title);
        Assert.Equal(written, call.StartedAt);
        Assert.Null(call.Duration);
        Assert.Empty(call.Participants);
        Assert.Equal("minimal", call.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task RecordingsMissingFromTheManifest_StillImport()
    {
        _folder.Recording("described.mp3");
        _folder.Recording("forgotten.ogg");
        _folder.Write("manifest.csv", "file,title\ndescribed.mp3,Described\n");

        var calls = await _folder.FetchAllAsync();

        Assert.Equal(["described.mp3", "forgotten.ogg"], calls.Keys);
        Assert.Equal("forgotten", calls["forgotten.ogg"].Call!.Title);
        Assert.Equal("minimal", calls["forgotten.ogg"].Call!.ContextData[ManualUploadContext.MetadataQualityKey]);
    }

    [Fact]
    public async Task OtherFilesAndArchiveDebris_AreNotCalls()
    {
        _folder.Recording("call.aac");
        _folder.Write("call.aac.vtt", "WEBVTT\n");
        _folder.Write("readme.txt", "hello");
        _folder.Write(".DS_Store", "x");
        _folder.Recording("._call.aac");
        _folder.Recording("__MACOSX/call.aac");
        _folder.Recording(".hidden/other.mp3");

        var calls = await _folder.ListAsync();

        Assert.Equal(["call.aac"], calls.Select(c => c.SourceCallId));
    }
}
