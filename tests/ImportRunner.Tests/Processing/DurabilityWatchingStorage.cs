using CallImport.ImportRunner.Storage;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// The real local storage, with a look at each <see cref="IMediaStorage.MakeDurableAsync"/>: the test's check runs
/// first (what the database holds at that moment), then the flush, or the failure the test asks for instead.
/// </summary>
internal sealed class DurabilityWatchingStorage(LocalMediaStorage inner, Func<Task> beforeFlush) : IMediaStorage
{
    private int _flushes;

    /// <summary>Flushes to fail (with an IOException, as a lost write-back is reported) before the next succeed.</summary>
    public int FlushesToFail { get; set; }

    public int Flushes => Volatile.Read(ref _flushes);

    public async Task MakeDurableAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _flushes);
        await beforeFlush();
        if (FlushesToFail > 0)
        {
            FlushesToFail--;
            throw new IOException("Writing the media to disk failed: Input/output error.");
        }
        await inner.MakeDurableAsync(cancellationToken);
    }

    public Task<StoredMedia> PutAsync(string objectName, Stream content, string contentType, long? expectedLength, CancellationToken cancellationToken) =>
        inner.PutAsync(objectName, content, contentType, expectedLength, cancellationToken);

    public Task<StoredMedia?> FindAsync(string objectName, CancellationToken cancellationToken) => inner.FindAsync(objectName, cancellationToken);

    public Task<Stream> OpenReadAsync(string objectName, CancellationToken cancellationToken) => inner.OpenReadAsync(objectName, cancellationToken);

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task CheckWritableAsync(CancellationToken cancellationToken) => inner.CheckWritableAsync(cancellationToken);

    public Task<int> RemoveAbandonedAsync(string prefix, DateTimeOffset writtenBefore, CancellationToken cancellationToken) =>
        inner.RemoveAbandonedAsync(prefix, writtenBefore, cancellationToken);
}
