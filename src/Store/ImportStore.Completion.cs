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
    /// The statement is the group commit's with one call: one SQL to keep right, and the same answer for a call
    /// whether it was committed alone or with others.
    /// </summary>
    public async Task<CallOutcome> CompleteCallAsync(string importId, EngagementRecord engagement, CancellationToken cancellationToken) =>
        await CompleteCallAsync(importId, engagement, RunStatistics.Zero, cancellationToken);

    public async Task<CallOutcome> CompleteCallAsync(string importId, EngagementRecord engagement, RunStatistics statistics, CancellationToken cancellationToken) =>
        (await CompleteCallsAsync(importId, [engagement], statistics, cancellationToken))[0] ?? throw NeitherInsertedNorFound(engagement);

    /// <summary>
    /// Group commit: the calls of one import (one customer, platform and batch), completed by ONE set-based
    /// statement that takes them as arrays — one round trip, one transaction, one execution of a prepared
    /// statement however many calls there are. All of them commit or none does, so a run killed at any moment
    /// has completed each call entirely or not at all, and a repeat is as safe as for one call.
    /// <paramref name="statistics"/> (what the run measured since its last report) is added to the import once.
    /// An item is null when its engagement was neither inserted nor found (inserted by a transaction that
    /// committed while this one ran, or removed): that call stays pending, the others are committed. The same
    /// call id twice in one batch is completed once and both items get its outcome.
    /// </summary>
    public async Task<IReadOnlyList<CallOutcome?>> CompleteCallsAsync(string importId, IReadOnlyList<EngagementRecord> engagements, RunStatistics statistics, CancellationToken cancellationToken)
    {
        if (engagements.Count == 0) return [];
        await using var command = Command(CompleteCallsSql);
        BindCompletion(command.Parameters, importId, engagements, statistics);
        var outcomes = new CallOutcome?[engagements.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var i = 0;
        for (; await reader.ReadAsync(cancellationToken); i++)
        {
            if (i >= outcomes.Length) throw new InvalidOperationException($"The group commit returned more than the {engagements.Count} calls it was given.");
            outcomes[i] = Outcome(engagements[i], reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        if (i != outcomes.Length) throw new InvalidOperationException($"The group commit returned {i} results for {engagements.Count} calls.");
        return outcomes;
    }

    public static InvalidOperationException NeitherInsertedNorFound(EngagementRecord engagement) => new(
        $"Call {engagement.SourceCallId}: its engagement was neither inserted nor found (removed concurrently?); the call stays pending.");

    private static CallOutcome? Outcome(EngagementRecord engagement, string? batchId) =>
        batchId is null ? null : batchId == engagement.ImportBatchId ? CallOutcome.Imported : CallOutcome.Skipped;

    // $1 customer, $2 platform, $3 batch (one per import), $4–$11 one array element per call, $12 now, $13 the
    // import, $14–$18 statistics. The statement never depends on the planner guessing right about tables that
    // a fresh import has not analysed yet (runners use cached generic plans): every per-call lookup is a LATERAL
    // subquery kept apart by OFFSET 0, so it runs per call as a probe of a unique index, and the call's state is
    // written by INSERT … ON CONFLICT DO UPDATE, whose conflict check is a probe of the primary key by
    // construction. A join would let the planner hash a scan of the whole table (or of the import's calls).
    // All parts see the snapshot from before the statement: `inserted` holds the engagements this statement
    // adds, the LATERAL lookup those stored before it; a call with neither is left pending.
    internal const string CompleteCallsSql = """
        WITH call AS (
            SELECT * FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::integer[], $8::jsonb[], $9::text[], $10::jsonb[], $11::text[])
                WITH ORDINALITY AS c(source_call_id, title, started_at, duration_seconds, participants, media_uri, transcript, metadata_quality, ord)),
        -- One row per call id (its first): INSERT … ON CONFLICT may not meet one key twice in a statement.
        distinct_call AS (
            SELECT DISTINCT ON (source_call_id) * FROM call ORDER BY source_call_id, ord),
        -- In key order, so that two transactions inserting the same calls wait for each other instead of deadlocking.
        inserted AS (
            INSERT INTO engagements (customer_id, import_source, source_call_id, title, started_at, duration_seconds,
                                     participants, media_uri, transcript, import_batch_id, imported_at, metadata_quality)
            SELECT $1, $2, source_call_id, title, started_at, duration_seconds, participants, media_uri, transcript, $3, $12, metadata_quality
            FROM distinct_call ORDER BY source_call_id
            ON CONFLICT (customer_id, import_source, source_call_id) DO NOTHING
            RETURNING id, source_call_id, import_batch_id),
        engagement AS (
            SELECT d.source_call_id, d.media_uri, d.transcript, d.metadata_quality,
                   coalesce(i.id, s.id) AS engagement_id, coalesce(i.import_batch_id, s.import_batch_id) AS stored_batch_id
            FROM distinct_call d
            LEFT JOIN inserted i ON i.source_call_id = d.source_call_id
            LEFT JOIN LATERAL (
                SELECT e.id, e.import_batch_id FROM engagements e
                WHERE i.id IS NULL AND e.customer_id = $1 AND e.import_source = $2 AND e.source_call_id = d.source_call_id
                OFFSET 0) s ON true),
        queued AS (
            INSERT INTO transcription_requests (engagement_id, customer_id, media_uri, requested_at)
            SELECT engagement_id, $1, media_uri, $12 FROM engagement
            WHERE stored_batch_id = $3 AND transcript IS NULL
            ON CONFLICT (engagement_id) DO NOTHING),
        -- Only calls listed in this import: the conflict always happens, so the row is updated, never added.
        done AS (
            INSERT INTO import_calls AS c (import_id, source_call_id, state, outcome, metadata_quality, updated_at)
            SELECT $13, e.source_call_id, 'done', CASE WHEN e.stored_batch_id = $3 THEN 'imported' ELSE 'skipped' END, e.metadata_quality, $12
            FROM engagement e
            JOIN LATERAL (SELECT 1 FROM import_calls l WHERE l.import_id = $13 AND l.source_call_id = e.source_call_id OFFSET 0) listed ON true
            WHERE e.stored_batch_id IS NOT NULL
            ON CONFLICT (import_id, source_call_id) DO UPDATE SET state = 'done', outcome = EXCLUDED.outcome,
                metadata_quality = EXCLUDED.metadata_quality, last_error = NULL, retryable = NULL, updated_at = EXCLUDED.updated_at),
        measured AS (
            UPDATE imports SET requests = requests + $14, throttled_requests = throttled_requests + $15,
                rate_limit_wait_ms = rate_limit_wait_ms + $16, processing_ms = processing_ms + $17, processed_attempts = processed_attempts + $18
            WHERE import_id = $13 AND ($14 <> 0 OR $15 <> 0 OR $16 <> 0 OR $17 <> 0 OR $18 <> 0))
        SELECT e.stored_batch_id FROM call c LEFT JOIN engagement e ON e.source_call_id = c.source_call_id ORDER BY c.ord
        """;

    /// <summary>
    /// Fixed parameters of fixed types, nulls and arrays included, so every group commit of every size executes
    /// the one prepared statement. The import's own values go once; each call's go as one element of each array.
    /// </summary>
    private void BindCompletion(NpgsqlParameterCollection p, string importId, IReadOnlyList<EngagementRecord> engagements, RunStatistics statistics)
    {
        var first = engagements[0];
        foreach (var engagement in engagements)
        {
            if (engagement.CustomerId != first.CustomerId || engagement.ImportSource != first.ImportSource || engagement.ImportBatchId != first.ImportBatchId)
                throw new ArgumentException(
                    $"Call {engagement.SourceCallId}: a group commit holds one import's calls, but its CustomerId, ImportSource or ImportBatchId " +
                    $"differs from call {first.SourceCallId}'s. Commit each import's calls separately.", nameof(engagements));
        }
        p.Add(Typed(NpgsqlDbType.Text, first.CustomerId));
        p.Add(Typed(NpgsqlDbType.Text, first.ImportSource));
        p.Add(Typed(NpgsqlDbType.Text, first.ImportBatchId));
        p.Add(Array(NpgsqlDbType.Text, engagements, e => e.SourceCallId));
        p.Add(Array(NpgsqlDbType.Text, engagements, e => e.Title));
        p.Add(Array(NpgsqlDbType.TimestampTz, engagements, e => e.StartedAt?.UtcDateTime));
        p.Add(Array(NpgsqlDbType.Integer, engagements, e => e.DurationSeconds));
        p.Add(Array(NpgsqlDbType.Jsonb, engagements, e => e.ParticipantsJson));
        p.Add(Array(NpgsqlDbType.Text, engagements, e => e.MediaUri));
        p.Add(Array(NpgsqlDbType.Jsonb, engagements, e => e.TranscriptJson));
        p.Add(Array(NpgsqlDbType.Text, engagements, e => e.MetadataQuality));
        p.Add(Typed(NpgsqlDbType.TimestampTz, Now.UtcDateTime));
        p.Add(Typed(NpgsqlDbType.Text, importId));
        p.Add(Typed(NpgsqlDbType.Bigint, statistics.Requests));
        p.Add(Typed(NpgsqlDbType.Bigint, statistics.ThrottledRequests));
        p.Add(Typed(NpgsqlDbType.Bigint, (long)statistics.RateLimitWait.TotalMilliseconds));
        p.Add(Typed(NpgsqlDbType.Bigint, (long)statistics.ProcessingTime.TotalMilliseconds));
        p.Add(Typed(NpgsqlDbType.Bigint, statistics.ProcessedAttempts));
    }

    private static NpgsqlParameter Typed(NpgsqlDbType type, object value) => new() { NpgsqlDbType = type, Value = value };

    private static NpgsqlParameter<T[]> Array<T>(NpgsqlDbType elementType, IReadOnlyList<EngagementRecord> engagements, Func<EngagementRecord, T> element)
    {
        var values = new T[engagements.Count];
        for (var i = 0; i < values.Length; i++) values[i] = element(engagements[i]);
        return new NpgsqlParameter<T[]> { NpgsqlDbType = NpgsqlDbType.Array | elementType, TypedValue = values };
    }

    /// <summary>Marks a call done as skipped: another batch imported it already.</summary>
    public Task MarkCallSkippedAsync(string importId, string sourceCallId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE import_calls SET state = 'done', outcome = 'skipped', last_error = NULL, retryable = NULL, updated_at = $3
            WHERE import_id = $1 AND source_call_id = $2
            """, p => { p.AddWithValue(importId); p.AddWithValue(sourceCallId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);
}
