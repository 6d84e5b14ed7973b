namespace CallImport.Operator;

public sealed partial record OperatorSettings
{
    /// <summary>Npgsql connection string of the store the runners write to; the operator reads progress from it.</summary>
    public string DatabaseConnectionString { get; init; } = "";

    /// <summary>Namespaces whose ImportJobs this operator reconciles, comma-separated (<c>a,b</c>); empty = all namespaces.</summary>
    public string? WatchNamespace { get; init; }

    /// <summary><see cref="WatchNamespace"/> as a list; empty = all namespaces.</summary>
    public IReadOnlyList<string> WatchedNamespaces =>
        [.. (WatchNamespace ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Kubeconfig file; empty = the KUBECONFIG variable, else the in-cluster service account.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Port of /healthz, /readyz and /metrics.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>ImportJobs reconciled at once (never the same one twice).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Server-side timeout of each watch request; the watch is then renewed from the last resourceVersion.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Full relist period, in case a watch died silently.</summary>
    public TimeSpan RelistInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>/healthz fails when no watch has answered for this long.</summary>
    public TimeSpan WatchSilenceLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>First retry delay after a failed reconcile; doubles per failure up to <see cref="MaxErrorBackoff"/>.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxErrorBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The coordination.k8s.io Lease that elects the one active replica.</summary>
    public string LeaseName { get; init; } = "callimport-operator";

    /// <summary>Namespace of the Lease; empty = the pod's namespace (POD_NAMESPACE), else <c>default</c>.</summary>
    public string? LeaseNamespace { get; init; }

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan LeaseRenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan LeaseRetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>This replica's name in the Lease; empty = POD_NAME, else host name and process id.</summary>
    public string? Identity { get; init; }

    /// <summary><c>json</c> (one JSON object a line, for clusters) or <c>text</c> (readable, for a terminal).</summary>
    public string LogFormat { get; init; } = "json";

    /// <summary>Minimum log level: Verbose, Debug, Information, Warning, Error.</summary>
    public string LogLevel { get; init; } = "Information";

    /// <summary>Call errors copied into status.recentErrors.</summary>
    public int RecentErrors { get; init; } = 10;
}
