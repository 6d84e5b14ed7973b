namespace CallImport.Operator;

/// <summary>
/// The operator's settings (section <c>Operator</c> of configuration / environment <c>Operator__…</c>):
/// the default window, the global caps and the reconcile timings (this file); the runner Job
/// (OperatorSettings.Runner.cs) and the host (OperatorSettings.Hosting.cs).
/// </summary>
public sealed partial record OperatorSettings
{
    /// <summary>Window opening time (HH:mm) for ImportJobs without <c>spec.schedule.window</c>.</summary>
    public string DefaultWindowStart { get; init; } = "20:00";

    /// <summary>Window closing time (HH:mm) for ImportJobs without <c>spec.schedule.window</c>.</summary>
    public string DefaultWindowEnd { get; init; } = "08:00";

    /// <summary>IANA time zone of the default window.</summary>
    public string DefaultTimeZone { get; init; } = "UTC";

    /// <summary>Runner Jobs running at once across all ImportJobs.</summary>
    public int MaxConcurrentRuns { get; init; } = 10;

    /// <summary>Runner Jobs running at once for one customer.</summary>
    public int MaxConcurrentRunsPerCustomer { get; init; } = 2;

    /// <summary>Runner Jobs running at once against one platform.</summary>
    public int MaxConcurrentRunsPerPlatform { get; init; } = 4;

    /// <summary>Runs in a row that may crash (pod died, backoff limit) before the ImportJob ends Failed.</summary>
    public int MaxCrashedRuns { get; init; } = 3;

    /// <summary>Runs listed in status.runs (the latest ones; status.runsStarted counts them all), so a long-lived ImportJob stays small.</summary>
    public int MaxRunsInStatus { get; init; } = 10;

    /// <summary>A runner silent for longer than this is reported (condition Progressing=False), not killed.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a running ImportJob's counts are refreshed from the store.</summary>
    public TimeSpan ProgressPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a Queued ImportJob looks again for a free run slot.</summary>
    public TimeSpan CapacityRecheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How soon a Stalled ImportJob looks again (a person may have fixed it); long, so no hot loop.</summary>
    public TimeSpan StalledRecheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a created runner Job may stay unseen (cache lag) before its run counts as lost.</summary>
    public TimeSpan RunnerJobAppearTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How soon a deleted ImportJob looks again for runner Jobs still going away.</summary>
    public TimeSpan DeletionRecheckInterval { get; init; } = TimeSpan.FromSeconds(5);
}
