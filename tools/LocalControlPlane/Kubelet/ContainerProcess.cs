using System.Diagnostics;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// One container running as a host process: its own process group, environment and working directory,
/// stdout and stderr appended to one log file. <see cref="Exited"/> completes with the exit code (128+signal
/// when killed, so SIGKILL gives 137).
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    private readonly Process _process;
    private readonly FileStream _log;
    private readonly Lock _logLock = new();
    private readonly Task _pumps;

    private ContainerProcess(Process process, FileStream log, DateTimeOffset startedAt)
    {
        _process = process;
        _log = log;
        StartedAt = startedAt;
        Pid = process.Id;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream), PumpAsync(process.StandardError.BaseStream));
        Exited = WaitAsync();
    }

    public int Pid { get; }

    public DateTimeOffset StartedAt { get; }

    public Task<int> Exited { get; }

    public bool KilledByKubelet { get; private set; }

    public static ContainerProcess Start(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string workingDir, string logPath, DateTimeOffset now)
    {
        var executable = ContainerCommand.FindExecutable(argv[0], env.GetValueOrDefault("PATH"))
            ?? throw new FileNotFoundException($"exec: \"{argv[0]}\": executable file not found in $PATH");
        var info = new ProcessStartInfo
        {
            FileName = ProcessGroup.IsSupported ? ProcessGroup.SetSid : executable,
            WorkingDirectory = workingDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (ProcessGroup.IsSupported)
        {
            info.ArgumentList.Add(executable);
        }

        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
            process.StandardInput.Close();
            return new ContainerProcess(process, log, now);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Kills the container (its whole process group), as a runtime does when the pod is deleted.</summary>
    public void Kill()
    {
        KilledByKubelet = true;
        KillGroup();
    }

    /// <summary>Releases the process handle and log once the process has exited (a live one is left to finish, or be killed).</summary>
    public void Dispose()
    {
        if (Exited.IsCompleted)
        {
            Release();
        }
        else
        {
            _ = Exited.ContinueWith(_ => Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private void Release()
    {
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var exitCode = _process.ExitCode;

        // Children that outlive the main process would hold the output pipes open: end them like a runtime would.
        if (await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false) != _pumps)
        {
            KillGroup();
            await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }

        lock (_logLock)
        {
            _log.Flush();
        }

        return exitCode;
    }

    private void KillGroup()
    {
        try
        {
            if (ProcessGroup.IsSupported)
            {
                ProcessGroup.Kill(Pid);
            }
            else
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private async Task PumpAsync(Stream output)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await output.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_logLock)
            {
                _log.Write(buffer, 0, read);
                _log.Flush();
            }
        }
    }
}
