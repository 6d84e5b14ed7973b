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

    /// <summary>Server-side timeout of each watch request; the watch is renewed after it.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Keep pod directories (logs, volumes) after the pod is gone, for debugging.</summary>
    public bool KeepPodDirectories { get; set; } = true;
}
