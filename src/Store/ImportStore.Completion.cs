using Npgsql;
using NpgsqlTypes;

namespace CallImport.Store;

/// <summary>How a call ended up done.</summary>
public enum CallOutcome { Imported, Skipped }

public sealed partial class ImportStore
{
    /// <summary>
    /// The engagement already stored for this call, if any, and which import batch wrote it.
    /// A call another batch already imported is skipped without asking the platform again.
    /// </summary>
    public async Task<string?> FindEngagementBatchAsync(string customerId, string importSource, string sourceCallId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT import_batch_id FROM engagements WHERE customer_id = $1 AND import_source = $2 AND source_call_id = $3
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(importSource);
        command.Parameters.AddWithValue(sourceCallId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// In one statement (so one transaction and one round trip): upserts the engagement on its unique key (a
    /// repeat is a no-op), queues a transcription request when it came without a transcript, and marks the call
    /// done — by its primary key. Either all of it happens or none does, so repeating it after a lost reply is safe.
    /// Returns <see cref="CallOutcome.Skipped"/> when another batch had already imported the call.
    /// <paramref name="statistics"/>, what the run measured since it last reported, is added to the import's
    /// totals in the same statement, so a run killed at any moment has reported what its finished calls cost.
    /// </summary>
    public async Task<CallOutcome> CompleteCallAsync(string importId, EngagementRecord engagement, CancellationToken cancellationToken) =>
        await CompleteCallAsync(importId, engagement, RunStatistics.Zero, cancellationToken);

    public async Task<CallOutcome> CompleteCallAsync(string importId, EngagementRecord engagement, RunStatistics statistics, CancellationToken cancellationToken)
    {
        await using var command = Command(CompleteCallSql);
        BindCompletion(command.Parameters, importId, engagement, statistics);
        // Typed parameters keep one server-side prepared statement for every call (nulls included).
        return Outcome(engagement, await command.ExecuteScalarAsync(cancellationToken) as string)
            ?? throw NeitherInsertedNorFound(engagement);
    }

    /// <summary>
    /// Group commit: the statement of <see cref="CompleteCallAsync(string, EngagementRecord, RunStatistics, CancellationToken)"/>
    /// for each call, sent in one round trip and run in one implicit transaction (a single Sync): all of them
    /// commit or none does, so a run killed at any moment has completed each call entirely or not at all, and a
    /// repeat is as safe as for one call. <paramref name="statistics"/> (what the run measured since its last
    /// report) goes with the first statement only, so the import's row is updated once per batch. An item is null
    /// when its engagement was neither inserted nor found (removed concurrently); the others are committed.
    /// </summary>
    public async Task<IReadOnlyList<CallOutcome?>> CompleteCallsAsync(string importId, IReadOnlyList<EngagementRecord> engagements, RunStatistics statistics, CancellationToken cancellationToken)
    {
        if (engagements.Count == 0) return [];
        await using var batch = DataSource.CreateBatch();
        for (var i = 0; i < engagements.Count; i++)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = CompleteCallSql;
            BindCompletion(command.Parameters, importId, engagements[i], i == 0 ? statistics : RunStatistics.Zero);
            batch.BatchCommands.Add(command);
        }
        Interlocked.Add(ref _commands, engagements.Count);
        var outcomes = new CallOutcome?[engagements.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < engagements.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                throw new InvalidOperationException($"The group commit returned {i} results for {engagements.Count} calls.");
            var batchId = await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? reader.GetString(0) : null;
            outcomes[i] = Outcome(engagements[i], batchId);
        }
        return outcomes;
    }

    public static InvalidOperationException NeitherInsertedNorFound(EngagementRecord engagement) => new(
        $"Call {engagement.SourceCallId}: its engagement was neither inserted nor found (removed concurrently?); the call stays pending.");

    private static CallOutcome? Outcome(EngagementRecord engagement, string? batchId) =>
        batchId is null ? null : batchId == engagement.ImportBatchId ? CallOutcome.Imported : CallOutcome.Skipped;

    // A data-modifying CTE sees the snapshot from before the statement: `stored` reads an engagement that
    // existed already, `inserted` the one this statement adds; exactly one of them has a row.
    private const string CompleteCallSql = """
        WITH inserted AS (
            INSERT INTO engagements (customer_id, import_source, source_call_id, title, started_at, duration_seconds,
                                     participants, media_uri, transcript, import_batch_id, imported_at, metadata_quality)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (customer_id, import_source, source_call_id) DO NOTHING
            RETURNING id, import_batch_id),
        engagement AS (
            SELECT id, import_batch_id FROM inserted
            UNION ALL
            SELECT id, import_batch_id FROM engagements
            WHERE customer_id = $1 AND import_source = $2 AND source_call_id = $3 AND NOT EXISTS (SELECT 1 FROM inserted)),
        queued AS (
            INSERT INTO transcription_requests (engagement_id, customer_id, media_uri, requested_at)
            SELECT id, $1, $8, $11 FROM engagement WHERE import_batch_id = $10 AND $9::jsonb IS NULL
            ON CONFLICT (engagement_id) DO NOTHING),
        done AS (
            UPDATE import_calls SET state = 'done',
                outcome = CASE WHEN (SELECT import_batch_id FROM engagement) = $10 THEN 'imported' ELSE 'skipped' END,
                metadata_quality = $12, last_error = NULL, retryable = NULL, updated_at = $11
            WHERE import_id = $13 AND source_call_id = $3),
        measured AS (
            UPDATE imports SET requests = requests + $14, throttled_requests = throttled_requests + $15,
                rate_limit_wait_ms = rate_limit_wait_ms + $16, processing_ms = processing_ms + $17, processed_attempts = processed_attempts + $18
            WHERE import_id = $13 AND ($14 <> 0 OR $15 <> 0 OR $16 <> 0 OR $17 <> 0 OR $18 <> 0))
        SELECT import_batch_id FROM engagement
        """;

    private void BindCompletion(NpgsqlParameterCollection p, string importId, EngagementRecord engagement, RunStatistics statistics)
    {
        p.AddWithValue(engagement.CustomerId);
        p.AddWithValue(engagement.ImportSource);
        p.AddWithValue(engagement.SourceCallId);
        p.Add(new NpgsqlParameter { Value = (object?)engagement.Title ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)engagement.StartedAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (object?)engagement.DurationSeconds ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter { Value = engagement.ParticipantsJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter { Value = (object?)engagement.MediaUri ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = (object?)engagement.TranscriptJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.AddWithValue(engagement.ImportBatchId);
        p.AddWithValue(Now.UtcDateTime);
        p.AddWithValue(engagement.MetadataQuality);
        p.AddWithValue(importId);
        p.AddWithValue(statistics.Requests);
        p.AddWithValue(statistics.ThrottledRequests);
        p.AddWithValue((long)statistics.RateLimitWait.TotalMilliseconds);
        p.AddWithValue((long)statistics.ProcessingTime.TotalMilliseconds);
        p.AddWithValue(statistics.ProcessedAttempts);
    }

    /// <summary>Marks a call done as skipped: another batch imported it already.</summary>
    public Task MarkCallSkippedAsync(string importId, string sourceCallId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE import_calls SET state = 'done', outcome = 'skipped', last_error = NULL, retryable = NULL, updated_at = $3
            WHERE import_id = $1 AND source_call_id = $2
            """, p => { p.AddWithValue(importId); p.AddWithValue(sourceCallId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);
}
