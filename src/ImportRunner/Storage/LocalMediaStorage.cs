using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Media on the local filesystem (the development default). Writes go to a temporary file in the same
/// directory and are renamed into place once complete and checked, so a killed run never leaves a
/// half-written object under the final name. A call's object is one file (see <see cref="PathOf"/>).
/// Files are not flushed one by one: <see cref="MakeDurableAsync"/> puts everything written so far on disk with one
/// <c>syncfs</c> before each group commit (a tenth to a third of the cost of a flush per file on ext4, README "Media storage").
/// </summary>
public sealed class LocalMediaStorage(string root) : IMediaStorage, IDisposable
{
    /// <summary>Large enough that a typical recording takes few reads and writes; pooled, so concurrency × this at most.</summary>
    private const int BufferSize = 256 * 1024;

    /// <summary>Without a trailing separator (<c>file:///media/</c> and <c>/media</c> are one root), so the containment check below holds.</summary>
    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>
    /// Directories made (or found) by this instance: every call of a customer and platform shares one. A directory
    /// is listed only once it exists, so no caller goes on before it does: when one worker listed it first and made
    /// it after, another went on and opened its file in no directory (the first calls of a run, on several workers).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _directories = new(StringComparer.Ordinal);

    /// <summary>Where the filesystem is flushed from: opened before the first write, so it hears of every failed write-back.</summary>
    private FileSystemSync? _sync;
    private readonly Lock _syncOpening = new();

    /// <summary>Elsewhere than on Linux (no syncfs) each file is flushed before its rename: development machines only.</summary>
    private static readonly bool FlushEachFile = !OperatingSystem.IsLinux();

