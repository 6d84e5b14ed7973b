using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CallImport.Deploy.Tests.Published;

/// <summary>
/// The operator and the runner published exactly as their Dockerfiles publish them (the RUN line read from each
/// Dockerfile, with /app replaced by a folder here), once for the test class, plus each image's final ENV.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PublishedApps : IAsyncLifetime
{
    /// <summary>
    /// Where the apps are published. The sandbox mounts a fresh tmpfs over /tmp, which would hide a checkout under
    /// /tmp (CI clones there): such a checkout publishes to /var/tmp instead, keyed by its path.
    /// </summary>
    public static readonly string Root = Path.GetFullPath(Chart.Root).StartsWith("/tmp/", StringComparison.Ordinal)
        ? Path.Combine("/var/tmp", "callimport-published-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(Chart.Root))))[..12])
        : Path.Combine(Chart.Root, ".local", "published");

    public string? Unavailable { get; private set; }

    public PublishedApp Operator { get; private set; } = null!;

    public PublishedApp Runner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Unavailable = Sandbox.Unavailable();
        if (Unavailable is not null)
            return;
        Operator = await PublishAsync("operator.Dockerfile", "operator");
        // The runner's publish shares its obj/ folder with the other test projects' (CallImport.Testing.PublishedRunner).
        using (CallImport.Testing.PublishedRunner.Lock())
            Runner = await PublishAsync("import-runner.Dockerfile", "import-runner");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<PublishedApp> PublishAsync(string dockerfileName, string name)
    {
        var dockerfile = Dockerfile.Read(Path.Combine(Chart.Root, "deploy", "docker", dockerfileName));
        var run = dockerfile.Stages[0].Last("RUN") ?? throw new InvalidOperationException($"{dockerfileName}: no RUN in the build stage");
        var output = Path.Combine(Root, name);
        if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
        var words = Regex.Split(run.Trim(), "\\s+").Select(w => w == "/app" ? output : w).ToList();
        Assert.Equal("dotnet", words[0]);
        var start = new ProcessStartInfo("dotnet", words[1..]) { WorkingDirectory = Chart.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, $"{run} failed:\n{await stdout}\n{await stderr}");
        // The image's files are root's and read-only to the app's user; so are these.
        foreach (var directory in Directory.GetDirectories(output, "*", SearchOption.AllDirectories).Append(output))
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);

        var environment = dockerfile.Final.Pairs("ENV");
        environment["PATH"] = environment["PATH"].Replace("/app", output, StringComparison.Ordinal);
        var entrypoint = dockerfile.Final.ExecForm("ENTRYPOINT").Single().Replace("/app/", "", StringComparison.Ordinal);
        return new PublishedApp(output, entrypoint, environment);
    }
}

/// <summary>A published app: its folder, its program (the image's entrypoint) and the image's ENV.</summary>
public sealed record PublishedApp(string Directory, string Program, IReadOnlyDictionary<string, string> ImageEnvironment)
{
    public Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> pod) =>
        ImageEnvironment.Concat(pod).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
}
