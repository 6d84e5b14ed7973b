namespace CallImport.ImportJobs;

/// <summary>How the import is going. Written by the operator only, through the status subresource.</summary>
public sealed record ImportJobStatus
{
    /// <summary>One of <see cref="ImportJobPhase"/>.</summary>
    public string? Phase { get; init; }

    public int? TotalCalls { get; init; }
    public int? ProcessedCalls { get; init; }
    public int? FailedCalls { get; init; }
    public int? SkippedCalls { get; init; }
    public int? EstimatedCalls { get; init; }
    public DateTimeOffset? EstimatedCompletionTime { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? LastProgressAt { get; init; }
    public DateTimeOffset? NextWindowStart { get; init; }

    /// <summary>The name of the runner Job now running, if any.</summary>
    public string? ActiveRun { get; init; }

    public IReadOnlyList<RunRecord>? Runs { get; init; }
    public MetadataQualityCounts? MetadataQuality { get; init; }

    /// <summary>The latest errors (at most <see cref="MaxRecentErrors"/>); the full list lives in PostgreSQL.</summary>
    public IReadOnlyList<CallError>? RecentErrors { get; init; }

    /// <summary>The last value of the retry annotation the operator acted on.</summary>
    public string? LastHandledRetryAt { get; init; }

    public long? ObservedGeneration { get; init; }
    public IReadOnlyList<ImportJobCondition>? Conditions { get; init; }

    /// <summary>The last phase change handled for Slack, so a restarted or new leader never notifies it twice.</summary>
    public NotificationRecord? Notifications { get; init; }

    public const int MaxRecentErrors = 20;
}

/// <summary>One runner Job of the import.</summary>
public sealed record RunRecord
{
    public required int Number { get; init; }
    public required string JobName { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>One of <see cref="RunOutcomes"/>; absent while the run is going.</summary>
    public string? Outcome { get; init; }

    /// <summary>The retry request (the annotation's value) handled after this run; runs before it no longer count as crashes in a row.</summary>
    public string? RetryAfter { get; init; }
}

public sealed record MetadataQualityCounts
{
    public int Full { get; init; }
    public int Partial { get; init; }
    public int Minimal { get; init; }
}

/// <summary>A call that failed (for now, when <see cref="Retryable"/>).</summary>
public sealed record CallError
{
    public required string CallId { get; init; }
    public required string Error { get; init; }
    public bool Retryable { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>A condition in the shape of Kubernetes' metav1.Condition.</summary>
public sealed record ImportJobCondition
{
    public required string Type { get; init; }

    /// <summary>"True", "False" or "Unknown".</summary>
    public required string Status { get; init; }

    public required string Reason { get; init; }
    public string Message { get; init; } = "";
    public DateTimeOffset? LastTransitionTime { get; init; }
    public long? ObservedGeneration { get; init; }
}

/// <summary>The last phase change (or Stalled) the Slack notifier handled, and whether a message was queued for it.</summary>
public sealed record NotificationRecord
{
    /// <summary>The phase handled, or <c>Stalled</c> while the Stalled condition is True.</summary>
    public required string LastNotifiedPhase { get; init; }

    /// <summary>The Stalled condition's reason when <see cref="LastNotifiedPhase"/> is Stalled.</summary>
    public string? LastNotifiedReason { get; init; }

    /// <summary>When a message for it was queued; absent when none was sent (see <see cref="Skipped"/>).</summary>
    public DateTimeOffset? LastNotifiedAt { get; init; }

    /// <summary>Why no message was sent for it: <c>OptedOut</c>, <c>NoWebhook</c> or <c>NotNotified</c> (Queued).</summary>
    public string? Skipped { get; init; }
}
