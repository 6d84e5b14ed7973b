using System.Diagnostics;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>The real kubectl against the local control plane, with a discovery cache of its own (kubectl caches per host:port).</summary>
internal sealed class Kubectl(string kubeconfigPath, string ns) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly string _directory = Directory.CreateTempSubdirectory("kubectl-").FullName;

    public static string? Binary =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);

    /// <summary>Skips without kubectl; under CI=true fails instead, saying what to install.</summary>
    public static void SkipWhenAbsent()
    {
        var reason = CallImport.Testing.RequiredTool.SkipReason(Binary, "kubectl", CallImport.Testing.RequiredTool.KubectlInstall);
        Skip.If(reason is not null, reason);
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Binary ?? "kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--kubeconfig", kubeconfigPath, "--cache-dir", Path.Combine(_directory, "cache"), "--namespace", ns, .. args])
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>kubectl apply -f</c> of a manifest written to a file.</summary>
    public Task<KubectlResult> ApplyAsync(string manifest)
    {
        var path = Path.Combine(_directory, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, manifest);
        return RunAsync("apply", "-f", path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // kubectl still writing its cache.
        }
    }
}

internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public KubectlResult EnsureSuccess()
    {
        Assert.True(ExitCode == 0, $"kubectl failed ({ExitCode}): {Stderr}\n{Stdout}");
        return this;
    }
}
