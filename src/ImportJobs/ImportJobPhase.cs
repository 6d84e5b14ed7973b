namespace CallImport.ImportJobs;

/// <summary>The values of <c>status.phase</c>.</summary>
public static class ImportJobPhase
{
    public const string Queued = "Queued";
    public const string Waiting = "Waiting";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Partial = "Partial";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";

    public static IReadOnlyList<string> All { get; } = [Queued, Waiting, Running, Completed, Partial, Failed, Cancelled];

    /// <summary>Phases after which nothing happens unless a person asks for a retry.</summary>
    public static bool IsEnded(string? phase) => phase is Completed or Partial or Failed or Cancelled;
}

/// <summary>The values of <c>spec.credentialsPolicy</c>.</summary>
public static class CredentialsPolicies
{
    public const string DeleteAfterImport = "DeleteAfterImport";
    public const string Retain = "Retain";
}

/// <summary>The values of <c>status.runs[].outcome</c>.</summary>
public static class RunOutcomes
{
    /// <summary>Every listed call was imported or skipped.</summary>
    public const string Finished = "Finished";

    /// <summary>The runner went through every call; some failed.</summary>
    public const string FinishedWithFailures = "FinishedWithFailures";

    /// <summary>The window closed or the daily quota was spent; work remains for a later run.</summary>
    public const string StoppedEarly = "StoppedEarly";

    /// <summary>The runner could not start (credentials refused, database unreachable).</summary>
    public const string CouldNotStart = "CouldNotStart";

    /// <summary>The runner died (crash, OOM, node loss, backoff limit) with work left.</summary>
    public const string Crashed = "Crashed";

    /// <summary>The run was stopped by a cancel or by the ImportJob's deletion.</summary>
    public const string Stopped = "Stopped";
}

/// <summary>The values of a condition's status.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}
