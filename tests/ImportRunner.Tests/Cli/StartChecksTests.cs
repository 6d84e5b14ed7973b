using CallImport.ImportRunner.Processing;
using CallImport.Testing.Postgres;

namespace CallImport.ImportRunner.Tests.Cli;

/// <summary>
/// What is checked before the first call: the connection string, the schema (runners never migrate) and the
/// storage. Each failure is one line naming the problem and the fix, exit code 3, and never a stack trace.
/// </summary>
public sealed class StartChecksTests : IClassFixture<ImportDatabase>, IDisposable
{
    private readonly ImportDatabase _database;
    private readonly string _dir = Directory.CreateTempSubdirectory("start-").FullName;

    public StartChecksTests(ImportDatabase database) => _database = database;

    private string UploadFolder(int recordings)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "upload-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        for (var i = 0; i < recordings; i++) File.WriteAllBytes(Path.Combine(folder, $"call-{i}.mp3"), new byte[1000 + i]);
        return folder;
    }

    private string[] Args(string database, string storage, string upload)
    {
        var credentials = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(credentials, $$"""{"location":"{{upload}}"}""");
        return
        [
            "import", "--platform", "manual", "--customer", "acme-" + Guid.NewGuid().ToString("N")[..6], "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", database, "--storage", storage, "--output", "json",
        ];
    }

    private static void AssertOneClearLine(RunnerProcess runner, string expected)
    {
        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains(expected, runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", runner.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=notaport;Username=u;Password=hunter2-secret")]
    [InlineData("Hots=127.0.0.1;Username=u;Password=hunter2-secret")]
    [InlineData("Host=127.0.0.1;Username=u;Password=hunter2-secret;Timeout")]
    public async Task MalformedDatabaseString_CannotStart_WithOneLineNamingTheOption_AndNoPassword(string connectionString)
    {
        using var runner = await RunnerProcess.RunAsync(Args(connectionString, new Uri(Path.Combine(_dir, "media")).AbsoluteUri, UploadFolder(1)));

        AssertOneClearLine(runner, "--database (or $CALLIMPORT_DATABASE) is not a valid Npgsql connection string");
        Assert.DoesNotContain("hunter2-secret", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseWithoutSchema_CannotStart_SayingToMigrate_ThenMigrateMakesItWork()
    {
        var server = await PostgresServer.SharedAsync();
        var empty = await server.CreateDatabaseAsync("unmigrated");
        var upload = UploadFolder(2);
        var storage = new Uri(Path.Combine(_dir, "media")).AbsoluteUri;

        using (var refused = await RunnerProcess.RunAsync(Args(empty, storage, upload)))
        {
            AssertOneClearLine(refused, "has no CallImport schema");
            Assert.Contains("ImportRunner migrate", refused.Stderr, StringComparison.Ordinal);
        }
        using (var migrate = await RunnerProcess.RunAsync(["migrate", "--database", empty]))
        {
            Assert.True(migrate.ExitCode == ExitCodes.Success, migrate.Stderr);
            Assert.Contains($"schema version {CallImport.Store.SchemaMigrations.LatestVersion}", migrate.Stdout, StringComparison.Ordinal);
        }
        using var imported = await RunnerProcess.RunAsync(Args(empty, storage, upload));
        Assert.True(imported.ExitCode == ExitCodes.Success, imported.Stderr);
    }

    [Fact]
    public async Task DatabaseWithAnOlderSchema_CannotStart_NamingBothVersions()
    {
        var server = await PostgresServer.SharedAsync();
        var old = await server.CreateDatabaseAsync("oldschema");
        using (var migrate = await RunnerProcess.RunAsync(["migrate", "--database", old]))
            Assert.Equal(ExitCodes.Success, migrate.ExitCode);
        await using (var dataSource = Npgsql.NpgsqlDataSource.Create(old))
        await using (var forget = dataSource.CreateCommand($"DELETE FROM schema_migrations WHERE version = '{CallImport.Store.SchemaMigrations.LatestVersion}'"))
            await forget.ExecuteNonQueryAsync();

        using var runner = await RunnerProcess.RunAsync(Args(old, new Uri(Path.Combine(_dir, "media")).AbsoluteUri, UploadFolder(1)));

        AssertOneClearLine(runner, $"has schema version {CallImport.Store.SchemaMigrations.LatestVersion - 1}, older than the {CallImport.Store.SchemaMigrations.LatestVersion} this runner needs");
    }

    [Fact]
    public async Task UnwritableStorage_StopsTheRunBeforeAnyCall_NamingTheStorage()
    {
        // A path under a regular file cannot be created, whoever runs the test (root included).
        var blocker = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        var storage = new Uri(Path.Combine(blocker, "media")).AbsoluteUri;

        using var runner = await RunnerProcess.RunAsync(Args(_database.ConnectionString, storage, UploadFolder(3)));

        AssertOneClearLine(runner, $"The media storage {storage} is not writable");
        Assert.Equal(0, await _database.CountAsync("SELECT count(*) FROM import_calls"));
    }

    [Fact]
    public async Task CredentialsProblem_IsTheOneReported_WhileTheDatabaseCannotBeReached()
    {
        // The database is opened in the background from the start's first moment; its failure (nothing listens
        // on that port) must not overtake the credentials problem found first, as when one came after the other.
        var credentials = Path.Combine(_dir, "no-location.json");
        await File.WriteAllTextAsync(credentials, "{}");
        string[] args =
        [
            "import", "--platform", "manual", "--customer", "acme", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
            "--database", $"Host=127.0.0.1;Port={ClosedPort()};Username=u;Database=d", "--storage", new Uri(Path.Combine(_dir, "media")).AbsoluteUri,
        ];

        using var runner = await RunnerProcess.RunAsync(args);

        AssertOneClearLine(runner, "The credentials have no 'location' key");
        Assert.DoesNotContain("Cannot use the database", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseWithoutSchema_IsReportedBefore_CredentialsThePlatformRefuses()
    {
        // The platform's pipeline is built while the schema is checked; the database's problem still comes first.
        var server = await PostgresServer.SharedAsync();
        var empty = await server.CreateDatabaseAsync("unmigrated-refused");
        var credentials = Path.Combine(_dir, "bad-base-url.json");
        await File.WriteAllTextAsync(credentials, """{"apiKey":"k","baseUrl":"not a url"}""");
        string[] args =
        [
            "import", "--platform", "grain", "--customer", "acme", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
            "--database", empty, "--storage", new Uri(Path.Combine(_dir, "media")).AbsoluteUri,
        ];

        using var refused = await RunnerProcess.RunAsync(args);
        AssertOneClearLine(refused, "has no CallImport schema");
        Assert.DoesNotContain("baseUrl", refused.Stderr, StringComparison.Ordinal);

        using (var migrate = await RunnerProcess.RunAsync(["migrate", "--database", empty]))
            Assert.True(migrate.ExitCode == ExitCodes.Success, migrate.Stderr);
        using var migrated = await RunnerProcess.RunAsync(args);
        AssertOneClearLine(migrated, "The credentials' 'baseUrl' is not an absolute URL.");
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
