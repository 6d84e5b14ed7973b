using CallImport.ImportRunner.Processing;
using CallImport.Testing.Postgres;
using Npgsql;

namespace CallImport.ImportRunner.Tests.Cli;

/// <summary>
/// A run holds one database session however its statements overlap (the listing beside the first commits, a pass's
/// next page beside a commit): a second session costs PostgreSQL a backend, its catalogue caches and every statement
/// prepared again. A connection string that sets its own pool size is followed.
/// </summary>
public sealed class RunSessionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("run-session-").FullName;

    [Fact]
    public async Task ManualUploadRun_ListingWhileCommitting_UsesOneSession()
    {
        var server = await PostgresServer.SharedAsync();
        var database = await server.CreateDatabaseAsync("onesession");
        using (var migrate = await RunnerProcess.RunAsync(["migrate", "--database", database]))
            Assert.True(migrate.ExitCode == ExitCodes.Success, migrate.Stderr);
        // Enough calls for the listing (batches of 100) to go on while the first calls are committed.
        var upload = Directory.CreateDirectory(Path.Combine(_dir, "upload")).FullName;
        for (var i = 0; i < 2000; i++) File.WriteAllBytes(Path.Combine(upload, $"call-{i:D4}.mp3"), new byte[2048 + i]);
        var credentials = Path.Combine(_dir, "credentials.json");
        File.WriteAllText(credentials, $$"""{"location":"{{upload}}"}""");
        var before = await SessionsAsync(server, database);

        using var runner = await RunnerProcess.RunAsync(
        [
            "import", "--platform", "manual", "--customer", "acme", "--credentials-file", credentials,
            "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--database", database,
            "--storage", new Uri(Path.Combine(_dir, "media")).AbsoluteUri, "--concurrency", "4", "--output", "json",
        ]);

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        Assert.Contains("\"processed\":2000", runner.LastLine, StringComparison.Ordinal);
        Assert.Equal(1, await SessionsAsync(server, database) - before);
    }

    /// <summary>Sessions opened on the database so far, once none is open (a session ended is counted when its backend is gone).</summary>
    private static async Task<long> SessionsAsync(PostgresServer server, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        for (var tries = 0; ; tries++)
        {
            await using (var open = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", admin) { Parameters = { new() { Value = name } } })
                if ((long)(await open.ExecuteScalarAsync())! == 0) break;
            if (tries == 200) throw new TimeoutException($"sessions on {name} still open after 10 s");
            await Task.Delay(50);
        }
        await using (var fresh = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", admin))
            await fresh.ExecuteNonQueryAsync();
        await using var sessions = new NpgsqlCommand("SELECT sessions FROM pg_stat_database WHERE datname = $1", admin);
        sessions.Parameters.Add(new() { Value = name });
        return (long)(await sessions.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
