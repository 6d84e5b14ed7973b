using System.Text.Json;
using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Tests.Cli;

namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// One end-to-end import setting: a fresh database on the real PostgreSQL server, a media folder, a credentials
/// file, and the runner started as a real process with the arguments a user would type.
/// </summary>
public sealed class RunnerWorkspace : IAsyncDisposable
{
    private readonly ImportDatabase _database = new();
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("e2e-").FullName;
    public string MediaDirectory => Path.Combine(Directory, "media");
    public string ConnectionString => _database.ConnectionString;
    public ImportDatabase Database => _database;

    public static async Task<RunnerWorkspace> CreateAsync()
    {
        var workspace = new RunnerWorkspace();
        await workspace._database.InitializeAsync();
        return workspace;
    }

    public string WriteCredentials(string json)
    {
        var path = Path.Combine(Directory, "credentials.json");
        File.WriteAllText(path, json);
        return path;
    }

    public IReadOnlyList<string> ImportArgs(string platform, string credentialsFile, params string[] more) =>
    [
        "import", "--platform", platform, "--customer", "acme", "--credentials-file", credentialsFile,
        "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z",
        "--database", ConnectionString, "--storage", new Uri(MediaDirectory).AbsoluteUri,
        "--internal-domains", "acme.com", "--output", "json", .. more,
    ];

    /// <summary>Fakes allow more than the vendor's declared rate; tests would otherwise take minutes.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastFakeEnvironment = new Dictionary<string, string>
    {
        ["CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "200",
    };

    public Task<RunnerProcess> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        RunnerProcess.RunAsync(args, environment ?? FastFakeEnvironment, TimeSpan.FromMinutes(5));

    public static ImportRunSummary Summary(RunnerProcess runner) =>
        JsonSerializer.Deserialize<ImportRunSummary>(runner.LastLine)
        ?? throw new InvalidOperationException("no summary: " + runner.Stdout + runner.Stderr);

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
