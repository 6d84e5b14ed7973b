using System.Diagnostics;
using System.Text;
using CallImport.Testing;

namespace CallImport.ImportRunner.Tests.Cli;

/// <summary>The real ImportRunner program, started as a process, with its output captured.</summary>
public sealed class RunnerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunnerProcess(Process process) => _process = process;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public int ExitCode => _process.ExitCode;
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The runner as it ships (native AOT, <see cref="PublishedRunner"/>); with <c>CALLIMPORT_TEST_RUNNER=jit</c>,
    /// the build output run by <c>dotnet</c> instead (quicker to iterate on; not what a pod runs).
    /// </summary>
    public static IReadOnlyList<string> CommandLine => Command.Value;

    private static readonly Lazy<IReadOnlyList<string>> Command = new(() =>
        Environment.GetEnvironmentVariable(PublishedRunner.OverrideVariable) == "jit" ? ["dotnet", FindBuildOutput()] : [PublishedRunner.ProgramPath]);

    /// <summary>
    /// The runner from its own build output (same configuration as the tests): the test directory's copy
    /// lacks assemblies the test host takes from the ASP.NET shared framework.
    /// </summary>
    private static string FindBuildOutput()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (testDir.Name, testDir.Parent!.Name);
        for (var dir = testDir; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "ImportRunner", "bin", configuration, framework, "ImportRunner.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("ImportRunner.dll not found under src/ImportRunner/bin; build the solution first.");
    }

    public static RunnerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(CommandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in CommandLine.Skip(1)) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Tests shorten the HTTP retry delays; production defaults are seconds.
        info.Environment["CALLIMPORT_HTTP_RETRY_DELAY_MS"] = "50";
        info.Environment.Remove("CALLIMPORT_DATABASE");
        info.Environment.Remove("CALLIMPORT_STORAGE");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var runner = new RunnerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (runner._stdout) runner._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (runner._stderr) runner._stderr.AppendLine(e.Data); };
        process.Exited += (_, _) => runner._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    public static async Task<RunnerProcess> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var runner = Start(args, environment);
        await runner.WaitAsync(timeout ?? TimeSpan.FromMinutes(3));
        return runner;
    }

    public async Task WaitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync(); // drains the output
    }

    /// <summary>Kills the runner the way a crashed container dies: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The last stdout line (the JSON summary with --output json).</summary>
    public string LastLine => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public void Dispose()
    {
        if (!_process.HasExited) try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
