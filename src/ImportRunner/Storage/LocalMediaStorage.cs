using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Media on the local filesystem (the development default). Writes go to a temporary file in the same
/// directory and are renamed into place once complete and checked, so a killed run never leaves a
/// half-written object under the final name.
/// </summary>
public sealed class LocalMediaStorage(string root) : IMediaStorage
{
    private const int BufferSize = 81920;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoredMedia> PutAsync(string objectName, Stream content, string contentType, long? expectedLength, CancellationToken cancellationToken)
    {
        var path = PathOf(objectName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // A run killed mid-upload leaves its temporary file behind; the retry of that call clears it.
        foreach (var stale in Directory.EnumerateFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".*.partial"))
            File.Delete(stale);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        try
        {
            long length = 0;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    length += read;
                }
                await file.FlushAsync(cancellationToken);
            }
            if (expectedLength is { } expected && expected != length)
                throw new MediaIntegrityException($"{objectName}: the source announced {expected} bytes but sent {length}.");
            var written = new FileInfo(temporary).Length;
            if (written != length)
                throw new MediaIntegrityException($"{objectName}: {length} bytes read but {written} stored.");
            File.Move(temporary, path, overwrite: true);
            return new StoredMedia(new Uri(path).AbsoluteUri, length, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(Root, $".callimport-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Root);
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnusableException(
                $"The media storage {new Uri(Root).AbsoluteUri} is not writable ({e.Message}). Give the runner write access to it, or choose another --storage / CALLIMPORT_STORAGE.", e);
        }
    }

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
            var name = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (name.EndsWith(".partial", StringComparison.Ordinal) || !name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            yield return name;
        }
        await Task.CompletedTask;
    }

    private string PathOf(string objectName)
    {
        var path = Path.GetFullPath(Path.Combine(Root, objectName));
        // Object names come from vendor ids: never let one escape the root.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Object name '{objectName}' leaves the storage root.", nameof(objectName));
        return path;
    }
}
