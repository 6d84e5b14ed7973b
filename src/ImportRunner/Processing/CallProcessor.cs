using System.Text.Json;
using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Storage;
using CallImport.Store;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Processing;

/// <summary>What became of one call in one attempt.</summary>
public enum CallResult { Imported, Skipped, WillRetry, Failed, NotReady }

/// <summary>
/// The unified processor: fetch the call → stream its media to storage → normalise its metadata →
/// in one transaction upsert the engagement, store the transcript or queue transcription, mark the call done.
/// Every step is idempotent: a call interrupted anywhere is simply processed again.
/// Failures of the whole run (credentials refused, quota spent, cancellation) propagate; a call's own failure is recorded.
/// </summary>
public sealed class CallProcessor(
    IImportContext context,
    IMediaStorage storage,
    ImportStore store,
    MetadataNormaliser normaliser,
    ImportRunOptions options,
    ILogger logger,
    DatabaseOutage? outage = null,
    RunStatisticsReporter? statistics = null,
    GroupCommit? commits = null)
{
    private readonly DatabaseOutage _outage = outage ?? new DatabaseOutage(DatabaseOutage.DefaultLimit, TimeProvider.System, logger);

    /// <summary>
    /// The run starts no more calls for now, and each call started has handed on its commit (the end of a pass): the
    /// group commit commits what it holds without waiting for more.
    /// </summary>
    public void NoMoreCallsComing() => commits?.NoMoreCallsComing();

    public async Task<CallResult> ProcessAsync(PendingCall pending, CancellationToken cancellationToken) =>
        await await StartAsync(pending, cancellationToken);

    /// <summary>
    /// The call's work with the platform and the storage. The task it returns is the rest: the call's commit, or
    /// its result when it ended before one. The run takes its next call once this method has returned, so a call
    /// waiting for its (group) commit holds none of the run's concurrency.
    /// </summary>
    public async Task<Task<CallResult>> StartAsync(PendingCall pending, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallId"] = pending.SourceCallId });
        try
        {
            // The pending list carries the batch of an engagement already stored for the call.
            if (pending.ImportedByBatch is { } existingBatch && existingBatch != options.BatchId)
            {
                await _outage.RunAsync(ct => store.MarkCallSkippedAsync(options.ImportId, pending.SourceCallId, ct), cancellationToken);
                logger.LogDebug("Call {CallId} already imported by batch {ImportBatchId}: skipped", pending.SourceCallId, existingBatch);
                return Task.FromResult(CallResult.Skipped);
            }

            var call = await context.FetchCallAsync(new CallReference(pending.SourceCallId, pending.StartedAt, pending.ListingPayload), cancellationToken);
            var mediaUri = await StoreMediaAsync(call, cancellationToken);
            var transcript = await context.FetchTranscriptAsync(call, cancellationToken);
            var normalised = normaliser.Normalise(call);

            var engagement = new EngagementRecord
            {
                CustomerId = options.CustomerId,
                ImportSource = options.Platform,
                SourceCallId = pending.SourceCallId,
                ImportBatchId = options.BatchId,
                Title = normalised.Title,
                StartedAt = normalised.StartedAt,
                DurationSeconds = normalised.DurationSeconds,
                ParticipantsJson = JsonSerializer.Serialize(normalised.Participants, RunnerJson.Default.IReadOnlyListNormalisedParticipant),
                MediaUri = mediaUri,
                TranscriptJson = transcript is null ? null : JsonSerializer.Serialize(TranscriptDocument.From(transcript), RunnerJson.Default.TranscriptDocument),
                MetadataQuality = normalised.Quality,
            };
            return FinishAsync(pending, engagement);
        }
        catch (PermanentCallException e)
        {
            return Task.FromResult(await FailAsync(pending, e.Message, retryable: false));
        }
        catch (CallSkippedException e)
        {
            await store.MarkCallSkippedForAsync(options.ImportId, pending.SourceCallId, e.Message, CancellationToken.None);
            logger.LogInformation("Call {CallId} skipped: {Reason}", pending.SourceCallId, e.Message);
            return Task.FromResult(CallResult.Skipped);
        }
        catch (CallNotReadyException e)
        {
            // Still processing at the vendor: not a failed attempt; a later pass or run looks again.
            var state = await store.RecordCallNotReadyAsync(options.ImportId, pending.SourceCallId, e.Message, MaxNotReadyAnswers, CancellationToken.None);
            logger.LogInformation("Call {CallId} not ready at the platform{Outcome}: {Reason}", pending.SourceCallId,
                state == CallState.Pending ? ", will look again later" : $", failed after {MaxNotReadyAnswers} answers", e.Message);
            return Task.FromResult(state == CallState.Pending ? CallResult.NotReady : CallResult.Failed);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return Task.FromResult(await FailAsync(pending, e.Message, retryable: true));
        }
    }

    private async Task<CallResult> FinishAsync(PendingCall pending, EngagementRecord engagement)
    {
        try
        {
            var outcome = await CommitAsync(engagement);
            logger.LogDebug("Call {CallId} {Outcome} with {MetadataQuality} metadata", pending.SourceCallId, outcome, engagement.MetadataQuality);
            return outcome == CallOutcome.Imported ? CallResult.Imported : CallResult.Skipped;
        }
        catch (Exception e) when (IsTransient(e, CancellationToken.None))
        {
            return await FailAsync(pending, e.Message, retryable: true);
        }
    }

    /// <summary>
    /// The call's one statement, carrying what the run measured since its last report; never half-cancelled.
    /// With a <see cref="GroupCommit"/>, in the same transaction as the calls that finished alongside it (the group
    /// commit makes their media durable first); alone, after making its media durable itself.
    /// </summary>
    private Task<CallOutcome> CommitAsync(EngagementRecord engagement) =>
        _outage.RunAsync(async ct =>
        {
            if (commits is null && engagement.MediaUri is not null) await storage.MakeDurableAsync(ct);
            var measured = statistics?.Take() ?? RunStatistics.Zero;
            try
            {
                return commits is null
                    ? await store.CompleteCallAsync(options.ImportId, engagement, measured, ct)
                    : await commits.CommitAsync(engagement, measured, ct);
            }
            catch
            {
                statistics?.GiveBack(measured);
                throw;
            }
        }, CancellationToken.None);

    /// <summary>How often a call may be "not ready" over all runs before it fails: well beyond its attempts.</summary>
    private int MaxNotReadyAnswers => Math.Max(1, options.MaxAttemptsPerCall) * 4;

    /// <summary>Opens for one download: a refused signed URL is asked for afresh (the context fetches a new one) this many times in all.</summary>
    private const int MediaUrlTries = 3;

    private async Task<string?> StoreMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreMediaOnceAsync(call, cancellationToken);
            }
            catch (MediaUrlExpiredException e) when (attempt < MediaUrlTries)
            {
                logger.LogInformation("Call {CallId}: {Reason}; asking the platform for a fresh URL", call.SourceCallId, e.Message);
            }
        }
    }

    private async Task<string?> StoreMediaOnceAsync(SourceCall call, CancellationToken cancellationToken)
    {
        await using var media = await context.OpenMediaAsync(call, cancellationToken);
        if (media is null) return null;
        var objectName = ObjectName(call.SourceCallId, media.FileExtension);
        // A run killed after the upload but before the commit finds the object already there. It is taken only when
        // its length is the one the source announces: a local file written before the machine itself went down
        // (renamed, never flushed) can come back short or empty, and a source that announces no length gives
        // nothing to tell it by, so its call is stored again.
        var existing = await storage.FindAsync(objectName, cancellationToken);
        if (existing is not null && media.Length is { } length && length == existing.Length)
            return existing.Uri;
        var stored = await storage.PutAsync(objectName, media.Content, media.ContentType, media.Length, cancellationToken);
        return stored.Uri;
    }

    /// <summary>
    /// Removes recordings half-written by runs killed mid-write before <paramref name="runStart"/> for calls whose
    /// retry never came (failed for good, deleted at the vendor): once per run, before its first call. A failure
    /// to clean up is logged, never fatal.
    /// </summary>
    public async Task RemoveAbandonedMediaAsync(DateTimeOffset runStart, CancellationToken cancellationToken)
    {
        var prefix = $"{Uri.EscapeDataString(options.CustomerId)}/{options.Platform}";
        try
        {
            var removed = await storage.RemoveAbandonedAsync(prefix, runStart, cancellationToken);
            if (removed > 0) logger.LogInformation("Removed {Count} recordings left half-written by earlier runs under {Prefix}", removed, prefix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TransientCallException)
        {
            logger.LogWarning("Could not remove recordings left half-written under {Prefix}: {Error}", prefix, e.Message);
        }
    }

    /// <summary><c>{customerId}/{platform}/{sourceCallId}/recording{ext}</c>, with the id escaped so it stays one path segment.</summary>
    public string ObjectName(string sourceCallId, string extension) =>
        $"{Uri.EscapeDataString(options.CustomerId)}/{options.Platform}/{Uri.EscapeDataString(sourceCallId)}/recording{extension}";

    private async Task<CallResult> FailAsync(PendingCall pending, string error, bool retryable)
    {
        var state = await _outage.RunAsync(ct => store.RecordCallFailureAsync(options.ImportId, pending.SourceCallId, error, retryable, options.MaxAttemptsPerCall, ct), CancellationToken.None);
        if (state == CallState.Pending)
        {
            logger.LogInformation("Call {CallId} failed (attempt {Attempt} of {MaxAttempts}), will retry: {Error}", pending.SourceCallId, pending.Attempts + 1, options.MaxAttemptsPerCall, error);
            return CallResult.WillRetry;
        }
        logger.LogWarning("Call {CallId} failed{Permanence}: {Error}", pending.SourceCallId, retryable ? " after all attempts" : " permanently", error);
        return CallResult.Failed;
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        TransientCallException or MediaUrlExpiredException or MediaIntegrityException or HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException => true,
        Npgsql.NpgsqlException { IsTransient: true } => true,
        OperationCanceledException when !cancellationToken.IsCancellationRequested => true,
        _ => false,
    };
}
