using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// The ImportRunner as it ships: published for linux-x64 into .local/bench/runner (native AOT, what the image
/// holds: the project sets it for any runtime), else the build output run with `dotnet`. Each run is a separate process reporting its own CPU,
/// peak memory and per-call times (CALLIMPORT_DIAGNOSTICS=1).
/// </summary>
public sealed class RunnerProgram
{
    private readonly string _file;
    private readonly string[] _prefix;

    private RunnerProgram(string file, string[] prefix, string description)
    {
        _file = file;
        _prefix = prefix;
        Description = description;
    }

    public string Description { get; }

    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<RunnerProgram> PrepareAsync(BenchOptions options)
    {
        var output = Path.Combine(RepositoryRoot, ".local", "bench", "runner");
        var project = Path.Combine(RepositoryRoot, "src", "ImportRunner", "CallImport.ImportRunner.csproj");
        // The runner's obj/ folder is shared with the tests' publish of it (CallImport.Testing.PublishedRunner).
        using var publishing = CallImport.Testing.PublishedRunner.Lock();
        var publish = await ProcessRun.RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"],
            TimeSpan.FromMinutes(8));
        var apphost = Path.Combine(output, "ImportRunner");
        if (publish.ExitCode == 0 && File.Exists(apphost))
            return new RunnerProgram(apphost, [], "published as the image ships it (linux-x64, native AOT)");
        var dll = Path.Combine(RepositoryRoot, "src", "ImportRunner", "bin", "Release", "net10.0", "ImportRunner.dll");
        Console.WriteLine($"  (native AOT publish failed, using the build output: {publish.Stderr.Split('\n').FirstOrDefault()})");
        return new RunnerProgram("dotnet", [dll], "build output (JIT)");
    }

    /// <summary>The command line that runs the runner with these arguments (for wrappers such as perf).</summary>
    public IReadOnlyList<string> CommandLine(IEnumerable<string> args) => [_file, .. _prefix, .. args];

    /// <summary>Runs the runner to its end; the summary is its last stdout line (pass --output json).</summary>
    public async Task<RunnerResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CALLIMPORT_DIAGNOSTICS"] = "1",
            ["CALLIMPORT_LOG_FORMAT"] = "json",
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        var started = Stopwatch.GetTimestamp();
        var run = await ProcessRun.RunAsync(_file, [.. _prefix, .. args], timeout ?? TimeSpan.FromMinutes(10), env);
        var wall = Stopwatch.GetElapsedTime(started);
        var last = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        JsonElement? summary = null;
        try { if (last.StartsWith('{')) summary = JsonDocument.Parse(last).RootElement.Clone(); } catch (JsonException) { }
        return new RunnerResult(run.ExitCode, wall, summary, run.Stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}

public sealed record RunnerResult(int ExitCode, TimeSpan Wall, JsonElement? Summary, string Stderr)
{
    public int Count(string name) => Summary?.GetProperty(name).GetInt32() ?? 0;
    /// <summary>The run itself as the runner timed it (listing through the last commit): no process start, no exit.</summary>
    public double RunSeconds => Summary is { } s && s.TryGetProperty("durationSeconds", out var d) ? d.GetDouble() : double.NaN;
    public double Diagnostic(string name) =>
        Summary is { } s && s.TryGetProperty("diagnostics", out var d) && d.TryGetProperty(name, out var v) ? v.GetDouble() : double.NaN;

    /// <summary>Throws with the runner's own words when it did not import what it should have.</summary>
    public RunnerResult Expect(int processed)
    {
        if (Summary is null || Count("processed") + Count("skipped") != processed)
            throw new InvalidOperationException($"the runner exited {ExitCode} having imported {(Summary is null ? "?" : Count("processed"))} of {processed}: {Stderr.Split('\n').LastOrDefault(l => l.Length > 0)}");
        return this;
    }
}

/// <summary>A child process with its output captured.</summary>
internal static class ProcessRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} ran longer than {timeout}.");
        }
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
