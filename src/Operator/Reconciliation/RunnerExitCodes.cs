namespace CallImport.Operator.Reconciliation;

/// <summary>
/// What the runner's exit code means: the contract between the ImportRunner and the operator. The runner Job's
/// podFailurePolicy fails the Job at once (action FailJob) on 2, 3 and 4, so only crashes use the backoff limit.
/// </summary>
public static class RunnerExitCodes
{
    /// <summary>Every listed call was imported or skipped.</summary>
    public const int AllImported = 0;

    /// <summary>The runner went through every call and some failed (recorded in the store).</summary>
    public const int FinishedWithFailedCalls = 2;

    /// <summary>The runner could not start: credentials refused (flagged in the store) or the database unreachable.</summary>
    public const int CouldNotStart = 3;

    /// <summary>Stopped early, work remains: the window closed (stop-at reached) or the day's request quota is spent.</summary>
    public const int StoppedEarly = 4;

    /// <summary>Exit codes that end the Job without retrying its pod.</summary>
    public static IReadOnlyList<int> Deliberate { get; } = [FinishedWithFailedCalls, CouldNotStart, StoppedEarly];
}
