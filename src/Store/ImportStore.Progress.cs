namespace CallImport.Store;

public sealed partial class ImportStore
{
    /// <summary>The import's counts, run and recent failures; null when the import has no row yet.</summary>
    public async Task<ImportProgress?> GetProgressAsync(string importId, int recentErrors, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT i.listing_complete, i.run_id, i.run_started_at, i.heartbeat_at, i.start_error, i.quota_exhausted_until, i.start_error_kind,
                   count(c.*)::int,
                   count(*) FILTER (WHERE c.state = 'done' AND c.outcome = 'imported')::int,
                   count(*) FILTER (WHERE c.state = 'done' AND c.outcome = 'skipped')::int,
                   count(*) FILTER (WHERE c.state = 'failed')::int,
                   count(*) FILTER (WHERE c.state = 'failed' AND c.retryable)::int,
                   count(*) FILTER (WHERE c.state = 'pending')::int,
                   count(*) FILTER (WHERE c.state = 'done' AND c.metadata_quality = 'full')::int,
                   count(*) FILTER (WHERE c.state = 'done' AND c.metadata_quality = 'partial')::int,
                   count(*) FILTER (WHERE c.state = 'done' AND c.metadata_quality = 'minimal')::int,
                   max(c.updated_at) FILTER (WHERE c.state <> 'pending'),
                   i.requests, i.throttled_requests, i.rate_limit_wait_ms, i.processing_ms, i.processed_attempts
            FROM imports i LEFT JOIN import_calls c ON c.import_id = i.import_id
            WHERE i.import_id = $1
            GROUP BY i.import_id
            """);
        command.Parameters.AddWithValue(importId);
        ImportProgress progress;
        await using (var r = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await r.ReadAsync(cancellationToken)) return null;
            progress = new ImportProgress
            {
                ImportId = importId,
                ListingComplete = r.GetBoolean(0),
                RunId = r.IsDBNull(1) ? null : r.GetString(1),
                RunStartedAt = Utc(r, 2),
                HeartbeatAt = Utc(r, 3),
                StartError = r.IsDBNull(4) ? null : r.GetString(4),
                StartErrorKind = r.IsDBNull(6) ? null : r.GetString(6),
                QuotaExhaustedUntil = Utc(r, 5),
                Total = r.GetInt32(7),
                Imported = r.GetInt32(8),
                Skipped = r.GetInt32(9),
                Failed = r.GetInt32(10),
                FailedRetryable = r.GetInt32(11),
                Pending = r.GetInt32(12),
                QualityFull = r.GetInt32(13),
                QualityPartial = r.GetInt32(14),
                QualityMinimal = r.GetInt32(15),
                LastProgressAt = Utc(r, 16),
                Statistics = new RunStatistics(r.GetInt64(17), r.GetInt64(18), TimeSpan.FromMilliseconds(r.GetInt64(19)),
                    TimeSpan.FromMilliseconds(r.GetInt64(20)), r.GetInt64(21)),
            };
        }
        return recentErrors <= 0 ? progress : progress with { RecentErrors = await RecentFailuresAsync(importId, recentErrors, cancellationToken) };
    }

    /// <summary>The latest failed attempts, newest first (pending calls that failed once included).</summary>
    public async Task<IReadOnlyList<CallFailure>> RecentFailuresAsync(string importId, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT source_call_id, last_error, coalesce(retryable, false), updated_at FROM import_calls
            WHERE import_id = $1 AND last_error IS NOT NULL
            ORDER BY updated_at DESC, source_call_id LIMIT $2
            """);
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(limit);
        var failures = new List<CallFailure>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            failures.Add(new CallFailure(r.GetString(0), r.GetString(1), r.GetBoolean(2), new DateTimeOffset(r.GetDateTime(3), TimeSpan.Zero)));
        return failures;
    }

    private static DateTimeOffset? Utc(Npgsql.NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetDateTime(ordinal), TimeSpan.Zero);
}
