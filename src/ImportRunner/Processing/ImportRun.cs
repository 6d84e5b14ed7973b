using System.Diagnostics;
using System.Threading.Channels;
using CallImport.ImportRunner.Platforms;
using CallImport.Store;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// One run of an import: check the credentials, list the date range once (recording every call as pending; where
/// listing costs no vendor request, the calls listed are taken as it goes), then process pending calls with bounded
/// concurrency, pass after pass, until each is done or failed —
/// or until the window closes, the day's quota is spent or the run is asked to stop, when it finishes what
/// it holds and leaves the rest pending for the next run.
/// </summary>
public sealed class ImportRun(
    IImportContext context,
    CallProcessor processor,
    ImportStore store,
    ImportRunOptions options,
    ImportCounters counters,
    TimeProvider time,
    ILogger logger,
    Func<DateTimeOffset>? nextQuotaReset = null,
    Limits.RequestStatistics? requests = null,
    DatabaseOutage? outage = null,
    RunStatisticsReporter? statistics = null)
{
    private readonly DatabaseOutage _outage = outage ?? new DatabaseOutage(DatabaseOutage.DefaultLimit, time, logger);
    private volatile bool _databaseLost;
    private readonly RunStatisticsReporter _statistics = statistics ?? new RunStatisticsReporter(counters, requests);

    private const int ListingBatch = 100;
    /// <summary>Refusals in a row, after the credentials passed their check, that mean the credentials (not one call) are refused.</summary>
    private const int RefusalsMeaningCredentials = 5;
    private int _refusalsInARow;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private int _stopReason = -1;

    /// <summary>Set once, by whichever reason comes first.</summary>
    private StopReason? Stop
    {
        get => Volatile.Read(ref _stopReason) is var r and >= 0 ? (StopReason)r : null;
        set
        {
            if (value is { } reason && Interlocked.CompareExchange(ref _stopReason, (int)reason, -1) == -1 && reason != StopReason.WindowClosed)
                _stopped.Cancel();
        }
    }

    /// <summary>
    /// Cancelled when the run stops for any reason but its window closing: a listing still going stops with it. The
    /// window stops only the taking of calls, as it did when the listing came first.
    /// </summary>
    private readonly CancellationTokenSource _stopped = new();

    public async Task<(ImportRunSummary Summary, int ExitCode)> RunAsync(CancellationToken stopToken)
    {
        var started = Stopwatch.GetTimestamp();
        await store.EnsureImportAsync(new ImportDefinition(options.ImportId, options.CustomerId, options.Platform, options.From, options.To), stopToken);
        var before = await store.GetProgressAsync(options.ImportId, 0, stopToken);
        await store.StartRunAsync(options.ImportId, options.RunId, stopToken);
        logger.LogInformation("Run {RunId} of import {ImportId} started: {Platform} calls of {CustomerId} from {From:o} to {To:o}",
            options.RunId, options.ImportId, options.Platform, options.CustomerId, options.From, options.To);

        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(heartbeatStop.Token);
        try
        {
            // Settings first: a refused filter must not cost a vendor request (nor a crashed run).
            context.ValidateQuery(new CallQuery(options.From, options.To, options.Filters));
            await context.ValidateCredentialsAsync(stopToken);
            await store.RecordStartErrorAsync(options.ImportId, null, null, stopToken);
            // Only a run lists, so what the store said before this run started still holds.
            var listing = before?.ListingComplete != true;
            if (listing) await ListAndProcessAsync(stopToken);
            await ProcessPendingAsync(firstPass: listing ? 1 : 0, stopToken);
        }
        catch (CredentialsRejectedException e)
        {
            await RecordCredentialsRejectedAsync(e);
        }
        catch (DailyQuotaExhaustedException e)
        {
            await RecordQuotaExhaustedAsync(e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            // Filters or a folder the context refuses: nothing will change until a person fixes the job.
            Stop = StopReason.InvalidSettings;
            logger.LogError("The import's settings are refused: {Error}", e.Message);
            await store.RecordStartErrorAsync(options.ImportId, "settings", e.Message, CancellationToken.None);
        }
        catch (TransientCallException e)
        {
            // The HTTP pipeline already retried; the next run (the operator's, or the user's) tries again.
            Stop = StopReason.PlatformUnavailable;
            logger.LogError("The platform is not answering, ending this run: {Error}", e.Message);
        }
        catch (DatabaseUnavailableException e)
        {
            DatabaseLost(e);
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
        {
            Stop = StopReason.Interrupted;
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            if (!_databaseLost)
                try { await ReportStatisticsAsync(CancellationToken.None); }
                catch (Exception e) when (DatabaseOutage.IsOutage(e)) { _databaseLost = true; }
        }

        ImportProgress? progress = null;
        if (!_databaseLost)
            try { progress = await store.GetProgressAsync(options.ImportId, 0, CancellationToken.None); }
            catch (Exception e) when (DatabaseOutage.IsOutage(e)) { DatabaseLost(new DatabaseUnavailableException($"The database went away at the end of the run ({e.Message}).", e)); }
        progress ??= _databaseLost ? ProgressFromCounters(before) : throw new InvalidOperationException($"Import {options.ImportId} vanished from the store.");
        var processed = Math.Max(0, progress.Imported - (before?.Imported ?? 0));
        var summary = new ImportRunSummary(progress.Total, processed, progress.Failed,
            Skipped: progress.Imported + progress.Skipped - processed,
            Stopwatch.GetElapsedTime(started).TotalSeconds)
        {
            Pending = progress.Pending,
            StopReason = Stop?.ToString(),
        };
        var exitCode = _databaseLost ? ExitCodes.Error : Stop switch
        {
            StopReason.CredentialsRejected or StopReason.InvalidSettings => ExitCodes.CouldNotStart,
            StopReason.PlatformUnavailable or StopReason.DatabaseUnavailable => ExitCodes.Error,
            not null when progress.Pending > 0 => ExitCodes.StoppedEarly,
            _ when progress.Pending > 0 => ExitCodes.StoppedEarly,
            _ when progress.Failed > 0 => ExitCodes.CallsFailed,
            _ => ExitCodes.Success,
        };
        logger.LogInformation("Run {RunId} ended: {Processed} imported, {Skipped} skipped, {Failed} failed, {Pending} pending of {Total} ({StopReason})",
            options.RunId, summary.Processed, summary.Skipped, summary.Failed, summary.Pending, summary.Total, Stop?.ToString() ?? "finished");
        return (summary, exitCode);
    }

    /// <summary>
    /// The first pass of a run that lists: the listing records every call as pending, a batch at a time, and with
    /// <see cref="ImportRunOptions.TakeCallsWhileListing"/> the workers already take the calls it records, while the
    /// queue has room. Then the pass takes the calls left pending, a page at a time, as every later pass does.
    /// </summary>
    private async Task ListAndProcessAsync(CancellationToken stopToken)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await ProcessPassAsync(ListingQueueLength, async (queue, listingToken, queueToken) =>
        {
            var query = new CallQuery(options.From, options.To, options.Filters);
            var batch = new List<ListedCall>(ListingBatch);
            await foreach (var call in context.ListCallsAsync(query, listingToken))
            {
                batch.Add(new ListedCall(call.SourceCallId, call.StartedAt, call.ListingPayload));
                if (batch.Count < ListingBatch) continue;
                await RecordListedAsync(batch, queue, taken, listingToken);
                batch.Clear();
            }
            await RecordListedAsync(batch, queue, taken, listingToken);
            await _outage.RunAsync(ct => store.MarkListingCompleteAsync(options.ImportId, ct), listingToken);
            logger.LogInformation("Listing complete: {Listed} calls in range", counters.Listed);

            var pending = WithoutCallsNotReady(await _outage.RunAsync(ct => store.PendingCallIdsAsync(options.ImportId, ct), queueToken));
            context.CallsPending(pending.ToHashSet(StringComparer.Ordinal));
            await QueuePagesAsync([.. pending.Where(id => !taken.Contains(id))], queue.Writer, queueToken);
        }, stopToken);
    }

    /// <summary>Records a batch of listed calls; while the workers' queue has room, queues those of them recorded now.</summary>
    private async Task RecordListedAsync(List<ListedCall> batch, Channel<PendingCall> queue, HashSet<string> taken, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        if (!options.TakeCallsWhileListing || queue.Reader.Count >= ListingQueueLength || TakesNoMoreCalls(CancellationToken.None))
            await _outage.RunAsync(ct => store.RecordListedCallsAsync(options.ImportId, batch, ct), cancellationToken);
        else
            foreach (var call in await _outage.RunAsync(ct => store.RecordListedCallsToProcessAsync(options.ImportId, batch, ct), cancellationToken))
                if (queue.Writer.TryWrite(call)) taken.Add(call.SourceCallId);
        counters.AddListed(batch.Count);
    }

    private async Task ProcessPendingAsync(int firstPass, CancellationToken stopToken)
    {
        for (var pass = firstPass; Stop is null; pass++)
        {
            var pending = await _outage.RunAsync(ct => store.PendingCallIdsAsync(options.ImportId, ct), stopToken);
            pending = WithoutCallsNotReady(pending);
            if (pending.Count == 0) return;
            context.CallsPending(pending.ToHashSet(StringComparer.Ordinal));
            if (pass > 0)
            {
                // Calls left pending failed transiently last pass: give the vendor a moment before trying again.
                var pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, pass - 1)));
                logger.LogInformation("{Pending} calls to retry after {Pause}", pending.Count, pause);
                await Task.Delay(pause, time, stopToken);
            }
            await ProcessPassAsync(PassQueueLength, (queue, _, queueToken) => QueuePagesAsync(pending, queue.Writer, queueToken), stopToken);
        }
    }

    /// <summary>
    /// Queues the calls of a pass (<paramref name="pending"/>, their ids), read a page at a time so that only a page
    /// of listing payloads is held. The pages come from that list, not from a fresh query, so a call that fails
    /// transiently in this pass waits for the next one.
    /// </summary>
    private async Task QueuePagesAsync(IReadOnlyList<string> pending, ChannelWriter<PendingCall> queue, CancellationToken cancellationToken)
    {
        foreach (var ids in pending.Chunk(Math.Max(1, options.PendingPageSize)))
        {
            if (TakesNoMoreCalls(CancellationToken.None)) return;
            var page = await _outage.RunAsync(ct => store.PendingCallsAsync(options.ImportId, ids, ct), cancellationToken);
            foreach (var call in page) await queue.WriteAsync(call, cancellationToken);
        }
    }

    /// <summary>Calls queued for the workers in a pass that reads pages: a few per worker, so the next is always there.</summary>
    private int PassQueueLength => 2 * Math.Max(1, options.Concurrency);

    /// <summary>Calls the listing may queue for the workers as it goes: a page's worth, what a later pass holds too.</summary>
    private int ListingQueueLength => Math.Max(1, options.PendingPageSize);

    /// <summary>
    /// Calls that may wait for their commit while the workers go on (a group commit takes them together); a
    /// pass ends only when every call of it has, so the next pass never starts with a call still being committed.
    /// </summary>
    private int CommitBacklog => GroupCommit.BacklogFor(options.Concurrency);

    /// <summary>
    /// One pass: <paramref name="produce"/> queues its calls while <c>--concurrency</c> workers take them, each the
    /// next as soon as its previous one no longer needs the platform or the storage; a call's commit completes on its
    /// own (group commit), at most <see cref="CommitBacklog"/> of them outstanding. The first unexpected error of a
    /// call stops the workers and ends the pass with it. When the run stops, the workers stop taking calls and the
    /// queueing (<paramref name="produce"/>'s second token) stops; a listing still going (its first token) stops too,
    /// unless the window closed: a listing is not a call, and goes on to its end as when the window closed before it.
    /// A failure of <paramref name="produce"/> stops the workers, and is thrown once the calls they took have ended.
    /// </summary>
    private async Task ProcessPassAsync(int queueLength, Func<Channel<PendingCall>, CancellationToken, CancellationToken, Task> produce, CancellationToken stopToken)
    {
        var queue = Channel.CreateBounded<PendingCall>(new BoundedChannelOptions(queueLength) { SingleWriter = true });
        var callFailed = new CancellationTokenSource(); // not disposed: a call's continuation may cancel it after the pass
        using var listingStop = CancellationTokenSource.CreateLinkedTokenSource(stopToken, _stopped.Token, callFailed.Token);
        using var queueStop = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        Exception? produceFailure = null;
        var producing = Task.Run(async () =>
        {
            try { await produce(queue, listingStop.Token, queueStop.Token); }
            catch (OperationCanceledException) when (!stopToken.IsCancellationRequested && (listingStop.IsCancellationRequested || queueStop.IsCancellationRequested)) { } // the pass ended first
            catch (Exception e) { produceFailure = e; }
            finally { queue.Writer.TryComplete(); }
        }, CancellationToken.None);

        var backlog = new SemaphoreSlim(CommitBacklog); // not disposed: the last calls release it as the pass ends
        var calls = new List<Task>();

        // A call that failed unexpectedly stops the workers; its exception ends the pass from Task.WhenAll below.
        Action<Task> finished = call =>
        {
            backlog.Release();
            if (call.IsFaulted) callFailed.Cancel();
        };

        async Task WorkAsync()
        {
            while (await NextCallAsync())
            {
                // Stop taking new calls when asked; calls already started run to their end.
                if (TakesNoMoreCalls(stopToken) || Volatile.Read(ref produceFailure) is not null) return;
                if (!queue.Reader.TryRead(out var pending)) continue;
                await backlog.WaitAsync(CancellationToken.None);
                var call = ProcessOneAsync(pending, out var started);
                lock (calls) calls.Add(call);
                _ = call.ContinueWith(finished, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                // The worker goes on once the call is started: stored, with only its commit left (or finished).
                await started.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // False once the pass has no more calls, or a call failed unexpectedly (then a worker waiting on an empty queue
        // must not wait for the listing's next batch).
        async Task<bool> NextCallAsync()
        {
            try { return await queue.Reader.WaitToReadAsync(callFailed.Token); }
            catch (OperationCanceledException) { return false; }
        }

        try
        {
            var workers = new Task[Math.Max(1, options.Concurrency)];
            for (var w = 0; w < workers.Length; w++) workers[w] = Task.Run(WorkAsync, CancellationToken.None);
            await Task.WhenAll(workers);
            // Each worker waited for its last call to hand on its commit: nothing more joins the commits of this pass.
            processor.NoMoreCallsComing();
            Task[] all;
            lock (calls) all = [.. calls];
            await Task.WhenAll(all);
        }
        finally
        {
            if (Stop is not StopReason.WindowClosed) await listingStop.CancelAsync();
            await queueStop.CancelAsync();
            await producing;
        }
        if (produceFailure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(produceFailure);
    }

    /// <summary>Passes in one run that look again at a call the vendor has not finished; then it waits for the next run.</summary>
    private const int NotReadyPassesPerRun = 3;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _notReady = new(StringComparer.Ordinal);

    /// <summary>Pending calls minus those the vendor said were not ready too often in this run (they stay pending for the next).</summary>
    private IReadOnlyList<string> WithoutCallsNotReady(IReadOnlyList<string> pending) =>
        _notReady.IsEmpty ? pending : [.. pending.Where(id => _notReady.GetValueOrDefault(id) < NotReadyPassesPerRun)];

    /// <summary>
    /// Processes one call to its end (the task returned); <paramref name="started"/> completes as soon as the call
    /// no longer needs the platform or the storage, when only its commit is left.
    /// </summary>
    private Task ProcessOneAsync(PendingCall call, out Task started)
    {
        counters.Started();
        var begun = Stopwatch.GetTimestamp();
        var start = processor.StartAsync(call, CancellationToken.None);
        started = start;
        return FinishOneAsync(call, start, begun);
    }

    /// <summary>Whether the run takes no new call: it was stopped, asked to stop, or its window closed (then recorded as why it stopped).</summary>
    private bool TakesNoMoreCalls(CancellationToken stopToken)
    {
        if (Stop is not null || _databaseLost) return true;
        if (stopToken.IsCancellationRequested) { Stop = StopReason.Interrupted; return true; }
        if (options.StopAt is { } stopAt && time.GetUtcNow() >= stopAt) { Stop = StopReason.WindowClosed; return true; }
        return false;
    }

    private async Task FinishOneAsync(PendingCall call, Task<Task<CallResult>> start, long begun)
    {
        try
        {
            var result = await await start;
            counters.AddProcessingTime(Stopwatch.GetElapsedTime(begun));
            switch (result)
            {
                case CallResult.Imported: counters.CallProcessed(); Interlocked.Exchange(ref _refusalsInARow, 0); break;
                case CallResult.Skipped: counters.CallSkipped(); Interlocked.Exchange(ref _refusalsInARow, 0); break;
                case CallResult.WillRetry: counters.CallRetried(); break;
                case CallResult.Failed: counters.CallFailed(); break;
                case CallResult.NotReady: counters.CallRetried(); _notReady.AddOrUpdate(call.SourceCallId, 1, (_, n) => n + 1); break;
            }
            // A call failed after its last attempt comes back to no context method: only here is it known to be over.
            if (result is CallResult.Imported or CallResult.Skipped or CallResult.Failed
                || (result is CallResult.NotReady && _notReady.GetValueOrDefault(call.SourceCallId) >= NotReadyPassesPerRun))
                context.CallEnded(call.SourceCallId);
        }
        catch (CredentialsRejectedException e)
        {
            // The credentials passed their check at the start: one refused call may be that call alone (a
            // recording the token may not see). It is retried later; only refusals in a row stop the run.
            if (Interlocked.Increment(ref _refusalsInARow) >= RefusalsMeaningCredentials)
            {
                await RecordCredentialsRejectedAsync(e);
                return;
            }
            var state = await _outage.RunAsync(ct => store.RecordCallFailureAsync(options.ImportId, call.SourceCallId, e.Message, retryable: true, options.MaxAttemptsPerCall, ct), CancellationToken.None);
            if (state == CallState.Pending) counters.CallRetried();
            else
            {
                counters.CallFailed();
                context.CallEnded(call.SourceCallId);
            }
            logger.LogWarning("Call {CallId} refused by the platform: {Error}", call.SourceCallId, e.Message);
        }
        catch (DailyQuotaExhaustedException e)
        {
            await RecordQuotaExhaustedAsync(e);
        }
        catch (DatabaseUnavailableException e)
        {
            DatabaseLost(e);
        }
        finally
        {
            counters.Finished();
        }
    }

    private async Task RecordCredentialsRejectedAsync(CredentialsRejectedException e)
    {
        Stop = StopReason.CredentialsRejected;
        logger.LogError("Credentials rejected: {Error}", e.Message);
        await store.RecordStartErrorAsync(options.ImportId, "credentials", e.Message, CancellationToken.None);
    }

    private async Task RecordQuotaExhaustedAsync(DailyQuotaExhaustedException e)
    {
        Stop = StopReason.DailyQuotaExhausted;
        logger.LogWarning("Stopping: {Reason}", e.Message);
        var reset = e.ResetsAt ?? nextQuotaReset?.Invoke() ?? new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        await store.RecordQuotaExhaustedAsync(options.ImportId, reset, CancellationToken.None);
    }

    /// <summary>Adds what this run measured since its last report to the import's totals.</summary>
    private async Task ReportStatisticsAsync(CancellationToken cancellationToken)
    {
        var delta = _statistics.Take();
        try
        {
            await store.AddRunStatisticsAsync(options.ImportId, delta, cancellationToken);
        }
        catch
        {
            _statistics.GiveBack(delta);
            throw;
        }
    }

    private void DatabaseLost(DatabaseUnavailableException e)
    {
        lock (_outage)
        {
            if (_databaseLost) return;
            _databaseLost = true;
        }
        Stop = StopReason.DatabaseUnavailable;
        logger.LogError("{Reason}", e.Message);
    }

    /// <summary>With the database gone, the summary comes from what this run counted itself.</summary>
    private ImportProgress ProgressFromCounters(ImportProgress? before)
    {
        var total = Math.Max(before?.Total ?? 0, counters.Listed);
        var imported = (before?.Imported ?? 0) + counters.Processed;
        var skipped = (before?.Skipped ?? 0) + counters.Skipped;
        var failed = (before?.Failed ?? 0) + counters.Failed;
        return new ImportProgress
        {
            ImportId = options.ImportId, Total = total, Imported = imported, Skipped = skipped, Failed = failed,
            Pending = Math.Max(0, total - imported - skipped - failed),
        };
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // The end of the run cancels this wait: no exception on the normal path.
                await Task.Delay(HeartbeatInterval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested) return;
                await store.HeartbeatAsync(options.ImportId, cancellationToken);
                await ReportStatisticsAsync(cancellationToken);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) when (DatabaseOutage.IsOutage(e)) { } // the calls' own retries say so, once
            catch (Npgsql.NpgsqlException e) { logger.LogWarning("Heartbeat failed: {Error}", e.Message); }
        }
    }
}
