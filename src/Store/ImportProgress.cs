namespace CallImport.Store;

/// <summary>An import's progress as the store knows it: what the operator turns into ImportJob status.</summary>
public sealed record ImportProgress
{
    public required string ImportId { get; init; }
    public bool ListingComplete { get; init; }
    public int Total { get; init; }
    public int Imported { get; init; }
    public int Skipped { get; init; }
    public int Failed { get; init; }
    public int FailedRetryable { get; init; }
    public int Pending { get; init; }
    public int QualityFull { get; init; }
    public int QualityPartial { get; init; }
    public int QualityMinimal { get; init; }
    public string? RunId { get; init; }
    public DateTimeOffset? RunStartedAt { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }
    public DateTimeOffset? LastProgressAt { get; init; }
    /// <summary>Why the import cannot go on until a person acts, and its kind (<c>credentials</c> or <c>settings</c>).</summary>
    public string? StartError { get; init; }
    public string? StartErrorKind { get; init; }
    public DateTimeOffset? QuotaExhaustedUntil { get; init; }
    public IReadOnlyList<CallFailure> RecentErrors { get; init; } = [];
    /// <summary>What the runs measured (requests, 429s, rate-limit waits, processing time).</summary>
    public RunStatistics Statistics { get; init; } = RunStatistics.Zero;
}

public sealed record CallFailure(string SourceCallId, string Error, bool Retryable, DateTimeOffset At);
