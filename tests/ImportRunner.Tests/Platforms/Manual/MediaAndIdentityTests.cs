using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Platforms.Manual;

public sealed class MediaAndIdentityTests : IDisposable
{
    private readonly UploadFolderFixture _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task OpenMedia_StreamsTheFileBytesWithLengthAndType()
    {
        var bytes = _folder.Recording("calls/big.mov", length: 3 * 1024 * 1024 + 17);
        var context = _folder.Context();
        var call = await context.FetchCallAsync(Assert.Single(await _folder.ListAsync(context: context)), CancellationToken.None);

        await using var media = await context.OpenMediaAsync(call, CancellationToken.None);

        Assert.NotNull(media);
        // A file stream, read as the processor copies it: the recording is never loaded whole.
        Assert.IsType<FileStream>(media.Content);
        Assert.Equal(bytes.Length, media.Length);
        Assert.Equal("video/quicktime", media.ContentType);
        Assert.Equal(".mov", media.FileExtension);
        using var copy = new MemoryStream();
        await media.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task OpenMedia_FileRemovedAfterListing_FailsPermanently()
    {
        _folder.Recording("a.wav");
        var context = _folder.Context();
        var call = await context.FetchCallAsync(Assert.Single(await _folder.ListAsync(context: context)), CancellationToken.None);
        File.Delete(_folder.PathOf("a.wav"));

        var error = await Assert.ThrowsAsync<PermanentCallException>(() => context.OpenMediaAsync(call, CancellationToken.None));

        Assert.Contains("'a.wav'", error.Message, StringComparison.Ordinal);
        // The folder's location sits in the credentials: neither the message nor a chained exception quotes it.
        Assert.DoesNotContain(_folder.Root, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_AreStableAcrossListingsAndContexts()
    {
        _folder.Recording("x/1.mp3");
        _folder.Recording("x/2.mp3");
        _folder.Recording("3.webm");
        _folder.Write("manifest.csv", "file,id\nx/2.mp3,crm-2\n");

        var first = await _folder.ListAsync();
        var second = await _folder.ListAsync(context: _folder.Context());

        Assert.Equal(["crm-2", "3.webm", "x/1.mp3"], first.Select(c => c.SourceCallId));
        Assert.Equal(first.Select(c => c.SourceCallId), second.Select(c => c.SourceCallId));
    }

    [Fact]
    public async Task FetchCall_WithOnlyTheId_FindsTheCallAgain()
    {
        _folder.Recording("a.mp3");
        _folder.Write("manifest.csv", "file,title,id\na.mp3,Resumed,crm-7\n");

        // A resumed run may hold nothing but the id it stored.
        var call = await _folder.Context().FetchCallAsync(new CallReference("crm-7"), CancellationToken.None);

        Assert.Equal("Resumed", call.Title);
        Assert.Equal("a.mp3", call.MediaLocation);
    }

    [Fact]
    public async Task FetchCall_IdNoLongerInTheFolder_FailsPermanently()
    {
        _folder.Recording("a.mp3");

        await Assert.ThrowsAsync<PermanentCallException>(() =>
            _folder.Context().FetchCallAsync(new CallReference("gone.mp3"), CancellationToken.None));
    }
}
