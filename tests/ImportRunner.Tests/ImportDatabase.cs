using CallImport.Store;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.ImportRunner.Tests;

/// <summary>A migrated database of its own on the real PostgreSQL server, per test class.</summary>
public sealed class ImportDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.SharedAsync();
        ConnectionString = await server.CreateDatabaseAsync("runner");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await SchemaMigrations.ApplyAsync(DataSource, NullLogger.Instance, CancellationToken.None);
    }

    public ImportStore Store(TimeProvider? time = null) => new(DataSource, time ?? TimeProvider.System);

    public async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.AddWithValue(p);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
