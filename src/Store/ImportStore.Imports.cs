using Npgsql;

namespace CallImport.Store;

public sealed partial class ImportStore
{
    /// <summary>Creates the import's row if absent; refuses an id already used for another customer or platform.</summary>
    public async Task EnsureImportAsync(ImportDefinition import, CancellationToken cancellationToken)
    {
        // One statement: the row this call inserted, or the one already there.
        await using var command = Command("""
            WITH inserted AS (
                INSERT INTO imports (import_id, customer_id, platform, date_from, date_to)
                VALUES ($1, $2, $3, $4, $5) ON CONFLICT (import_id) DO NOTHING
                RETURNING customer_id, platform)
            SELECT customer_id, platform FROM inserted
            UNION ALL
            SELECT customer_id, platform FROM imports WHERE import_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)
            """);
        var p = command.Parameters;
        p.AddWithValue(import.ImportId); p.AddWithValue(import.CustomerId); p.AddWithValue(import.Platform);
        p.AddWithValue(import.From.UtcDateTime); p.AddWithValue(import.To.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetString(0) != import.CustomerId || reader.GetString(1) != import.Platform)
            throw new InvalidOperationException(
                $"Import '{import.ImportId}' already exists for customer '{reader.GetString(0)}' on '{reader.GetString(1)}'; use another import id.");
    }

    /// <summary>Marks a run as the import's current one; its heartbeat tells the operator it is alive.</summary>
    public Task StartRunAsync(string importId, string runId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE imports SET run_id = $2, run_started_at = $3, heartbeat_at = $3, quota_exhausted_until = NULL
            WHERE import_id = $1
            """, p => { p.AddWithValue(importId); p.AddWithValue(runId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);

    public Task HeartbeatAsync(string importId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE imports SET heartbeat_at = $2 WHERE import_id = $1",
            p => { p.AddWithValue(importId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);

    /// <summary>
    /// Records why the import cannot go on until a person acts: <paramref name="kind"/> is <c>credentials</c>
    /// (refused) or <c>settings</c> (filters or location the platform rejects). A null error clears it.
    /// </summary>
    public Task RecordStartErrorAsync(string importId, string? kind, string? error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE imports SET start_error_kind = $2, start_error = $3 WHERE import_id = $1", p =>
        {
            p.AddWithValue(importId);
            p.AddWithValue((object?)(error is null ? null : kind) ?? DBNull.Value);
            p.AddWithValue((object?)error ?? DBNull.Value);
        }, cancellationToken);

    /// <summary>Records that the day's request quota is spent until <paramref name="until"/>.</summary>
    public Task RecordQuotaExhaustedAsync(string importId, DateTimeOffset until, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE imports SET quota_exhausted_until = $2 WHERE import_id = $1",
            p => { p.AddWithValue(importId); p.AddWithValue(until.UtcDateTime); }, cancellationToken);

    /// <summary>Adds what a run measured since it last reported (a delta, so reports from several runs sum up).</summary>
    public Task AddRunStatisticsAsync(string importId, RunStatistics delta, CancellationToken cancellationToken) =>
        delta.IsZero ? Task.CompletedTask : ExecuteAsync("""
            UPDATE imports SET requests = requests + $2, throttled_requests = throttled_requests + $3,
                rate_limit_wait_ms = rate_limit_wait_ms + $4, processing_ms = processing_ms + $5, processed_attempts = processed_attempts + $6
            WHERE import_id = $1
            """, p =>
        {
            p.AddWithValue(importId); p.AddWithValue(delta.Requests); p.AddWithValue(delta.ThrottledRequests);
            p.AddWithValue((long)delta.RateLimitWait.TotalMilliseconds); p.AddWithValue((long)delta.ProcessingTime.TotalMilliseconds);
            p.AddWithValue(delta.ProcessedAttempts);
        }, cancellationToken);

    public async Task<bool> IsListingCompleteAsync(string importId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT listing_complete FROM imports WHERE import_id = $1");
        command.Parameters.AddWithValue(importId);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Once the whole range is listed, later runs process what is pending without listing again.</summary>
    public Task MarkListingCompleteAsync(string importId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE imports SET listing_complete = true WHERE import_id = $1",
            p => p.AddWithValue(importId), cancellationToken);

    /// <summary>Records listed calls as pending; a call listed again (a resumed run) is left as it is.</summary>
    public async Task RecordListedCallsAsync(string importId, IReadOnlyCollection<ListedCall> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0) return;
        await using var command = ListedCallsCommand(RecordListedCalls, importId, calls);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records listed calls as <see cref="RecordListedCallsAsync"/> does, and returns those it recorded now, ready to
    /// process (in one round trip): a call listed before is not among them, as it may be done or failed since.
    /// </summary>
    public async Task<IReadOnlyList<PendingCall>> RecordListedCallsToProcessAsync(string importId, IReadOnlyCollection<ListedCall> calls, CancellationToken cancellationToken)
    {
        if (calls.Count == 0) return [];
        await using var command = ListedCallsCommand($"""
            WITH recorded AS ({RecordListedCalls} RETURNING source_call_id, started_at, listing_payload)
            SELECT r.source_call_id, r.started_at, r.listing_payload,
                (SELECT e.import_batch_id FROM engagements e
                 WHERE e.customer_id = i.customer_id AND e.import_source = i.platform AND e.source_call_id = r.source_call_id)
            FROM recorded r JOIN imports i ON i.import_id = $1
            """, importId, calls);
        var recorded = new List<PendingCall>(calls.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            recorded.Add(new PendingCall(reader.GetString(0), Attempts: 0,
                reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        return recorded;
    }

    private const string RecordListedCalls = """
        INSERT INTO import_calls (import_id, source_call_id, started_at, listing_payload)
        SELECT $1, * FROM unnest($2::text[], $3::timestamptz[], $4::text[])
        ON CONFLICT (import_id, source_call_id) DO NOTHING
        """;

    private NpgsqlCommand ListedCallsCommand(string sql, string importId, IReadOnlyCollection<ListedCall> calls)
    {
        var command = Command(sql);
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(calls.Select(c => c.SourceCallId).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.StartedAt?.UtcDateTime).ToArray());
        command.Parameters.AddWithValue(calls.Select(c => c.ListingPayload).ToArray());
        return command;
    }
}
