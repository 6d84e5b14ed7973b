using System.Diagnostics;
using System.Text;

namespace CallImport.Deploy.Tests.Published;

/// <summary>
/// Runs a published app as its image runs it, as far as this machine allows without a container engine: in a
/// private mount namespace where the root filesystem is read-only and /tmp is a fresh tmpfs (the chart's
/// emptyDir), as the unused numeric user 65532 with no supplementary groups, and with an environment of only the
/// Dockerfile's ENV (PATH with the app directory first, TMPDIR) plus what the pod would get; no HOME.
/// </summary>
internal sealed class Sandbox : IDisposable
{
    public const int User = 65532;

    private static readonly string Script =
        "mount -o remount,bind,ro / && mount -t tmpfs -o mode=1777,size=256m callimport-tmp /tmp && cd / && " +
        $"exec setpriv --reuid {User} --regid {User} --clear-groups env -i \"$@\"";

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private Sandbox(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public int ExitCode => _process.ExitCode;

    /// <summary>Why this machine cannot run the sandbox, or null when it can (root, unshare and setpriv).</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux())
            return "the sandbox needs Linux mount namespaces";
        if (Environment.UserName != "root")
            return "the sandbox needs root to make a read-only mount namespace (CAP_SYS_ADMIN)";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "setpriv", "--version"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            probe.WaitForExit();
            return probe.ExitCode == 0 ? null : "unshare --mount or setpriv failed here: " + probe.StandardError.ReadToEnd();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "unshare or setpriv is not installed: " + e.Message;
        }
    }

    /// <summary>Starts <paramref name="command"/> (a program on the sandbox's PATH) with exactly <paramref name="environment"/>.</summary>
    public static Sandbox Start(IReadOnlyDictionary<string, string> environment, params string[] command)
    {
        var start = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c", Script, "sandbox",
            .. environment.Select(e => $"{e.Key}={e.Value}"), .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // unshare, sh, setpriv and env each exec the next: the pid is the app's own.
        return new Sandbox(Process.Start(start)!);
    }

    public async Task<int> WaitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"gave up after {bound}; stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod.</summary>
    public async Task<int> TerminateAsync(TimeSpan bound)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        return await WaitAsync(bound);
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
