using CallImport.ImportRunner.Processing;

namespace CallImport.ImportRunner.Tests.Cli;

/// <summary>The command line refuses what cannot work, says why and what to do, and uses the documented exit codes.</summary>
public sealed class ImportCommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-").FullName;

    private string CredentialsFile(string json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string[] Args(string platform, string credentials, string database, params string[] more) =>
    [
        "import", "--platform", platform, "--customer", "acme", "--credentials-file", credentials,
        "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--database", database, "--output", "json", .. more,
    ];

    [Fact]
    public async Task FromAfterTo_IsRefused_NamingTheOptions()
    {
        using var runner = await RunnerProcess.RunAsync(["import", "--platform", "grain", "--customer", "acme", "--credentials-file", "x.json",
            "--from", "2026-02-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z", "--database", "Host=127.0.0.1"]);
        Assert.Equal(ExitCodes.Error, runner.ExitCode);
        Assert.Contains("--from must be before --to", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadDate_IsRefused_WithAnExample()
    {
        using var runner = await RunnerProcess.RunAsync(["import", "--platform", "grain", "--customer", "acme", "--credentials-file", "x.json",
            "--from", "yesterday", "--to", "2026-01-01T00:00:00Z", "--database", "Host=127.0.0.1"]);
        Assert.Equal(ExitCodes.Error, runner.ExitCode);
        Assert.Contains("--from 'yesterday' is not a date-time", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoDatabase_IsRefused_NamingTheOptionAndTheVariable()
    {
        using var runner = await RunnerProcess.RunAsync(["import", "--platform", "grain", "--customer", "acme", "--credentials-file", "x.json",
            "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z"]);
        Assert.Equal(ExitCodes.Error, runner.ExitCode);
        Assert.Contains("CALLIMPORT_DATABASE", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPlatform_CannotStart_AndListsTheKnownOnes()
    {
        using var runner = await RunnerProcess.RunAsync(Args("myspace", CredentialsFile("{}"), "Host=127.0.0.1;Port=1"));
        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("Unknown platform 'myspace'", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableDatabase_CannotStart_AndNeverPrintsThePassword()
    {
        using var runner = await RunnerProcess.RunAsync(Args("manual", CredentialsFile("""{"location":"/tmp"}"""),
            "Host=127.0.0.1;Port=1;Username=u;Password=hunter2-secret;Timeout=2"));
        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("Cannot use the database at 127.0.0.1:1", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsFileNotJson_CannotStart_WithoutEchoingItsContent()
    {
        using var runner = await RunnerProcess.RunAsync(Args("manual", CredentialsFile("apiKey: sk-live-do-not-print"), "Host=127.0.0.1;Port=1"));
        Assert.Equal(ExitCodes.CouldNotStart, runner.ExitCode);
        Assert.Contains("is not a JSON object", runner.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-do-not-print", runner.Stderr + runner.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
