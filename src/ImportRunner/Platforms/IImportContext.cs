namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// One platform's view of its calls. A context talks only to its vendor: it knows nothing of
/// PostgreSQL, storage or Kubernetes. The processor composes context → storage → store.
/// Requests go through the <see cref="HttpClient"/> handed to the context's factory, which already
/// enforces the rate limits and retries transient failures.
/// </summary>
public interface IImportContext
{
    /// <summary>
    /// Refuses (with <see cref="ArgumentException"/> naming the key and the supported ones) filters or a range the
    /// platform cannot serve. Called before any request, so a typo in an ImportJob costs no vendor request.
    /// </summary>
    void ValidateQuery(CallQuery query)
    {
    }

    /// <summary>Checks the credentials with one cheap request; throws <see cref="CredentialsRejectedException"/> when refused.</summary>
    Task ValidateCredentialsAsync(CancellationToken cancellationToken);

    /// <summary>Every call in [from, to), page after page, as the vendor returns them.</summary>
    IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, CancellationToken cancellationToken);

    /// <summary>The call's metadata and participants.</summary>
    Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken);

    /// <summary>The call's recording as a stream, or null when the platform offers none for this call.</summary>
    Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken);

    /// <summary>The call's transcript, or null when the source has none (a transcription request is queued instead).</summary>
    Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken);

    /// <summary>
    /// The calls (ids) the run is about to take in this pass, before it takes the first. A context that fetches
    /// several calls at once, with peers read from a listing payload, asks only for these: a peer done in an earlier
    /// run would never come for its share, and the batch would be kept, with every peer's data, to the run's end.
    /// </summary>
    void CallsPending(IReadOnlySet<string> sourceCallIds)
    {
    }

    /// <summary>
    /// This run will not ask about the call again: imported, skipped, or failed for good (out of attempts too, which
    /// only the run knows). A context that holds data for several calls at once lets go of this call's share.
    /// </summary>
    void CallEnded(string sourceCallId)
    {
    }
}
