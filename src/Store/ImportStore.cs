using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The importer's state in PostgreSQL: imports, per-call state, engagements and the transcription queue.
/// Every write is idempotent, so a runner killed anywhere and started again converges on the same rows.
/// Each public method is one SQL statement, hence one round trip.
/// </summary>
public sealed partial class ImportStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private long _commands;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>SQL statements sent so far (each one round trip): what the benchmarks report per call.</summary>
    public long Commands => Interlocked.Read(ref _commands);

    private DateTimeOffset Now => time.GetUtcNow();

    private NpgsqlCommand Command(string sql)
    {
        Interlocked.Increment(ref _commands);
        return DataSource.CreateCommand(sql);
    }

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
