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

        // Each script applied exactly once, however many runners raced for it.
        var scripts = typeof(SchemaMigrations).Assembly.GetManifestResourceNames().Count(n => n.EndsWith(".sql", StringComparison.Ordinal));
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), count(DISTINCT version) FROM schema_migrations WHERE type = 0 AND success");
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal((scripts, scripts), ((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
        }
        await using var tables = dataSource.CreateCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('engagements','transcription_requests','imports','import_calls','platform_daily_requests')");
        Assert.Equal(5L, await tables.ExecuteScalarAsync());
    }
}
