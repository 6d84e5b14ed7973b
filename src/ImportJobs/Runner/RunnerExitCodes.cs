namespace CallImport.ImportJobs.Runner;

/// <summary>
/// The ImportRunner's exit codes: the contract between the runner, the operator (which reads them from the runner
/// pod) and scripts (documented in the README). The runner Job's podFailurePolicy fails the Job at once
/// (action FailJob) on <see cref="Deliberate"/> codes, so only crashes use the backoff limit.
/// </summary>
public static class RunnerExitCodes
{
    /// <summary>Every listed call was imported (or already imported).</summary>
    public const int Success = 0;

    /// <summary>Invalid command line, the platform not answering even after retries, or an unexpected error (see the log).</summary>
    public const int Error = 1;

    /// <summary>The runner went through every call and some failed (each recorded with its reason in the store).</summary>
    public const int CallsFailed = 2;

    /// <summary>The import could not start: credentials refused or settings refused (both recorded in the store), database or storage unreachable.</summary>
    public const int CouldNotStart = 3;

    /// <summary>Stopped before the end with work left: the window closed, the daily quota is spent, or it was asked to stop.</summary>
    public const int StoppedEarly = 4;

    /// <summary>Exit codes that end the Job without retrying its pod.</summary>
    public static IReadOnlyList<int> Deliberate { get; } = [CallsFailed, CouldNotStart, StoppedEarly];
}
