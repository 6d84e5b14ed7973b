using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>
/// Runs the real kubectl against a plane, with its own kubeconfig and discovery cache directory
/// (kubectl caches discovery per host:port, and every test's plane is new).
/// </summary>
internal sealed class Kubectl : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly string directory = Directory.CreateTempSubdirectory("kubectl-").FullName;
    private readonly List<Process> started = [];

    public Kubectl(LocalControlPlane plane)
    {
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        plane.WriteKubeconfig(KubeconfigPath);
    }

    public string KubeconfigPath { get; }

    public static string? Binary =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "kubectl")).FirstOrDefault(File.Exists);

    /// <summary>Skips without kubectl; under CI=true fails instead, saying what to install.</summary>
    public static void SkipWhenAbsent()
    {
        var reason = CallImport.Testing.RequiredTool.SkipReason(Binary, "kubectl", CallImport.Testing.RequiredTool.KubectlInstall);
        Skip.If(reason is not null, reason);
    }

    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Writes the manifest to a file and runs <c>kubectl apply -f</c> on it (plus extra flags).</summary>
    public Task<KubectlResult> ApplyAsync(string manifest, params string[] extra)
    {
        var path = Path.Combine(directory, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, manifest);
        return RunAsync(["apply", "-f", path, .. extra]);
    }

    /// <summary>A long-running kubectl (get -w, delete --wait) whose output lines arrive on a channel.</summary>
    public KubectlStream Stream(params string[] args)
    {
        var process = Start(args);
        var lines = Channel.CreateUnbounded<string>();
        var errors = new StringBuilder();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await lines.Writer.WriteAsync(line);
            }
            lines.Writer.TryComplete();
        });
        _ = Task.Run(async () =>
        {
            var text = await process.StandardError.ReadToEndAsync();
            lock (errors) errors.Append(text);
        });
        return new KubectlStream(process, lines.Reader, errors);
    }

    private Process Start(string[] args)
    {
        var info = new ProcessStartInfo(Binary ?? "kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(KubeconfigPath);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(directory, "cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
        lock (started) started.Add(process);
        return process;
    }

    public void Dispose()
    {
        lock (started)
        {
            foreach (var process in started)
            {
                try
                {
                    if (!process.HasExited) process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }
                process.Dispose();
            }
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl still writing its cache; the temp dir is cleaned up by the OS eventually.
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

/// <summary>A running kubectl: wait for a line matching a condition, or for it to exit.</summary>
internal sealed class KubectlStream(Process process, ChannelReader<string> lines, StringBuilder errors)
{
    public List<string> Seen { get; } = [];

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await lines.ReadAsync(cancel.Token);
                Seen.Add(line);
                if (match(line)) return line;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            string stderr;
            lock (errors) stderr = errors.ToString();
            throw new Xunit.Sdk.XunitException($"no matching line; saw:\n{string.Join('\n', Seen)}\nstderr:\n{stderr}");
        }
    }

    public bool HasExited => process.HasExited;

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }
}
