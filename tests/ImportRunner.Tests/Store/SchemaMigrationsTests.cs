using CallImport.Store;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.ImportRunner.Tests.Store;

public sealed class SchemaMigrationsTests
{
    [Fact]
    public async Task RunnersStartingTogether_MigrateOnceUnderTheLock_AndAllStart()
    {
        var server = await PostgresServer.SharedAsync();
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("migrate"));

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None))));

        await using var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations WHERE type = 0 AND success");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
        await using var tables = dataSource.CreateCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('engagements','transcription_requests','imports','import_calls','platform_daily_requests')");
        Assert.Equal(5L, await tables.ExecuteScalarAsync());
    }
}
