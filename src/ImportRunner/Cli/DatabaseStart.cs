using Npgsql;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// The runner's database, opened and its schema checked in the background from the first moment of an import,
/// so the first connection overlaps the rest of the start. A connection string that does not parse is kept
/// as <see cref="Unusable"/>, and the check's outcome is read by awaiting <see cref="SchemaChecked"/>, where
/// the start always read them, so problems are reported in the same order as when nothing overlapped.
/// </summary>
internal sealed class DatabaseStart : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private DatabaseStart(NpgsqlDataSource? dataSource, RunnerDatabase.UnusableException? unusable, Task schemaChecked, CancellationTokenSource stop)
    {
        (DataSource, Unusable, SchemaChecked, _stop) = (dataSource, unusable, schemaChecked, stop);
    }

    /// <summary>Null when the connection string does not parse (<see cref="Unusable"/> says why).</summary>
    public NpgsqlDataSource? DataSource { get; }
    public RunnerDatabase.UnusableException? Unusable { get; }
    /// <summary>Completes when the database holds the schema this runner needs; fails as <see cref="RunnerDatabase.CheckSchemaAsync"/> does.</summary>
    public Task SchemaChecked { get; }

    public static DatabaseStart Begin(string connectionString, CancellationToken stopToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        try
        {
            var dataSource = RunnerDatabase.Open(connectionString);
            var where = RunnerDatabase.Where(connectionString);
            // On the thread pool: even the connection's synchronous first steps then leave the start's thread free.
            return new DatabaseStart(dataSource, null, Task.Run(() => RunnerDatabase.CheckSchemaAsync(dataSource, where, stop.Token), stop.Token), stop);
        }
        catch (RunnerDatabase.UnusableException e)
        {
            return new DatabaseStart(null, e, Task.CompletedTask, stop);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!SchemaChecked.IsCompleted)
        {
            // The start ended before it needed the database (say, a credentials problem): stop the check, and
            // do not wait for it — an unreachable host would hold the exit for the whole connect timeout.
            await _stop.CancelAsync();
            // The token source stays with the check it cancelled.
            _ = SchemaChecked.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        else
        {
            _stop.Dispose();
        }
        if (DataSource is not null) await DataSource.DisposeAsync();
    }
}
