namespace CallImport.Store;

/// <summary>Outcomes the vendor decides: a call deliberately not imported, a call not ready yet.</summary>
public sealed partial class ImportStore
{
    /// <summary>Marks a call done as skipped for <paramref name="reason"/> (e.g. "private call"), kept as its last error for the status.</summary>
    public async Task MarkCallSkippedForAsync(string importId, string sourceCallId, string reason, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE import_calls SET state = 'done', outcome = 'skipped', last_error = $3, retryable = NULL, updated_at = $4
            WHERE import_id = $1 AND source_call_id = $2
            """);
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(sourceCallId);
        command.Parameters.AddWithValue(reason.Length <= 2000 ? reason : reason[..2000]);
        command.Parameters.AddWithValue(Now.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The vendor has not finished the call: it stays pending without spending an attempt, until
    /// <paramref name="maxNotReadyAnswers"/> such answers, when it fails (retryable) with the reason.
    /// </summary>
    public async Task<CallState> RecordCallNotReadyAsync(string importId, string sourceCallId, string reason, int maxNotReadyAnswers, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE import_calls SET
                not_ready_answers = not_ready_answers + 1,
                last_error = $3,
                retryable = true,
                state = CASE WHEN not_ready_answers + 1 >= $4 THEN 'failed' ELSE 'pending' END,
                updated_at = $5
            WHERE import_id = $1 AND source_call_id = $2 AND state = 'pending'
            RETURNING state
            """);
        command.Parameters.AddWithValue(importId);
        command.Parameters.AddWithValue(sourceCallId);
        command.Parameters.AddWithValue(reason.Length <= 2000 ? reason : reason[..2000]);
        command.Parameters.AddWithValue(maxNotReadyAnswers);
        command.Parameters.AddWithValue(Now.UtcDateTime);
        return await command.ExecuteScalarAsync(cancellationToken) is "failed" ? CallState.Failed : CallState.Pending;
    }
}