    public async Task<StoredMedia> PutAsync(string objectName, Stream content, string contentType, long? expectedLength, CancellationToken cancellationToken)
    {
        var path = PathOf(objectName);

        // One temporary name per object: a run killed mid-upload leaves it behind, and the retry of that call
        // truncates it (no directory listing per call to find stale ones). Concurrent writers of one object
        // cannot happen within an import; across imports FileShare.None makes the second one fail and retry.
        var temporary = path + ".partial";
        EnsureSync();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var created = false;
        try
        {
            long length = 0;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var file = CreateTemporary(temporary))
            {
                created = true;
                // A local file opened for synchronous reads (a manual upload) is read on this thread: no hop per chunk.
                var local = content is FileStream { IsAsync: false };
                int read;
                while ((read = local ? content.Read(buffer, 0, BufferSize) : await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    // A page-cache write of one chunk: done on this thread, not handed to another.
                    file.Write(buffer, 0, read);
                    length += read;
                }
                if (expectedLength is { } expected && expected != length)
                    throw new MediaIntegrityException($"{objectName}: the source announced {expected} bytes but sent {length}.");
                if (file.Length != length)
                    throw new MediaIntegrityException($"{objectName}: {length} bytes read but {file.Length} stored.");
                if (FlushEachFile) file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            return new StoredMedia(new Uri(path).AbsoluteUri, length, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch when (created)
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The temporary file, truncated if a killed attempt left one. Its directory is made once per run, not
    /// checked per call; one removed since is made again.
    /// </summary>
    private FileStream CreateTemporary(string temporary)
    {
        var directory = Path.GetDirectoryName(temporary)!;
        if (!_directories.ContainsKey(directory))
        {
            // Workers racing here each make it (idempotent); a failure is not remembered, so the next call tries again.
            Directory.CreateDirectory(directory);
            _directories.TryAdd(directory, 0);
        }
        try
        {
            return Open();
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // Removed since it was made. A file opened for creation is "not found" only for want of its directory;
            // .NET names the file when the directory exists again by the time it looks.
            Directory.CreateDirectory(directory);
            return Open();
        }

        FileStream Open() => new(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None);
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(Root, $".callimport-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Root);
            EnsureSync();
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnusableException(
                $"The media storage {new Uri(Root).AbsoluteUri} is not writable ({e.Message}). Give the runner write access to it, or choose another --storage / CALLIMPORT_STORAGE.", e);
        }
    }

    /// <summary>
    /// One <c>syncfs</c>: the data and the directory entries (renames) of every file written so far, by this run or a
    /// killed one before it (a file found and reused), are on disk when it returns. Blocks its thread for the flush
    /// (the group commit's, once per commit). Throws an <see cref="IOException"/> when the kernel reports a write lost.
    /// </summary>
    public Task MakeDurableAsync(CancellationToken cancellationToken)
    {
        if (FlushEachFile) return Task.CompletedTask;
        EnsureSync()?.Sync();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deletes the <c>.partial</c> files directly in the directory of <paramref name="prefix"/> (a customer's platform:
    /// calls' files are flattened into it) last written before <paramref name="writtenBefore"/> and not open for
    /// writing: a writer holds its file locked (FileShare.None), and the file is deleted under this method's own lock.
    /// </summary>
    public Task<int> RemoveAbandonedAsync(string prefix, DateTimeOffset writtenBefore, CancellationToken cancellationToken)
    {
        var directory = PathOf(prefix);
        if (!Directory.Exists(directory)) return Task.FromResult(0);
        var removed = 0;
        foreach (var partial in Directory.EnumerateFiles(directory, "*.partial", SearchOption.TopDirectoryOnly))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (File.GetLastWriteTimeUtc(partial) >= writtenBefore.UtcDateTime) continue;
                using (new FileStream(partial, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0))
                    File.Delete(partial);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Being written (locked), gone already, or not ours to delete: left alone.
            }
        }
        return Task.FromResult(removed);
    }

    /// <summary>The flush handle, opened once (null where files are flushed one by one).</summary>
    private FileSystemSync? EnsureSync()
    {
        if (FlushEachFile) return null;
        var open = Volatile.Read(ref _sync);
        if (open is not null) return open;
        lock (_syncOpening)
        {
            if (_sync is null)
            {
                Directory.CreateDirectory(Root);
                _sync = FileSystemSync.Open(Root);
            }
            return _sync;
        }
    }

    public void Dispose() => _sync?.Dispose();

    public async Task<StoredMedia?> FindAsync(string objectName, CancellationToken cancellationToken)
    {
        var path = PathOf(objectName);
        if (!File.Exists(path)) return null;
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, cancellationToken);
        return new StoredMedia(new Uri(path).AbsoluteUri, file.Length, Convert.ToHexStringLower(hash));
    }

    public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(objectName), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true));

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root)) yield break;
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = ObjectNameOf(Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/'));
            if (name.EndsWith(".partial", StringComparison.Ordinal) || !name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            yield return name;
        }
        await Task.CompletedTask;
    }

    /// <summary>
    /// An object <c>{customer}/{platform}/{call}/{file}</c> is kept as the file <c>{customer}/{platform}/{call}@{file}</c>:
    /// one inode per call instead of a directory and a file (creating directories was a tenth of the runner's CPU
    /// on ext4). Call ids are URI-escaped in object names, so '@' never occurs in them.
    /// </summary>
    private const char Flattened = '@';

    private string PathOf(string objectName)
    {
        var last = objectName.LastIndexOf('/');
        var parent = last > 0 ? objectName.LastIndexOf('/', last - 1) : -1;
        var local = parent > 0 ? objectName[..last] + Flattened + objectName[(last + 1)..] : objectName;
        var path = Path.GetFullPath(Path.Combine(Root, local));
        // Object names come from vendor ids: never let one escape the root.
        if (!path.StartsWith(Path.EndsInDirectorySeparator(Root) ? Root : Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Object name '{objectName}' leaves the storage root.", nameof(objectName));
        return path;
    }

    private static string ObjectNameOf(string relativePath)
    {
        var at = relativePath.LastIndexOf(Flattened);
        var slash = relativePath.LastIndexOf('/');
        return at > slash && slash > 0 ? relativePath[..at] + '/' + relativePath[(at + 1)..] : relativePath;
    }
}
