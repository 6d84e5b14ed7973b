namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>Settings of the local kubelet and Job controller.</summary>
public sealed class KubeletOptions
{
    /// <summary>Namespace to serve; null serves all namespaces.</summary>
    public string? Namespace { get; set; }

    /// <summary>Where each pod gets a directory (volumes, working dir, container log).</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "localcontrolplane-kubelet");

    /// <summary>
    /// Image → local command prefix, standing in for a container runtime. A mapped image runs
    /// <c>prefix + args</c> (the container's <c>command</c> names a path inside the image, so it is replaced).
    /// A key without a tag matches every tag of that image. Unmapped images run <c>command + args</c> from PATH.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> ImageCommands { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Host environment variables a container inherits (a container sees none of the host's otherwise).</summary>
    public IList<string> InheritedEnvironment { get; } =
        ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "DOTNET_ROOT", "DOTNET_CLI_HOME", "DOTNET_NOLOGO", "NUGET_PACKAGES"];

    /// <summary>How often everything is re-read even without watch events (watches only make it faster).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First delay before restarting a failed container of a restartPolicy OnFailure pod; doubles per restart (5 min cap).</summary>
    public TimeSpan CrashLoopBackOff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Server-side timeout of each watch request; the watch is renewed after it.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Called when a pod's log file is created: (namespace, pod, host path). The control plane serves <c>pods/{name}/log</c> from it.</summary>
    public Action<string, string, string>? LogFileOpened { get; set; }

    /// <summary>
    /// Environment variable read by <see cref="FromEnvironment"/>: <c>image=command arg…;image2=command…</c>,
    /// e.g. <c>callimport/import-runner=dotnet /repo/src/ImportRunner/bin/Debug/net10.0/ImportRunner.dll</c>.
    /// </summary>
    public const string ImageCommandsVariable = "LOCALCONTROLPLANE_IMAGE_COMMANDS";

    /// <summary>Defaults plus image mappings from <see cref="ImageCommandsVariable"/> (for the kubelet the command line starts).</summary>
    public static KubeletOptions FromEnvironment()
    {
        var options = new KubeletOptions();
        foreach (var entry in (Environment.GetEnvironmentVariable(ImageCommandsVariable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (image, command) = (entry.Split('=', 2)[0].Trim(), entry.Split('=', 2).ElementAtOrDefault(1) ?? "");
            options.ImageCommands[image] = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        return options;
    }
}
