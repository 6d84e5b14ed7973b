using System.Threading.Channels;
using CallImport.ImportRunner.Storage;
using CallImport.Store;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// Commits finished calls several at a time: calls that finish while a commit is on its way wait for the next
/// one, which takes them all (up to <see cref="MaxCallsPerCommit"/>) in one statement over arrays, so one round
/// trip, one transaction and one execution of a prepared statement (<see cref="ImportStore.CompleteCallsAsync"/>). Each call's task completes once its commit has, so a call
/// is counted done only when it is; a run killed before that leaves the whole batch pending, and the next run
/// finds the media already stored and commits them again — exactly once, as for one call. A failed commit
/// fails every call in it with that error (each call's own outage handling retries it), except a bad statement
/// in a batch of several, which is retried call by call so that only the culprit fails.
/// A commit that would take fewer than <see cref="CallsWorthGathering"/> calls first waits up to
/// <see cref="GatheringTime"/> on the run's clock for more: a statement costs PostgreSQL and the runner nearly as much
/// for one call as for thirty, and workers do not wait for commits (2,000 calls at concurrency 4: ~65 commits instead
/// of ~170, a quarter less PostgreSQL CPU).
/// Before each commit the media storage makes the batch's recordings durable (<see cref="IMediaStorage.MakeDurableAsync"/>:
/// one syncfs for local files), so that no committed engagement points at a recording a crash of the machine could
/// take back; when that fails, every call of the batch fails with the error (retried like any call) and nothing is committed.
/// At the end of a pass the run says no more calls are coming (<see cref="NoMoreCallsComing"/>): the last commit goes at
/// once instead of gathering for calls that will not come.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    public const int MaxCallsPerCommit = 64;

    /// <summary>A commit with fewer calls waits (up to <see cref="GatheringTime"/>) for more to join it.</summary>
    public const int CallsWorthGathering = 32;

    /// <summary>Short beside a call's own time (a call waits at most this longer to be counted done), long beside a commit's.</summary>
    public static readonly TimeSpan GatheringTime = TimeSpan.FromMilliseconds(3);

    /// <summary>Calls that may wait for a commit at once: enough for full batches, a few per worker; each holds only its engagement row.</summary>
    public static int BacklogFor(int concurrency) => Math.Max(MaxCallsPerCommit, 4 * Math.Max(1, concurrency));

    private sealed record Item(EngagementRecord Engagement, RunStatistics Statistics, TaskCompletionSource<CallOutcome> Done);

    private readonly ImportStore _store;
    private readonly string _importId;
    private readonly Channel<Item> _queue;
    private readonly Task _committer;
    private readonly TimeProvider _time;
    private readonly IMediaStorage? _media;
    private long _commits;

    /// <summary>Completed while no call is coming (the pass's last calls are queued); replaced by the next call queued.</summary>
    private TaskCompletionSource _noMoreCalls = NoMoreCallsSignal();

    private static TaskCompletionSource NoMoreCallsSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A wait for calls that outlived the gathering it was made for: the next wait is this one (one waiter at a time).</summary>
    private Task<bool>? _waiting;

    /// <param name="backlog">Calls that may wait for a commit before the next one waits to join the queue.</param>
    /// <param name="time">The run's clock, which times the gathering.</param>
    /// <param name="media">The storage the calls' recordings went to, made durable before each commit.</param>
    public GroupCommit(ImportStore store, string importId, int backlog, TimeProvider? time = null, IMediaStorage? media = null)
    {
        _store = store;
        _importId = importId;
        _time = time ?? TimeProvider.System;
        _media = media;
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(Math.Max(1, backlog)) { SingleReader = true });
        _committer = Task.Run(CommitLoopAsync);
    }

    /// <summary>Statements (round trips, transactions) the calls took so far: what the diagnostics report as calls per commit.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues the call for the next commit; completes when it is committed (or failed with the commit's error).</summary>
    public async Task<CallOutcome> CommitAsync(EngagementRecord engagement, RunStatistics statistics, CancellationToken cancellationToken)
    {
        // Continuations run on the thread pool: a call's follow-up work never holds up the commits of others.
        var done = new TaskCompletionSource<CallOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Calls come again (the next pass, a retried commit): commits gather again.
        if (Volatile.Read(ref _noMoreCalls) is { Task.IsCompleted: true } said) Interlocked.CompareExchange(ref _noMoreCalls, NoMoreCallsSignal(), said);
        await _queue.Writer.WriteAsync(new Item(engagement, statistics, done), cancellationToken);
        return await done.Task;
    }

    private async Task CommitLoopAsync()
    {
        var batch = new List<Item>(MaxCallsPerCommit);
        while (await CallsQueuedAsync())
        {
            Take(batch);
            if (batch.Count < CallsWorthGathering) await GatherAsync(batch);
            await CommitBatchAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// No call will be queued until the next <see cref="CommitAsync"/>: every call started so far has queued its commit
    /// (the end of a pass). The commit under way, and the next, take what is queued without gathering for more.
    /// </summary>
    public void NoMoreCallsComing() => Volatile.Read(ref _noMoreCalls).TrySetResult();

    private void Take(List<Item> batch)
    {
        while (batch.Count < MaxCallsPerCommit && _queue.Reader.TryRead(out var item)) batch.Add(item);
    }

    /// <summary>True once a call is queued; false once the queue is completed and empty.</summary>
    private Task<bool> CallsQueuedAsync() =>
        _waiting is { IsCompleted: false } waiting ? waiting : _waiting = _queue.Reader.WaitToReadAsync().AsTask();

    /// <summary>
    /// Adds calls queued within <see cref="GatheringTime"/>, until there are <see cref="CallsWorthGathering"/>. No
    /// cancellation (it would throw inside the channel on every commit): a wait still pending when time is up is kept
    /// for the next one.
    /// </summary>
    private async Task GatherAsync(List<Item> batch)
    {
        var noMoreCalls = Volatile.Read(ref _noMoreCalls).Task;
        using var stop = new CancellationTokenSource();
        Task? timeUp = null;
        while (batch.Count < CallsWorthGathering && !noMoreCalls.IsCompleted)
        {
            var queued = CallsQueuedAsync();
            if (!queued.IsCompleted && await Task.WhenAny(queued, noMoreCalls, timeUp ??= Task.Delay(GatheringTime, _time, stop.Token)) != queued) break;
            if (!await queued) break;
            Take(batch);
        }
        // Calls queued meanwhile (as the time ran out, or just before the run said none are coming) join this commit.
        Take(batch);
        await stop.CancelAsync();
    }

    private async Task CommitBatchAsync(List<Item> batch, bool mediaDurable = false)
    {
        if (!mediaDurable && !await MediaMadeDurableAsync(batch)) return;
        Interlocked.Increment(ref _commits);
        IReadOnlyList<CallOutcome?> outcomes;
        try
        {
            outcomes = await _store.CompleteCallsAsync(_importId, [.. batch.Select(i => i.Engagement)], Sum(batch), CancellationToken.None);
        }
        catch (Exception e) when (batch.Count > 1 && !DatabaseOutage.IsOutage(e))
        {
            // One bad statement rolled back the whole batch: each call alone, so the others still commit.
            foreach (var item in batch) await CommitBatchAsync([item], mediaDurable: true);
            return;
        }
        catch (Exception e)
        {
            foreach (var item in batch) item.Done.TrySetException(e);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] is { } outcome) batch[i].Done.TrySetResult(outcome);
            else batch[i].Done.TrySetException(ImportStore.NeitherInsertedNorFound(batch[i].Engagement));
        }
    }

    /// <summary>Whether the batch's recordings are durable; if not, its calls have failed with the reason.</summary>
    private async Task<bool> MediaMadeDurableAsync(List<Item> batch)
    {
        if (_media is null || batch.TrueForAll(i => i.Engagement.MediaUri is null)) return true;
        try
        {
            await _media.MakeDurableAsync(CancellationToken.None);
            return true;
        }
        catch (Exception e)
        {
            foreach (var item in batch) item.Done.TrySetException(e);
            return false;
        }
    }

    private static RunStatistics Sum(List<Item> batch)
    {
        var sum = RunStatistics.Zero;
        foreach (var item in batch) sum = sum.Plus(item.Statistics);
        return sum;
    }

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _committer;
    }
}
