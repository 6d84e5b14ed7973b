using Npgsql;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// Holds back the commit of one call while a runner the test means to kill is working, so that this runner cannot
/// finish the import before the kill, however late the test gets to it: on a loaded machine the test's polls of the
/// progress stall for seconds while the runner goes on, and a runner that finished every call left the kills
/// nothing to hit (a stall of the test host during the first killed run failed the test with every call imported
/// exactly once). The gate is an engagement of a call the runner reaches after the kill's target, inserted in a
/// transaction left open: the runner's commit of that call waits on the engagement's unique key, and the commits
/// after it wait behind that one (one committer). It is never committed.
/// </summary>
public sealed class CommitGate : IAsyncDisposable
{
    private readonly ImportDatabase _database;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private bool _released;

    private CommitGate(ImportDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        (_database, _connection, _transaction) = (database, connection, transaction);

    /// <summary>Closes the gate before the call <paramref name="sourceCallId"/> of <paramref name="customerId"/> on <paramref name="platform"/>.</summary>
    public static async Task<CommitGate> CloseAsync(ImportDatabase database, string customerId, string platform, string sourceCallId)
    {
        var connection = await database.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO engagements (customer_id, import_source, source_call_id, import_batch_id, metadata_quality)
            VALUES ($1, $2, $3, 'kill-test-gate', 'minimal')
            """, connection, transaction);
        insert.Parameters.AddWithValue(customerId);
        insert.Parameters.AddWithValue(platform);
        insert.Parameters.AddWithValue(sourceCallId);
        if (await insert.ExecuteNonQueryAsync() != 1)
            throw new InvalidOperationException($"The gate before call {sourceCallId} did not close: its engagement is already stored.");
        return new CommitGate(database, connection, transaction);
    }

    /// <summary>Whether a commit waits at the gate (the runner can go no further).</summary>
    public async Task<bool> HoldsBackAsync()
    {
        await using var waiting = _database.DataSource.CreateCommand(
            "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() AND $1 = ANY (pg_blocking_pids(pid)))");
        waiting.Parameters.AddWithValue(_connection.ProcessID);
        return (bool)(await waiting.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// After the runner was killed: lets every statement the dead runner left running on the server end first (the
    /// commit waiting on the gate is terminated, so rolled back, as if the kill had come before it), so that none
    /// of them commits behind the next run's back, then opens the gate (the engagement is rolled back).
    /// </summary>
    public async Task ReleaseAsync()
    {
        if (_released) return;
        _released = true;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        await using (var watcher = await _database.DataSource.OpenConnectionAsync())
        {
            while (true)
            {
                // Only this database's: tests running beside this one have databases of their own on the server.
                await using var left = new NpgsqlCommand("""
                    SELECT count(*) FILTER (WHERE $1 = ANY (pg_blocking_pids(pid)) AND pg_terminate_backend(pid)),
                           count(*)
                    FROM pg_stat_activity
                    WHERE datname = current_database() AND backend_type = 'client backend' AND state <> 'idle'
                      AND pid NOT IN ($1, pg_backend_pid())
                    """, watcher);
                left.Parameters.AddWithValue(_connection.ProcessID);
                await using var reader = await left.ExecuteReaderAsync();
                await reader.ReadAsync();
                if (reader.GetInt64(1) == 0) break;
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Statements of a killed runner still run on the server after 60 s ({reader.GetInt64(1)} sessions).");
                await Task.Delay(10);
            }
        }
        await _transaction.RollbackAsync();
        await _connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_released) return;
        // Not released (the test failed first): rolled back with the connection.
        _released = true;
        await _connection.DisposeAsync();
    }
}
