using System.Text.RegularExpressions;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;
using CallImport.Testing.Postgres;
using Npgsql;

namespace CallImport.ImportRunner.Tests.Store;

/// <summary>
/// The README's two database roles, created with the README's own SQL on a real PostgreSQL: the owner migrates,
/// the runner role imports with rights on rows only — it cannot create a table, nor migrate.
/// </summary>
public sealed partial class DatabaseRolesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("roles-").FullName;

    [Fact]
    public async Task ReadmeRoles_OwnerMigrates_RunnerImportsButCannotCreateTables()
    {
        var server = await PostgresServer.SharedAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string Named(string sql) => sql.Replace("callimport_owner", $"ci_owner_{suffix}", StringComparison.Ordinal)
            .Replace("callimport_runner", $"ci_runner_{suffix}", StringComparison.Ordinal)
            .Replace("DATABASE callimport ", $"DATABASE ci_roles_{suffix} ", StringComparison.Ordinal);
        await ExecuteAsync(server.AdminConnectionString, Named(ReadmeSql("roles:server")));
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = $"ci_roles_{suffix}" };
        await ExecuteAsync(admin.ConnectionString, Named(ReadmeSql("roles:database")));
        var owner = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Username = $"ci_owner_{suffix}", Password = "owner-password" }.ConnectionString;
        var runnerRole = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Username = $"ci_runner_{suffix}", Password = "runner-password" }.ConnectionString;

        using (var refused = await RunnerProcess.RunAsync(["migrate", "--database", runnerRole]))
        {
            Assert.Equal(ExitCodes.CouldNotStart, refused.ExitCode);
            Assert.Contains("permission denied", refused.Stderr, StringComparison.Ordinal);
        }
        using (var migrate = await RunnerProcess.RunAsync(["migrate", "--database", owner]))
            Assert.True(migrate.ExitCode == ExitCodes.Success, migrate.Stderr);

        var denied = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(runnerRole, "CREATE TABLE sneaky (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);

        var upload = Directory.CreateDirectory(Path.Combine(_dir, "upload")).FullName;
        for (var i = 0; i < 3; i++) await File.WriteAllBytesAsync(Path.Combine(upload, $"call-{i}.mp3"), new byte[2000 + i]);
        var credentials = Path.Combine(_dir, "credentials.json");
        await File.WriteAllTextAsync(credentials, $$"""{"location":"{{upload}}"}""");
        using var import = await RunnerProcess.RunAsync(
        [
            "import", "--platform", "manual", "--customer", "acme", "--credentials-file", credentials,
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", runnerRole,
            "--storage", new Uri(Path.Combine(_dir, "media")).AbsoluteUri, "--output", "json",
        ]);
        Assert.True(import.ExitCode == ExitCodes.Success, import.Stderr);
        await using var check = NpgsqlDataSource.Create(owner);
        await using var count = check.CreateCommand("SELECT (SELECT count(*) FROM engagements) + (SELECT count(*) FROM transcription_requests)");
        Assert.Equal(6L, await count.ExecuteScalarAsync());
    }

    /// <summary>The SQL block that follows <c>&lt;!-- marker --&gt;</c> in the README.</summary>
    private static string ReadmeSql(string marker)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var match = Regex.Match(readme, $@"<!-- {Regex.Escape(marker)} -->\s*```sql\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md has no SQL block after <!-- {marker} -->");
        return match.Groups[1].Value;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "src"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Statement by statement, as psql runs a script (CREATE DATABASE refuses to share a round trip).</summary>
    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var statement in Regex.Split(sql, @";\s*\n").Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
