using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Storage;
using CallImport.Testing.Fakes.Gcs;
using Xunit.Abstractions;

namespace CallImport.ImportRunner.Tests.Storage;

public sealed class GcsMediaStorageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Bucket = "media-bucket";
    private const int ChunkSize = 1024 * 1024;
    private GcsFake _gcs = null!;

    public async Task InitializeAsync() => _gcs = await GcsFake.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var line in _gcs.Traffic.Requests.Take(40))
            output.WriteLine(line);
        await _gcs.DisposeAsync();
    }

    private IMediaStorage CreateSut(string prefix = "imports") => GcsMediaStorage.Create(Bucket, prefix, _gcs.Endpoint, ChunkSize);

    [Fact]
    public async Task PutAsync_MultiChunkNonSeekableStream_StoresIdenticalBytesAndReportsMd5()
    {
        var storage = CreateSut();
        var expected = GeneratedMedia.Bytes(5 * ChunkSize + 12345);

        var stored = await storage.PutAsync("acme/grain/id-1/media.mp4", new GeneratedMedia(expected.Length), "video/mp4", expected.Length, default);

        Assert.Equal($"gs://{Bucket}/imports/acme/grain/id-1/media.mp4", stored.Uri);
        Assert.Equal(expected.Length, stored.Length);
        Assert.Equal(GeneratedMedia.Md5Base64(expected), stored.Checksum);
        Assert.Equal(expected, _gcs.ReadObject(Bucket, "imports/acme/grain/id-1/media.mp4"));
        Assert.Equal(1, _gcs.Traffic.UploadSessions);
        Assert.True(_gcs.Traffic.ChunkPuts >= 6, $"expected at least 6 chunk PUTs, saw {_gcs.Traffic.ChunkPuts}");
        Assert.Contains(_gcs.Traffic.Requests, r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.EndsWith("/*", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenReadAsync_AfterMultiChunkPut_ReturnsTheSameBytes()
    {
        var storage = CreateSut();
        var expected = GeneratedMedia.Bytes(3 * ChunkSize + 17, seed: 11);
        await storage.PutAsync("acme/grain/id-2/media.mp4", new GeneratedMedia(expected.Length, seed: 11), "video/mp4", null, default);

        await using var read = await storage.OpenReadAsync("acme/grain/id-2/media.mp4", default);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);

        Assert.Equal(expected, copy.ToArray());
    }

    [Fact]
    public async Task PutAsync_UploadSessionStart_SendsGzippedMetadataTheFakeUnderstands()
    {
        var storage = CreateSut();

        await storage.PutAsync("acme/grain/id-3/media.mp4", new MemoryStream([1, 2, 3]), "audio/mpeg", 3, default);

        // The name is only in the gzip-encoded JSON body (not the query), so the stored name proves the body was read.
        Assert.Contains(_gcs.Traffic.Requests, r => r.StartsWith("POST /upload/storage/v1/b/media-bucket/o?uploadType=resumable", StringComparison.Ordinal)
            && r.EndsWith("[Content-Encoding: gzip]", StringComparison.Ordinal));
        Assert.Equal(["imports/acme/grain/id-3/media.mp4"], _gcs.ObjectNames(Bucket));
    }

    [Fact]
    public async Task FindAsync_BeforeAndAfterPut_ReturnsNullThenTheStoredObject()
    {
        var storage = CreateSut();
        var content = GeneratedMedia.Bytes(1000);

        var before = await storage.FindAsync("acme/grain/id-4/media.mp4", default);
        var put = await storage.PutAsync("acme/grain/id-4/media.mp4", new MemoryStream(content), "video/mp4", content.Length, default);
        var after = await storage.FindAsync("acme/grain/id-4/media.mp4", default);

        Assert.Null(before);
        Assert.Equal(put, after);
        Assert.Equal(GeneratedMedia.Md5Base64(content), after!.Checksum);
    }

    [Fact]
    public async Task ListAsync_ByPrefix_YieldsNamesRelativeToTheStoragePrefixOnly()
    {
        var storage = CreateSut();
        foreach (var name in new[] { "acme/grain/id-1/media.mp4", "acme/grain/id-2/media.mp4", "acme/gong/id-1/media.mp4", "zeta/grain/id-1/media.mp4" })
            await storage.PutAsync(name, new MemoryStream([42]), "video/mp4", 1, default);
        _gcs.PutObject(Bucket, "elsewhere/acme/grain/id-9/media.mp4", [1]);

        var listed = new List<string>();
        await foreach (var name in storage.ListAsync("acme/grain/", default))
            listed.Add(name);

        Assert.Equal(["acme/grain/id-1/media.mp4", "acme/grain/id-2/media.mp4"], listed);
    }

    [Fact]
    public async Task ListAsync_MoreObjectsThanOnePage_FollowsPageTokens()
    {
        var storage = GcsMediaStorage.Create(Bucket, "", _gcs.Endpoint, ChunkSize);
        var expected = Enumerable.Range(0, 1205).Select(i => $"acme/manual/{i:D5}.wav").ToList();
        foreach (var name in expected)
            _gcs.PutObject(Bucket, name, [7]);

        var listed = new List<string>();
        await foreach (var name in storage.ListAsync("acme/", default))
            listed.Add(name);

        Assert.Equal(expected, listed);
        Assert.Contains(_gcs.Traffic.Requests, r => r.Contains("pageToken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutAsync_NameWithSpacesAndUnicode_RoundTripsThroughEncodedPaths()
    {
        var storage = CreateSut("tenant a/media");
        const string name = "acme/manual/Q1 call #3 – résumé?.mp3";

        await storage.PutAsync(name, new MemoryStream([9, 8, 7]), "audio/mpeg", 3, default);
        var found = await storage.FindAsync(name, default);
        await using var read = await storage.OpenReadAsync(name, default);
        var listed = new List<string>();
        await foreach (var item in storage.ListAsync("acme/manual/", default))
            listed.Add(item);

        Assert.Equal($"gs://{Bucket}/tenant a/media/{name}", found!.Uri);
        Assert.Equal([$"tenant a/media/{name}"], _gcs.ObjectNames(Bucket));
        Assert.Equal(3, read.Length);
        Assert.Equal([name], listed);
        Assert.Contains(_gcs.Traffic.Requests, r => r.StartsWith("GET /storage/v1/b/media-bucket/o/tenant%20a%2Fmedia%2Facme%2F", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutAsync_ChunkAnswered503_RetriesAndCompletesWithIdenticalBytes()
    {
        var storage = CreateSut();
        var expected = GeneratedMedia.Bytes(4 * ChunkSize + 99, seed: 3);
        _gcs.Faults.FailNextChunkPuts(1);

        var stored = await storage.PutAsync("acme/grain/id-5/media.mp4", new GeneratedMedia(expected.Length, seed: 3), "video/mp4", expected.Length, default);

        Assert.Equal(expected.Length, stored.Length);
        Assert.Equal(expected, _gcs.ReadObject(Bucket, "imports/acme/grain/id-5/media.mp4"));
        Assert.Equal(1, _gcs.Traffic.UploadSessions);
    }

    [Fact]
    public async Task PutAsync_StoredBytesCorrupted_ThrowsMediaIntegrityExceptionAndLeavesNoObject()
    {
        var storage = CreateSut();
        _gcs.Faults.CorruptNextUpload();

        var error = await Assert.ThrowsAsync<MediaIntegrityException>(() =>
            storage.PutAsync("acme/grain/id-6/media.mp4", new GeneratedMedia(2 * ChunkSize + 5), "video/mp4", null, default));

        Assert.Contains("CRC32C", error.Message, StringComparison.Ordinal);
        Assert.Empty(_gcs.ObjectNames(Bucket));
        Assert.Null(await storage.FindAsync("acme/grain/id-6/media.mp4", default));
    }

    [Fact]
    public async Task PutAsync_ServerStoresCorruptedBytesWithoutCheckingTheClientHash_Md5CheckThrowsAndDeletesTheObject()
    {
        var storage = CreateSut();
        _gcs.Faults.CorruptNextUpload(verifyClientChecksum: false);

        var error = await Assert.ThrowsAsync<MediaIntegrityException>(() =>
            storage.PutAsync("acme/grain/id-11/media.mp4", new GeneratedMedia(ChunkSize + 5), "video/mp4", ChunkSize + 5, default));

        Assert.Contains("MD5", error.Message, StringComparison.Ordinal);
        Assert.Empty(_gcs.ObjectNames(Bucket));
        Assert.Contains(_gcs.Traffic.Requests, r => r.StartsWith("DELETE /storage/v1/b/media-bucket/o/imports%2Facme%2Fgrain%2Fid-11", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutAsync_SourceShorterThanExpectedLength_ThrowsMediaIntegrityExceptionAndLeavesNoObject()
    {
        var storage = CreateSut();

        var error = await Assert.ThrowsAsync<MediaIntegrityException>(() =>
            storage.PutAsync("acme/grain/id-7/media.mp4", new GeneratedMedia(ChunkSize + 10), "video/mp4", ChunkSize + 11, default));

        Assert.Contains("expected 1048587 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(_gcs.ObjectNames(Bucket));
    }

    [Fact]
    public async Task PutAsync_64MiBNonSeekableStream_ArrivesInRequestsNoLargerThanOneChunk()
    {
        var storage = CreateSut();
        const long length = 64L * 1024 * 1024;

        var stored = await storage.PutAsync("acme/grain/id-8/media.mp4", new GeneratedMedia(length, seed: 5), "video/mp4", length, default);

        Assert.Equal(length, stored.Length);
        Assert.True(_gcs.Traffic.ChunkPuts >= 64, $"expected at least 64 chunk PUTs, saw {_gcs.Traffic.ChunkPuts}");
        Assert.InRange(_gcs.Traffic.MaxRequestBodyBytes, 1, ChunkSize);
        await using var storedBytes = _gcs.OpenObject(Bucket, "imports/acme/grain/id-8/media.mp4");
        await using var regenerated = new GeneratedMedia(length, seed: 5);
        Assert.True(await SameContentAsync(storedBytes, regenerated), "the stored object differs from the generated stream");
    }

    [Fact]
    public async Task PutAsync_StorageRefuses403_ThrowsCredentialsRejectedNamingTheBucket()
    {
        var storage = CreateSut();
        _gcs.Faults.RefuseAllRequests(403);

        var error = await Assert.ThrowsAsync<CredentialsRejectedException>(() =>
            storage.PutAsync("acme/grain/id-9/media.mp4", new MemoryStream([1]), "video/mp4", 1, default));

        Assert.Contains($"check the service account's access to gs://{Bucket}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_StorageAnswers429_ThrowsTransientCallException()
    {
        var storage = CreateSut();
        _gcs.Faults.RefuseAllRequests(429);

        await Assert.ThrowsAsync<TransientCallException>(() => storage.FindAsync("acme/grain/id-10/media.mp4", default));
    }

    [Fact]
    public async Task OpenReadAsync_MissingObject_ThrowsFileNotFound()
    {
        var storage = CreateSut();

        await Assert.ThrowsAsync<FileNotFoundException>(() => storage.OpenReadAsync("acme/grain/none/media.mp4", default));
    }

    [Fact]
    public async Task PutAsync_SourceStreamBreaksMidway_RethrowsTheSourceFailureAndStoresNothing()
    {
        var storage = CreateSut();
        var source = new BreakingStream(new GeneratedMedia(3 * ChunkSize), failAfter: ChunkSize + 10);

        var error = await Assert.ThrowsAsync<IOException>(() =>
            storage.PutAsync("acme/grain/id-12/media.mp4", source, "video/mp4", 3 * ChunkSize, default));

        Assert.Equal(BreakingStream.FailureMessage, error.Message);
        Assert.Empty(_gcs.ObjectNames(Bucket));
    }

    private static async Task<bool> SameContentAsync(Stream left, Stream right)
    {
        var a = new byte[1 << 16];
        var b = new byte[1 << 16];
        while (true)
        {
            var read = await left.ReadAtLeastAsync(a, a.Length, throwOnEndOfStream: false);
            var other = await right.ReadAtLeastAsync(b, read == 0 ? 1 : read, throwOnEndOfStream: false);
            if (read != other || !a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, other)))
                return false;
            if (read == 0)
                return true;
        }
    }
}
