using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using CallImport.Store;

namespace CallImport.ImportRunner.Processing;

public sealed partial class ImportRun
{
    /// <summary>
    /// Calls that may wait for their commit while the workers go on (a group commit takes them together). A feed
    /// ends only when every call of it has, so the next pass never starts with a call still being committed.
    /// </summary>
    private int CommitBacklog => GroupCommit.BacklogFor(options.Concurrency);

    /// <summary>
    /// Calls handed to the workers ahead of them: the reader reads the next page once only these are left of the
    /// last, so the workers do not wait for it (a page of 1,000 takes about 10 ms to read, the workers about 25 ms
    /// for 64 calls at full speed), and while it waits, the ids listed meanwhile gather into one fuller page.
    /// </summary>
    private int ReadAhead => Math.Max(64, 4 * options.Concurrency);

    /// <summary>
    /// Processes the pending calls whose ids come from <paramref name="ids"/> until it completes: a reader takes the
    /// ids that are there (at most a page), reads those calls with their listing payloads, and hands them to
    /// <c>--concurrency</c> workers, reading the next page while the workers still have <see cref="ReadAhead"/> calls
    /// of the last. So the workers never wait between pages, and at most a page and those calls are held whatever
    /// the import's size. Each worker takes
    /// the next call as soon as its previous one no longer needs the platform or the storage; a call's commit
    /// completes on its own (group commit), at most <see cref="CommitBacklog"/> of them outstanding. The first
    /// unexpected error of a call stops the workers and the reader (no further page is read) and is thrown once the
    /// calls already started have ended. <paramref name="feedStop"/> stops the reader too; calls started still end.
    /// </summary>
    private async Task ProcessFeedAsync(ChannelReader<string> ids, CancellationToken stopToken, CancellationToken feedStop)
    {
        var page = Math.Max(1, options.PendingPageSize);
        var calls = Channel.CreateBounded<PendingCall>(new BoundedChannelOptions(ReadAhead) { SingleWriter = true });
        using var readerStop = CancellationTokenSource.CreateLinkedTokenSource(feedStop, stopToken);
        var backlog = new SemaphoreSlim(CommitBacklog); // not disposed: the last calls release it as the feed ends
        Exception? failure = null;
        // Calls started and not ended, plus one for the workers: the feed has ended when it is back to zero.
        var outstanding = 1;
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void End() { if (Interlocked.Decrement(ref outstanding) == 0) ended.TrySetResult(); }

        Action<Task> finished = call =>
        {
            backlog.Release();
            if (call.Exception is { } e && Interlocked.CompareExchange(ref failure, e.InnerException ?? e, null) is null)
                readerStop.Cancel();
            End();
        };

        async Task ReadAsync()
        {
            var wanted = new List<string>(page);
            try
            {
                while (await ids.WaitToReadAsync(readerStop.Token))
                {
                    if (TakesNoMoreCalls(stopToken)) return;
                    while (wanted.Count < page && ids.TryRead(out var id)) wanted.Add(id);
                    var pending = await _outage.RunAsync(ct => store.PendingCallsAsync(options.ImportId, wanted, ct), readerStop.Token);
                    wanted.Clear();
                    foreach (var call in pending) await calls.Writer.WriteAsync(call, readerStop.Token);
                }
            }
            catch (OperationCanceledException) when (readerStop.IsCancellationRequested)
            {
                // Stopped by a failed call, the caller or the run's stop: the workers end with what they hold.
                TakesNoMoreCalls(stopToken);
            }
            finally
            {
                calls.Writer.TryComplete();
            }
        }

        async Task WorkAsync()
        {
            while (Volatile.Read(ref failure) is null && await calls.Reader.WaitToReadAsync(CancellationToken.None))
            {
                if (!calls.Reader.TryRead(out var pending)) continue;
                await backlog.WaitAsync(CancellationToken.None);
                Interlocked.Increment(ref outstanding);
                var call = ProcessOneAsync(pending, stopToken, out var started);
                _ = call.ContinueWith(finished, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                // The worker goes on once the call is started: stored, with only its commit left (or finished).
                await started.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        var reader = Task.Run(ReadAsync, CancellationToken.None);
        var workers = new Task[Math.Max(1, options.Concurrency)];
        for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(WorkAsync, CancellationToken.None);
        await Task.WhenAll(workers);
        // Workers stopped by a failure leave the reader waiting for room: it stops too.
        await readerStop.CancelAsync();
        await Task.WhenAny(reader);
        End();
        await ended.Task;
        if (Volatile.Read(ref failure) is { } error) ExceptionDispatchInfo.Throw(error);
        await reader; // its own failure (the database gone while reading a page), once the calls started have ended
    }

    /// <summary>Ids as a finished feed: one pass over the calls pending when it began.</summary>
    private static ChannelReader<string> FeedOf(IReadOnlyList<string> ids)
    {
        var feed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        foreach (var id in ids) feed.Writer.TryWrite(id);
        feed.Writer.TryComplete();
        return feed.Reader;
    }
}
