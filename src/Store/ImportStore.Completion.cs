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
        await using var command = DataSource.CreateCommand("""
            SELECT import_batch_id FROM engagements WHERE customer_id = $1 AND import_source = $2 AND source_call_id = $3
            """);
        command.Parameters.AddWithValue(customerId);
        command.Parameters.AddWithValue(importSource);
        command.Parameters.AddWithValue(sourceCallId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// In one transaction: upserts the engagement on its unique key (a repeat is a no-op), stores the transcript
    /// or queues a transcription request, and marks the call done. Either all of it happens or none does.
    /// Returns <see cref="CallOutcome.Skipped"/> when another batch had already imported the call.
    /// </summary>
    public async Task<CallOutcome> CompleteCallAsync(string importId, EngagementRecord engagement, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using var upsert = new Npgsql.NpgsqlCommand("""
            WITH inserted AS (
                INSERT INTO engagements (customer_id, import_source, source_call_id, title, started_at, duration_seconds,
                                         participants, media_uri, transcript, import_batch_id, imported_at, metadata_quality)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (customer_id, import_source, source_call_id) DO NOTHING
                RETURNING id, import_batch_id)
            SELECT id, import_batch_id FROM inserted
            UNION ALL
            SELECT id, import_batch_id FROM engagements
            WHERE customer_id = $1 AND import_source = $2 AND source_call_id = $3 AND NOT EXISTS (SELECT 1 FROM inserted)
            """, connection, transaction);
        var p = upsert.Parameters;
        p.AddWithValue(engagement.CustomerId);
        p.AddWithValue(engagement.ImportSource);
        p.AddWithValue(engagement.SourceCallId);
        p.AddWithValue((object?)engagement.Title ?? DBNull.Value);
        p.AddWithValue((object?)engagement.StartedAt?.UtcDateTime ?? DBNull.Value);
        p.AddWithValue((object?)engagement.DurationSeconds ?? DBNull.Value);
        p.Add(new Npgsql.NpgsqlParameter { Value = engagement.ParticipantsJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.AddWithValue((object?)engagement.MediaUri ?? DBNull.Value);
        p.Add(new Npgsql.NpgsqlParameter { Value = (object?)engagement.TranscriptJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.AddWithValue(engagement.ImportBatchId);
        p.AddWithValue(Now.UtcDateTime);
        p.AddWithValue(engagement.MetadataQuality);

        Guid engagementId;
        string batch;
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            engagementId = reader.GetGuid(0);
            batch = reader.GetString(1);
        }
        var outcome = batch == engagement.ImportBatchId ? CallOutcome.Imported : CallOutcome.Skipped;

        if (outcome == CallOutcome.Imported && engagement.TranscriptJson is null)
        {
            await using var queue = new Npgsql.NpgsqlCommand("""
                INSERT INTO transcription_requests (engagement_id, customer_id, media_uri, requested_at)
                VALUES ($1, $2, $3, $4) ON CONFLICT (engagement_id) DO NOTHING
                """, connection, transaction);
            queue.Parameters.AddWithValue(engagementId);
            queue.Parameters.AddWithValue(engagement.CustomerId);
            queue.Parameters.AddWithValue((object?)engagement.MediaUri ?? DBNull.Value);
            queue.Parameters.AddWithValue(Now.UtcDateTime);
            await queue.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var done = new Npgsql.NpgsqlCommand("""
            UPDATE import_calls SET state = 'done', outcome = $3, metadata_quality = $4, last_error = NULL, retryable = NULL, updated_at = $5
            WHERE import_id = $1 AND source_call_id = $2
            """, connection, transaction);
        done.Parameters.AddWithValue(importId);
        done.Parameters.AddWithValue(engagement.SourceCallId);
        done.Parameters.AddWithValue(outcome == CallOutcome.Imported ? "imported" : "skipped");
        done.Parameters.AddWithValue(engagement.MetadataQuality);
        done.Parameters.AddWithValue(Now.UtcDateTime);
        await done.ExecuteNonQueryAsync(cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Marks a call done as skipped: another batch imported it already.</summary>
    public Task MarkCallSkippedAsync(string importId, string sourceCallId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE import_calls SET state = 'done', outcome = 'skipped', last_error = NULL, retryable = NULL, updated_at = $3
            WHERE import_id = $1 AND source_call_id = $2
            """, p => { p.AddWithValue(importId); p.AddWithValue(sourceCallId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);
}
