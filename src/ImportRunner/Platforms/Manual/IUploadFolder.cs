namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>The handed-over folder, read-only. Paths are relative to its root, separated by '/'.</summary>
internal interface IUploadFolder
{
    /// <summary>Throws <see cref="CredentialsRejectedException"/> when the folder cannot be read at all.</summary>
    Task EnsureReadableAsync(CancellationToken cancellationToken);

    /// <summary>Every file in the folder, at any depth. A listing is a few thousand names at most: it is held whole.</summary>
    Task<IReadOnlyList<UploadFile>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Opens a file for streaming; throws <see cref="PermanentCallException"/> when it is gone.</summary>
    Task<(Stream Content, long? Length)> OpenReadAsync(string path, CancellationToken cancellationToken);
}

/// <summary>A file of the folder; length and last-write time where the folder reports them.</summary>
internal sealed record UploadFile(string Path, long? Length, DateTimeOffset? LastWriteTime);
