namespace CallImport.Operator.Reconciliation;

/// <summary>A runner Job (batch/v1) as the decision needs it: counts, conditions, times, and its pod's exit code.</summary>
public sealed record RunnerJobState
{
    public required string Name { get; init; }

    /// <summary>From the Job's <c>callimport.io/run</c> label.</summary>
    public required int RunNumber { get; init; }

    public int ActivePods { get; init; }
    public int SucceededPods { get; init; }
    public int FailedPods { get; init; }

    /// <summary>The Job has condition Complete=True.</summary>
    public bool IsComplete { get; init; }

    /// <summary>The Job has condition Failed=True.</summary>
    public bool IsFailed { get; init; }

    /// <summary>The Failed condition's reason (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy).</summary>
    public string? FailedReason { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the Job finished: its completionTime, or the Failed condition's time.</summary>
    public DateTimeOffset? CompletionTime { get; init; }

    /// <summary>The runner container's last exit code (see <see cref="RunnerExitCodes"/>), when a pod is still there to say.</summary>
    public int? LastExitCode { get; init; }

    public bool IsFinished => IsComplete || IsFailed;
}
