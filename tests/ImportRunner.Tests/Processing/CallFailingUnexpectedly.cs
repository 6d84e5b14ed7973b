using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A platform's context in which one call fails with an exception the run has no handler for (a bug's, not a vendor's
/// fault): the first call fetched once <see cref="FailAfterEnded"/> calls have ended. Its listing, past
/// <see cref="HoldListingAfter"/> calls, waits for that failure and then for the run to cancel it; a run that does not
/// within <see cref="Bound"/> is recorded as such, and the listing goes on to its end.
/// </summary>
internal sealed class CallFailingUnexpectedly(IImportContext platform) : IImportContext
{
    /// <summary>What the failing call throws: no type the run or the processor handles.</summary>
    public sealed class Fault(string sourceCallId) : Exception($"Call {sourceCallId} failed unexpectedly (a test's fault).")
    {
        public string SourceCallId { get; } = sourceCallId;
    }

    /// <summary>How long the held listing waits for the failure, then for its cancellation (a test bound, far above any run's need).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<Fault> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, bool> _fetched = new(StringComparer.Ordinal);
    private int _ended;
    private int _listedAfterFailure;
    private volatile bool _listingCancelled;
    private volatile bool _listingEnded;

    public required int FailAfterEnded { get; init; }
    public required int HoldListingAfter { get; init; }

    /// <summary>The exception thrown, once it was.</summary>
    public Fault? Thrown => _failed.Task.IsCompletedSuccessfully ? _failed.Task.Result : null;

    /// <summary>Calls fetched from the platform (the failing one never is).</summary>
    public IReadOnlyCollection<string> Fetched => [.. _fetched.Keys];

    /// <summary>The run cancelled the held listing after the failure.</summary>
    public bool ListingCancelled => _listingCancelled;

    /// <summary>Calls the listing gave the run after the failure.</summary>
    public int ListedAfterFailure => Volatile.Read(ref _listedAfterFailure);

    public bool ListingEnded => _listingEnded;

    public void ValidateQuery(CallQuery query) => platform.ValidateQuery(query);
    public Task ValidateCredentialsAsync(CancellationToken cancellationToken) => platform.ValidateCredentialsAsync(cancellationToken);

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = 0;
        await foreach (var call in platform.ListCallsAsync(query, cancellationToken))
        {
            if (listed == HoldListingAfter) await HoldAsync(listed, cancellationToken);
            listed++;
            if (_failed.Task.IsCompleted) Interlocked.Increment(ref _listedAfterFailure);
            yield return call;
        }
        _listingEnded = true;
    }

    private async Task HoldAsync(int listed, CancellationToken cancellationToken)
    {
        try
        {
            await _failed.Task.WaitAsync(Bound, cancellationToken);
            await Task.Delay(Bound, cancellationToken);
        }
        catch (TimeoutException) { throw new InvalidOperationException($"No call failed in {Bound.TotalSeconds} s while the listing was held after {listed} calls."); }
        // The run may cancel the listing before this wait has seen the failure it cancels for.
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && _failed.Task.IsCompleted)
        {
            _listingCancelled = true;
            throw;
        }
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ended) >= FailAfterEnded && !_failed.Task.IsCompleted)
        {
            var fault = new Fault(call.SourceCallId);
            if (_failed.TrySetResult(fault)) throw fault;
        }
        var fetched = await platform.FetchCallAsync(call, cancellationToken);
        _fetched[call.SourceCallId] = true;
        return fetched;
    }

    public Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken) => platform.OpenMediaAsync(call, cancellationToken);
    public Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken) => platform.FetchTranscriptAsync(call, cancellationToken);
    public void CallsPending(IReadOnlySet<string> sourceCallIds) => platform.CallsPending(sourceCallIds);

    public void CallEnded(string sourceCallId)
    {
        Interlocked.Increment(ref _ended);
        platform.CallEnded(sourceCallId);
    }
}
