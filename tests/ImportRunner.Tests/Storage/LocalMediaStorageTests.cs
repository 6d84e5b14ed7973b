using System.Security.Cryptography;
using CallImport.ImportRunner.Storage;

namespace CallImport.ImportRunner.Tests.Storage;

/// <summary>Local storage keeps one file per call (no directory per call), checked, and never a half-written object.</summary>
public sealed class LocalMediaStorageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("local-media-").FullName;
    private const string ObjectName = "acme/manual/sales%2Fkickoff.mp3/recording.mp3";

    private LocalMediaStorage CreateSut() => new(_root);

    [Fact]
    public async Task Put_StoresOneFilePerCall_AndFindOpenListSeeTheObjectByItsName()
    {
        var bytes = RandomNumberGenerator.GetBytes(700_000);
        var sut = CreateSut();

        var stored = await sut.PutAsync(ObjectName, new MemoryStream(bytes), "audio/mpeg", bytes.Length, default);

        var file = Assert.Single(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Equal(Path.Combine(_root, "acme", "manual"), Path.GetDirectoryName(file));
        Assert.Equal(new Uri(file).AbsoluteUri, stored.Uri);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Checksum);
        var found = await sut.FindAsync(ObjectName, default);
        Assert.Equal((stored.Uri, bytes.LongLength, stored.Checksum), (found!.Uri, found.Length, found.Checksum));
        await using (var read = await sut.OpenReadAsync(ObjectName, default))
        using (var copy = new MemoryStream())
        {
            await read.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        var listed = new List<string>();
        await foreach (var name in sut.ListAsync("acme/", default)) listed.Add(name);
        Assert.Equal([ObjectName], listed);
    }

    [Fact]
    public async Task RootWithATrailingSlash_StoresObjectsInsideIt()
    {
        // The operator hands runners file:///…/media/ (with the slash); every object was refused as "leaving the root".
        var sut = new LocalMediaStorage(_root + "/");

        var stored = await sut.PutAsync(ObjectName, new MemoryStream([1, 2, 3]), "audio/mpeg", 3, default);

        Assert.StartsWith(new Uri(_root + "/").AbsoluteUri, stored.Uri, StringComparison.Ordinal);
        Assert.NotNull(await sut.FindAsync(ObjectName, default));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.PutAsync("../escape/x/recording.mp3", new MemoryStream([1]), "audio/mpeg", 1, default));
    }

    [Fact]
    public async Task Put_ReplacesTheTemporaryFileOfAKilledUpload_AndLeavesNone()
    {
        var sut = CreateSut();
        await sut.PutAsync(ObjectName, new MemoryStream(new byte[10]), "audio/mpeg", 10, default);
        var partial = Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Single() + ".partial";
        await File.WriteAllBytesAsync(partial, new byte[3]); // what a killed run leaves behind

        await sut.PutAsync(ObjectName, new MemoryStream(new byte[20]), "audio/mpeg", 20, default);

        Assert.False(File.Exists(partial));
        Assert.Equal(20, (await sut.FindAsync(ObjectName, default))!.Length);
    }

    [Fact]
    public async Task Put_OfASourceShorterThanAnnounced_FailsTheIntegrityCheck_AndStoresNothing()
    {
        var sut = CreateSut();

        await Assert.ThrowsAsync<MediaIntegrityException>(() => sut.PutAsync(ObjectName, new MemoryStream(new byte[10]), "audio/mpeg", 11, default));

        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Null(await sut.FindAsync(ObjectName, default));
    }

    [Fact]
    public void FirstPutsOfARun_AtOnceIntoADirectoryNotYetMade_AllStore()
    {
        // The first calls of a run, on several workers, all need the customer's and platform's directory. One worker
        // made it while another's open failed for lack of it; .NET then looks for the directory, finds it made, and
        // reports the failed open as the *file* not found, which was not caught: the call failed and waited a pass
        // (one run in four of the bench's 2,000 calls). Threads of their own, released together, to meet that moment.
        const int workers = 4;
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        for (var round = 0; round < 200; round++)
        {
            var root = Directory.CreateDirectory(Path.Combine(_root, $"round-{round}")).FullName;
            var sut = new LocalMediaStorage(root);
            using var together = new Barrier(workers);
            var threads = Enumerable.Range(0, workers).Select(i => new Thread(() =>
            {
                together.SignalAndWait();
                try { sut.PutAsync($"acme/manual/call-{i}/recording.mp3", new MemoryStream(new byte[100]), "audio/mpeg", 100, default).GetAwaiter().GetResult(); }
                catch (Exception e) { failures.Add(e); }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.Empty(failures);
            Assert.Equal(workers, Directory.GetFiles(Path.Combine(root, "acme", "manual")).Length);
        }
    }

    [Fact]
    public async Task Put_AfterItsDirectoryWasRemoved_MakesItAgain()
    {
        var sut = CreateSut();
        await sut.PutAsync("acme/manual/one/recording.mp3", new MemoryStream([1]), "audio/mpeg", 1, default);
        Directory.Delete(Path.Combine(_root, "acme"), recursive: true); // by hand, between two calls of a run

        await sut.PutAsync("acme/manual/two/recording.mp3", new MemoryStream([2]), "audio/mpeg", 1, default);

        Assert.NotNull(await sut.FindAsync("acme/manual/two/recording.mp3", default));
    }

    [Fact]
    public async Task Put_WhoseDirectoryCouldNotBeMade_FailsThatCall_AndTheNextCallMakesIt()
    {
        var sut = CreateSut();
        Directory.CreateDirectory(Path.Combine(_root, "acme"));
        var obstacle = Path.Combine(_root, "acme", "manual");
        await File.WriteAllBytesAsync(obstacle, [0]); // a file where the platform's directory goes

        await Assert.ThrowsAnyAsync<IOException>(() => sut.PutAsync("acme/manual/one/recording.mp3", new MemoryStream([1]), "audio/mpeg", 1, default));
        File.Delete(obstacle);
        await sut.PutAsync("acme/manual/two/recording.mp3", new MemoryStream([2]), "audio/mpeg", 1, default);

        Assert.NotNull(await sut.FindAsync("acme/manual/two/recording.mp3", default));
    }

    /// <summary>tmpfs (/dev/shm) and the temp directory's disk (ext4 here): the flush is a real syncfs on each.</summary>
    public static TheoryData<string> Disks => OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? ["/dev/shm", Path.GetTempPath()] : [Path.GetTempPath()];

    [Theory]
    [MemberData(nameof(Disks))]
    public async Task MakeDurable_FlushesWhatWasStored_AndLeavesItAsItWas(string disk)
    {
        var root = Directory.CreateDirectory(Path.Combine(disk, "local-media-durable-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            using var sut = new LocalMediaStorage(root);
            var bytes = RandomNumberGenerator.GetBytes(300_000);
            await sut.PutAsync(ObjectName, new MemoryStream(bytes), "audio/mpeg", bytes.Length, default);

            await sut.MakeDurableAsync(default);
            await sut.MakeDurableAsync(default); // nothing new: still fine

            await using var read = await sut.OpenReadAsync(ObjectName, default);
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task MakeDurable_BeforeAnythingWasWritten_MakesTheRootAndSucceeds()
    {
        // A run whose every call reused a recording a killed run had stored: its first flush opens the handle.
        var root = Path.Combine(_root, "not-yet");
        using var sut = new LocalMediaStorage(root);

        await sut.MakeDurableAsync(default);

        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public async Task RemoveAbandoned_DeletesOnlyOldPartialFilesNobodyWrites_InThatCustomersPlatform()
    {
        using var sut = new LocalMediaStorage(_root);
        await sut.PutAsync(ObjectName, new MemoryStream([1, 2, 3]), "audio/mpeg", 3, default);
        var directory = Path.Combine(_root, "acme", "manual");
        var runStart = DateTimeOffset.UtcNow;
        var before = runStart.UtcDateTime.AddHours(-2);
        string Partial(string folder, string call, DateTime? writtenAt)
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, call + "@recording.mp3.partial");
            File.WriteAllBytes(path, [9, 9]);
            if (writtenAt is { } at) File.SetLastWriteTimeUtc(path, at);
            return path;
        }
        var abandoned = Partial(directory, "gone", before);
        var abandonedToo = Partial(directory, "failed-for-good", before);
        var recent = Partial(directory, "written-since", runStart.UtcDateTime.AddMinutes(1));
        var beingWritten = Partial(directory, "being-written", before);
        var otherPlatform = Partial(Path.Combine(_root, "acme", "grain"), "gone", before);
        var recording = Directory.GetFiles(directory).Single(f => !f.EndsWith(".partial", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(recording, before);

        int removed;
        // Held as a writer holds its temporary file (LocalMediaStorage opens it with FileShare.None).
        using (new FileStream(beingWritten, FileMode.Open, FileAccess.Write, FileShare.None))
            removed = await sut.RemoveAbandonedAsync("acme/manual", runStart, default);

        Assert.Equal(2, removed);
        Assert.False(File.Exists(abandoned));
        Assert.False(File.Exists(abandonedToo));
        Assert.True(File.Exists(recent));
        Assert.True(File.Exists(beingWritten));
        Assert.True(File.Exists(otherPlatform));
        Assert.True(File.Exists(recording));
        Assert.Equal(3, (await sut.FindAsync(ObjectName, default))!.Length);
        Assert.Equal(0, await sut.RemoveAbandonedAsync("nobody/manual", runStart, default));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
