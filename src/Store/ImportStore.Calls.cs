namespace CallImport.Store;

public sealed partial class ImportStore
{
    /// <summary>
    /// The ids of the calls still pending, in the order a pass takes them: fewest attempts first, so a call that
    /// keeps failing never starves the others. Ids only: a pass reads the calls themselves a page at a time
    /// (<see cref="PendingCallsAsync"/>), as their listing payloads may be large (Gong's carry their listing batch).
    /// </summary>
    public async Task<IReadOnlyList<string>> PendingCallIdsAsync(string importId, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT source_call_id FROM import_calls
            WHERE import_id = $1 AND state = 'pending'
            ORDER BY attempts, listed_at, source_call_id
            """);
        command.Parameters.AddWithValue(importId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// Those of <paramref name="sourceCallIds"/> still pending, in the order given (a call done or failed since the
    /// ids were read is left out); each with the batch of an engagement already stored for it (another import's
    /// call is then skipped unasked).
    /// </summary>
    public async Task<IReadOnlyList<PendingCall>> PendingCallsAsync(string importId, IReadOnlyCollection<string> sourceCallIds, CancellationToken cancellationToken)
    {
        if (sourceCallIds.Count == 0) return [];
        await using var command = Command("""
            SELECT c.source_call_id, c.attempts, c.started_at, c.listing_payload,
                (SELECT e.import_batch_id FROM engagements e
                 WHERE e.customer_id = i.customer_id AND e.import_source = i.platform AND e.source_call_id = c.source_call_id),
                c.state
            FROM unnest($2::text[]) WITH ORDINALITY AS wanted (source_call_id, position)
            JOIN import_calls c ON c.import_id = $1 AND c.source_call_id = wanted.source_call_id
            JOIN imports i ON i.import_id = c.import_id
            ORDER BY wanted.position
            """);
        // Each wanted id is one probe of each primary or unique key, whatever the statistics: on a fresh import (tables
        // not yet analysed) the generic plan otherwise scanned the partial index of pending calls once per id (for
        // "state = 'pending'" in SQL: the state is checked below instead), and joined engagements on two of their three
        // key columns (a join; the subquery binds all three): 45–105 ms a page of 1,000 instead of 8, growing with the
        // import.
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(sourceCallIds as string[] ?? [.. sourceCallIds]);
        var calls = new List<PendingCall>(sourceCallIds.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (reader.GetString(5) == "pending")
                calls.Add(new PendingCall(reader.GetString(0), reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
        return calls;
    }

    /// <summary>
    /// Records a failed attempt. A permanent failure, or a transient one on its last attempt, fails the call;
    /// otherwise it stays pending for a later pass. Returns the call's state afterwards.
    /// </summary>
    public async Task<CallState> RecordCallFailureAsync(string importId, string sourceCallId, string error, bool retryable, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE import_calls SET
                attempts = attempts + 1,
                last_error = $3,
                retryable = $4,
                state = CASE WHEN NOT $4 OR attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END,
                updated_at = $6
            WHERE import_id = $1 AND source_call_id = $2 AND state = 'pending'
            RETURNING state
            """);
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(sourceCallId);
        command.Parameters.AddWithValue(Truncate(error, 2000));
        command.Parameters.AddWithValue(retryable);
        command.Parameters.AddWithValue(maxAttempts);
        command.Parameters.AddWithValue(Now.UtcDateTime);
        return await command.ExecuteScalarAsync(cancellationToken) is "pending" ? CallState.Pending : CallState.Failed;
    }

    /// <summary>Puts failed retryable calls back to pending with fresh attempts (a user's retry request). Returns how many.</summary>
    public Task<int> ResetRetryableFailuresAsync(string importId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE import_calls SET state = 'pending', attempts = 0, updated_at = $2
            WHERE import_id = $1 AND state = 'failed' AND retryable
            """, p => { p.AddWithValue(importId); p.AddWithValue(Now.UtcDateTime); }, cancellationToken);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
