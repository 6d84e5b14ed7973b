using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.Testing;

/// <summary>
/// The ImportRunner as it ships: native AOT, published for linux-x64 (what the image holds), so the tests that run
/// the runner as a process test the binary that runs in a pod, where reflection the compiler could not see fails and
/// the JIT build would not. Published once and reused until the runner's sources change (a stamp of them beside the
/// binary); test projects running side by side take turns through a lock file, which every runner publish in the
/// tests holds (same obj/ folder). <see cref="OverrideVariable"/> names another runner program instead.
/// </summary>
public static class PublishedRunner
{
    /// <summary>A runner executable to use instead of publishing (e.g. a folder published by hand).</summary>
    public const string OverrideVariable = "CALLIMPORT_TEST_RUNNER";

    public const string RuntimeIdentifier = "linux-x64";

    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The runner program (publishes it on first use; minutes on 2 cores the first time, a stamp check after).</summary>
    public static string ProgramPath => Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } given ? given : Published.Value;

    public static string RepositoryRoot { get; } = FindRoot();

    private const string PublishLogName = ".publish.log";

    /// <summary>The output of the publish that made <see cref="ProgramPath"/> (publishes first if needed); null for an override.</summary>
    public static string? PublishLog =>
        Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 }
            ? null
            : File.ReadAllText(Path.Combine(Path.GetDirectoryName(Published.Value)!, PublishLogName));

    /// <summary>
    /// Holds the publish lock of the runner's project until disposed: two publishes of one project at once write
    /// the same obj/ files. Waits for another test project's publish to end.
    /// </summary>
    public static IDisposable Lock()
    {
        var path = Path.Combine(RepositoryRoot, ".local", "runner-publish.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(20))
            {
                Thread.Sleep(500);
            }
        }
    }

    private static string Publish()
    {
        var output = Path.Combine(RepositoryRoot, ".local", "test-runner");
        var program = Path.Combine(output, "ImportRunner");
        var stampFile = Path.Combine(output, ".sources-stamp");
        using var held = Lock();
        var stamp = SourcesStamp();
        if (File.Exists(program) && File.Exists(stampFile) && File.ReadAllText(stampFile) == stamp)
            return program;
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var project = Path.Combine(RepositoryRoot, "src", "ImportRunner", "CallImport.ImportRunner.csproj");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "publish", project, "-c", "Release", "-r", RuntimeIdentifier, "-o", output, "-nologo", "-v", "q" })
            info.ArgumentList.Add(a);
        using var publish = Process.Start(info)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        if (!publish.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of the ImportRunner (native AOT) ran longer than 15 minutes.");
        }
        if (publish.ExitCode != 0 || !File.Exists(program))
            throw new InvalidOperationException(
                $"dotnet publish of the ImportRunner (native AOT, {RuntimeIdentifier}) failed with exit code {publish.ExitCode}; "
                + $"it needs clang or gcc and zlib (apt-get install -y clang zlib1g-dev):\n{stdout.Result}\n{stderr.Result}");
        // What the compiler said (its trim and AOT warnings), kept with the binary for PublishedRunnerTests.
        File.WriteAllText(Path.Combine(output, PublishLogName), stdout.Result + stderr.Result);
        File.WriteAllText(stampFile, stamp);
        return program;
    }

    /// <summary>What the published runner is made of: its projects' sources and the repository's build settings.</summary>
    private static string SourcesStamp()
    {
        var files = new[] { "src/ImportRunner", "src/Store", "src/ImportJobs" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepositoryRoot, d), "*", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepositoryRoot, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Concat(["Directory.Build.props", "Directory.Packages.props", "global.json", "deploy/helm/callimport/Chart.yaml"])
            .Where(f => File.Exists(Path.Combine(RepositoryRoot, f)))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(RepositoryRoot, file)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CallImport.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (CallImport.sln) is not above the test binaries.");
    }
}
