namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>A folder on a local or mounted file system.</summary>
internal sealed class LocalUploadFolder(string root) : IUploadFolder
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.System,
    };

    public Task EnsureReadableAsync(CancellationToken cancellationToken) =>
        Directory.Exists(root)
            ? Task.CompletedTask
            : throw new CredentialsRejectedException("The upload folder named by the credentials' 'location' does not exist or cannot be read.");

    public async Task<IReadOnlyList<UploadFile>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureReadableAsync(cancellationToken);
        try
        {
            return new DirectoryInfo(root).EnumerateFiles("*", Everything)
                .Select(info => new UploadFile(
                    Path.GetRelativePath(root, info.FullName).Replace(Path.DirectorySeparatorChar, '/'),
                    info.Length,
                    new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The system's message quotes the absolute path, which holds the credentials' location: left out.
            throw new CredentialsRejectedException($"The upload folder named by the credentials' 'location' cannot be read ({e.GetType().Name}).");
        }
    }

    public Task<(Stream Content, long? Length)> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            // Streamed: a recording can be gigabytes, it is never read whole. Synchronous and unbuffered: reads of
            // a local file come from the page cache in large chunks, on the caller's thread (async file reads on
            // Linux are the same read handed to another thread, and that hop cost more than the read).
            var stream = new FileStream(Path.Combine(root, path), FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 0, FileOptions.SequentialScan);
            return Task.FromResult<(Stream, long?)>((stream, stream.Length));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Not chained: the system's message quotes the absolute path, which holds the credentials' location.
            throw new PermanentCallException($"file '{path}' is no longer in the upload folder ({e.GetType().Name}).");
        }
    }
}
