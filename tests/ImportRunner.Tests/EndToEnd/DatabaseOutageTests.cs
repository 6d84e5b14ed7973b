using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;
using CallImport.Store;
using CallImport.Testing.Fakes.Grain;
using CallImport.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// PostgreSQL stopped mid-run (a restart, a failover): the runner waits and reconnects with backoff, then carries
/// on — every call imported once — or, when the database stays away past the limit, exits with code 1, one clear
/// line and the summary. Never a stack trace. Each test has a server of its own to stop.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static async Task<(PostgresServer Server, string Database)> OwnServerAsync()
    {
        var server = await PostgresServer.StartAsync(settings: []);
        var database = await server.CreateDatabaseAsync("outage");
        await using var dataSource = NpgsqlDataSource.Create(database);
        await SchemaMigrations.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        return (server, database);
    }

    private static async Task<long> DoneAsync(string database)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM import_calls WHERE state = 'done'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, RunnerProcess runner)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.False(runner.HasExited, "the runner ended before the outage: " + runner.Stderr);
            Assert.True(DateTime.UtcNow < deadline, "the runner made no progress: " + runner.Stderr);
            await Task.Delay(20);
        }
    }

    private static string[] Args(GrainFake grain, string database, string dir)
    {
        var credentials = Path.Combine(dir, "credentials.json");
        File.WriteAllText(credentials, grain.CredentialsJson());
        return
        [
            "import", "--platform", "grain", "--customer", "acme", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", database,
            "--storage", new Uri(Path.Combine(dir, "media")).AbsoluteUri, "--concurrency", "4", "--output", "json",
        ];
    }

    [SkippableFact]
    public async Task DatabaseRestartedMidRun_RunnerWaits_ThenFinishesWithEachCallOnce()
    {
        var (server, database) = await OwnServerAsync();
        await using var _ = server;
        Skip.If(server.Outage is null, "this PostgreSQL cannot be stopped by the test (" + server.Description + ")");
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 80, PageSize = 40 });
        var dir = Directory.CreateTempSubdirectory("outage-").FullName;
        // Slow enough (about 4 s of calls) that the outage lands mid-run.
        using var runner = RunnerProcess.Start(Args(grain, database, dir), new Dictionary<string, string> { ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "40" });

        await WaitForAsync(async () => await DoneAsync(database) >= 10, runner);
        await server.Outage!.Value.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(runner.HasExited, "the runner gave up during a 3 s outage: " + runner.Stderr);
        await server.Outage!.Value.Start();
        await runner.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(runner.ExitCode == ExitCodes.Success, runner.Stderr);
        Assert.Contains("The database is unreachable", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("The database is back", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var check = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM engagements), (SELECT count(DISTINCT source_call_id) FROM engagements), (SELECT count(*) FROM import_calls WHERE state = 'done')");
        await using var reader = await check.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((80L, 80L, 80L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        Directory.Delete(dir, recursive: true);
    }

    [SkippableFact]
    public async Task DatabaseGoneForGood_RunnerExitsWithCodeOne_OneLineAndTheSummary_NoStackTrace()
    {
        var (server, database) = await OwnServerAsync();
        await using var _ = server;
        Skip.If(server.Outage is null, "this PostgreSQL cannot be stopped by the test (" + server.Description + ")");
        await using var grain = await GrainFake.StartAsync(new GrainFakeOptions { RecordingCount = 80, PageSize = 40 });
        var dir = Directory.CreateTempSubdirectory("outage-").FullName;
        using var runner = RunnerProcess.Start(Args(grain, database, dir), new Dictionary<string, string>
        {
            ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "40",
            [DatabaseOutage.LimitVariable] = "3",
        });

        await WaitForAsync(async () => await DoneAsync(database) >= 10, runner);
        await server.Outage!.Value.Stop();
        await runner.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(ExitCodes.Error, runner.ExitCode);
        Assert.Single(runner.Stderr.Split('\n'), l => l.Contains("The database has been unreachable for 3 s", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
        var summary = RunnerWorkspace.Summary(runner);
        Assert.Equal(nameof(StopReason.DatabaseUnavailable), summary.StopReason);
        Assert.InRange(summary.Processed, 10, 79);
        Assert.Equal(80, summary.Total);
        Directory.Delete(dir, recursive: true);
    }
}
