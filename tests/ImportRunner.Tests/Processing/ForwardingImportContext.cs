using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A platform's context passed through unchanged: the tests' wrappers that watch a run or inject a fault override only
/// what they watch.
/// </summary>
internal abstract class ForwardingImportContext(IImportContext platform) : IImportContext
{
    public virtual void ValidateQuery(CallQuery query) => platform.ValidateQuery(query);
    public virtual Task ValidateCredentialsAsync(CancellationToken cancellationToken) => platform.ValidateCredentialsAsync(cancellationToken);
    public virtual IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, CancellationToken cancellationToken) => platform.ListCallsAsync(query, cancellationToken);
    public virtual Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken) => platform.FetchCallAsync(call, cancellationToken);
    public virtual Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken) => platform.OpenMediaAsync(call, cancellationToken);
    public virtual Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken) => platform.FetchTranscriptAsync(call, cancellationToken);
    public virtual void CallsPending(IReadOnlySet<string> sourceCallIds) => platform.CallsPending(sourceCallIds);
    public virtual void CallEnded(string sourceCallId) => platform.CallEnded(sourceCallId);
}
