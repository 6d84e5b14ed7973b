using CallImport.ImportRunner.Storage;

namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// A folder in object storage (<c>gs://bucket/prefix</c>), read through the project's storage abstraction.
/// Object names are taken relative to the opened location, as the storage lists them.
/// </summary>
internal sealed class StorageUploadFolder(IMediaStorage storage) : IUploadFolder
{
    public async Task EnsureReadableAsync(CancellationToken cancellationToken)
    {
        // One listed name proves the bucket exists and the runner may read it.
        await foreach (var _ in storage.ListAsync("", cancellationToken))
            return;
    }

    public async Task<IReadOnlyList<UploadFile>> ListAsync(CancellationToken cancellationToken)
    {
        var files = new List<UploadFile>();
        await foreach (var name in storage.ListAsync("", cancellationToken))
        {
            // Folder placeholders ("a/b/") some upload tools create are not files.
            if (!name.EndsWith('/'))
                files.Add(new UploadFile(name, Length: null, LastWriteTime: null));
        }
        return files;
    }

    public async Task<(Stream Content, long? Length)> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var stream = await storage.OpenReadAsync(path, cancellationToken);
        return (stream, stream.CanSeek ? stream.Length : null);
    }
}
