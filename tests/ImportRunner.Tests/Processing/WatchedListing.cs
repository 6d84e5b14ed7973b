using System.Runtime.CompilerServices;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// A platform's context as the run sees it, with its listing watched: after <see cref="WaitForAFetchAfter"/> calls it
/// holds its next page until the run fetches a call (a run that lists everything first never does, and fails after
/// <see cref="FetchWait"/>); after <see cref="PauseAfter"/> calls it is slow for a while (a run that takes calls
/// while listing fetches some meanwhile); after <see cref="FailAfter"/> calls it stops answering, as a platform that
/// goes away mid-listing does.
/// </summary>
internal sealed class WatchedListing(IImportContext platform) : ForwardingImportContext(platform)
{
    /// <summary>How long a held listing waits for a fetch before it gives up (a test bound, far above any run's need).</summary>
    public static readonly TimeSpan FetchWait = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _fetched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fetches;
    private volatile bool _listingEnded;

    public int? WaitForAFetchAfter { get; init; }
    public int? FailAfter { get; init; }
    public int? PauseAfter { get; init; }
    public TimeSpan Pause { get; init; } = TimeSpan.FromSeconds(1);

    private int _fetchedWhileListing;

    /// <summary>Calls fetched while the listing still went on.</summary>
    public int FetchedWhileListing => Volatile.Read(ref _fetchedWhileListing);

    public bool ListingEnded => _listingEnded;

    public override async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listed = 0;
        await foreach (var call in base.ListCallsAsync(query, cancellationToken))
        {
            if (listed == FailAfter) throw new TransientCallException("The platform stopped answering the listing (a test's fault).");
            if (listed == WaitForAFetchAfter)
                try { await _fetched.Task.WaitAsync(FetchWait, cancellationToken); }
                catch (TimeoutException) { throw new InvalidOperationException($"No call was fetched in {FetchWait.TotalSeconds} s while the listing was held after {listed} calls."); }
            if (listed == PauseAfter) await Task.Delay(Pause, cancellationToken);
            listed++;
            yield return call;
        }
        _listingEnded = true;
    }

    public override Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        if (!_listingEnded) Interlocked.Increment(ref _fetchedWhileListing);
        if (Interlocked.Increment(ref _fetches) == 1) _fetched.TrySetResult();
        return base.FetchCallAsync(call, cancellationToken);
    }
}
