namespace CallImport.Operator;

public sealed partial record OperatorSettings
{
    /// <summary>The ImportRunner image of each runner Job; by default the runner of this operator's own release.</summary>
    public string RunnerImage { get; init; } = ReleaseImages.Runner;

    /// <summary>
    /// The runner pods' ServiceAccount (the chart's, bound to no Role; its token is never mounted); empty = the
    /// namespace's <c>default</c>.
    /// </summary>
    public string? RunnerServiceAccountName { get; init; }

    /// <summary>The program inside the image (the container's command); the operator adds the arguments.</summary>
    public string RunnerCommand { get; init; } = "ImportRunner";

    /// <summary>Secret (in the ImportJob's namespace) whose key <c>connectionString</c> becomes the runner's CALLIMPORT_DATABASE.</summary>
    public string DatabaseSecretName { get; init; } = "callimport-database";

    /// <summary>
    /// Development and tests only: the runner's CALLIMPORT_DATABASE as a plain value, instead of
    /// <see cref="DatabaseSecretName"/>. It then appears in the Job's spec, so never use it with real credentials.
    /// </summary>
    public string? RunnerDatabaseConnectionString { get; init; }

    /// <summary>The runner's CALLIMPORT_STORAGE: <c>gs://bucket/prefix</c>, or <c>file:///path</c> in development.</summary>
    public string? RunnerStorage { get; init; }

    /// <summary>Extra environment variables of the runner container (e.g. CALLIMPORT_PLATFORM_RPS_OVERRIDE against a fake).</summary>
    public Dictionary<string, string> RunnerEnvironment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Pod failures (crashes) a runner Job retries before it fails; deliberate exits (2, 3, 4) fail it at once.</summary>
    public int RunnerBackoffLimit { get; init; } = 2;

    /// <summary>Seconds a runner Job may run before Kubernetes stops it; null = no limit (the window's stop-at ends runs).</summary>
    public long? RunnerActiveDeadlineSeconds { get; init; }

    public string RunnerCpuRequest { get; init; } = "250m";
    public string RunnerMemoryRequest { get; init; } = "256Mi";
    public string RunnerCpuLimit { get; init; } = "1";
    public string RunnerMemoryLimit { get; init; } = "512Mi";
}
