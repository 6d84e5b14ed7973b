using Npgsql;

namespace CallImport.Store;

/// <summary>
/// The importer's state in PostgreSQL: imports, per-call state, engagements and the transcription queue.
/// Every write is idempotent, so a runner killed anywhere and started again converges on the same rows.
/// </summary>
public sealed partial class ImportStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    private DateTimeOffset Now => time.GetUtcNow();

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(sql);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
