namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Where recordings go, chosen by URI: <c>file:///path</c> (development default) or <c>gs://bucket/prefix</c>.
/// Objects live under <c>{customerId}/{platform}/{sourceCallId}/…</c>. Media is streamed, never held whole in memory.
/// </summary>
public interface IMediaStorage
{
    /// <summary>
    /// Streams <paramref name="content"/> to <paramref name="objectName"/>, replacing any earlier partial attempt,
    /// and checks integrity: the stored size equals the bytes read (and <paramref name="expectedLength"/> when known),
    /// and the store's own checksum matches the one computed while streaming.
    /// Throws <see cref="MediaIntegrityException"/> on a mismatch.
    /// </summary>
    Task<StoredMedia> PutAsync(string objectName, Stream content, string contentType, long? expectedLength, CancellationToken cancellationToken);

    /// <summary>The object when it exists (a repeat of the step is then a no-op), else null.</summary>
    Task<StoredMedia?> FindAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading (used by the manual-upload context for gs:// folders and by tests).</summary>
    Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken);

    /// <summary>Object names under a prefix.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Writes and removes a small probe object, so an unwritable location stops a run before its first call.
    /// Throws <see cref="StorageUnusableException"/> naming the location and what to do.
    /// </summary>
    Task CheckWritableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes every object stored (or found) so far survive a crash of the machine, not only of the runner. Called
    /// before the commit that records them, so that a committed engagement never points at a recording still in
    /// memory. Throws (an <see cref="IOException"/>: those calls are retried, never committed) when the storage could not.
    /// </summary>
    Task MakeDurableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Removes what interrupted writes under <paramref name="prefix"/> left behind (a call whose retry never came), when
    /// last written before <paramref name="writtenBefore"/> and held by no writer; returns how many. Once per run: a
    /// listing, never one per call.
    /// </summary>
    Task<int> RemoveAbandonedAsync(string prefix, DateTimeOffset writtenBefore, CancellationToken cancellationToken);
}

/// <summary>The storage cannot be written: the run cannot start (exit code 3).</summary>
public sealed class StorageUnusableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A stored object: its URI (what the engagement records), size and SHA-256 (hex) or MD5 (base64) as the store reports it.</summary>
public sealed record StoredMedia(string Uri, long Length, string Checksum);

public sealed class MediaIntegrityException(string message) : Exception(message);
