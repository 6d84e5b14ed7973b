using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A platform's context in which one call fails with an exception the run has no handler for (a bug's, not a vendor's
/// fault). Once <see cref="FailAfterEnded"/> calls have ended, the next call fetched is held in flight until the run
/// cancels the listing, and the one after it fails. The listing, past <see cref="HoldListingAfter"/> calls, waits for
/// that failure and then for the run to cancel it. Every wait is bounded by <see cref="Bound"/>: a run that does not
/// cancel the listing is recorded as such, the held call goes on and the listing runs to its end.
/// </summary>
internal sealed class CallFailingUnexpectedly(IImportContext platform) : ForwardingImportContext(platform)
{
    /// <summary>What the failing call throws: no type the run or the processor handles.</summary>
    public sealed class Fault(string sourceCallId) : Exception($"Call {sourceCallId} failed unexpectedly (a test's fault).")
    {
        public string SourceCallId { get; } = sourceCallId;
    }

    /// <summary>How long a held listing or call waits for what it waits for (a test bound, far above any run's need).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource<Fault> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listingCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, bool> _fetched = new(StringComparer.Ordinal);
    private int _ended;
    private int _fetchesPastEnded;
    private int _fetchesAfterFailure;
    private int _listedAfterFailure;
    private volatile bool _listingCancelledWithACallInFlight;
    private volatile bool _listingEnded;

    public required int FailAfterEnded { get; init; }
    public required int HoldListingAfter { get; init; }

    /// <summary>The exception thrown, once it was.</summary>
    public Fault? Thrown => _failed.Task.IsCompletedSuccessfully ? _failed.Task.Result : null;

    /// <summary>Calls fetched from the platform (the failing one never is).</summary>
    public IReadOnlyCollection<string> Fetched => [.. _fetched.Keys];

    /// <summary>Calls whose fetch began after the failure: the run's other workers, each between two calls, may have taken one.</summary>
    public int FetchesAfterFailure => Volatile.Read(ref _fetchesAfterFailure);

    /// <summary>The run cancelled the held listing after the failure.</summary>
    public bool ListingCancelled => _listingCancelled.Task.IsCompleted;

    /// <summary>It did so while the call held in flight still waited, not only once the calls in flight had ended.</summary>
    public bool ListingCancelledWithACallInFlight => _listingCancelledWithACallInFlight;

    /// <summary>Calls the listing gave the run after the failure.</summary>
    public int ListedAfterFailure => Volatile.Read(ref _listedAfterFailure);

    public bool ListingEnded => _listingEnded;

    public override async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = 0;
        await foreach (var call in base.ListCallsAsync(query, cancellationToken))
        {
            if (listed == HoldListingAfter) await HoldListingAsync(listed, cancellationToken);
            listed++;
            if (_failed.Task.IsCompleted) Interlocked.Increment(ref _listedAfterFailure);
            yield return call;
        }
        _listingEnded = true;
    }

    private async Task HoldListingAsync(int listed, CancellationToken cancellationToken)
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
            _listingCancelled.TrySetResult();
            throw;
        }
    }

    public override async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var pastEnded = Volatile.Read(ref _ended) >= FailAfterEnded ? Interlocked.Increment(ref _fetchesPastEnded) : 0;
        if (pastEnded == 2)
        {
            // Thrown before any await: the run learns of it at once.
            var fault = new Fault(call.SourceCallId);
            _failed.TrySetResult(fault);
            throw fault;
        }
        if (_failed.Task.IsCompleted) Interlocked.Increment(ref _fetchesAfterFailure);
        if (pastEnded == 1)
            try
            {
                await _listingCancelled.Task.WaitAsync(Bound, CancellationToken.None);
                _listingCancelledWithACallInFlight = true;
            }
            catch (TimeoutException) { } // recorded by the flag left unset; the call goes on
        var fetched = await base.FetchCallAsync(call, cancellationToken);
        _fetched[call.SourceCallId] = true;
        return fetched;
    }

    public override void CallEnded(string sourceCallId)
    {
        Interlocked.Increment(ref _ended);
        base.CallEnded(sourceCallId);
    }
}
