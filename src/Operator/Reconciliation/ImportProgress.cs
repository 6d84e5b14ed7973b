using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>An import's progress as the store (PostgreSQL) records it; the runner writes it, the operator reads it.</summary>
public sealed record ImportProgress
{
    /// <summary>The runner has listed every call in the date range.</summary>
    public bool ListingComplete { get; init; }

    public int TotalListed { get; init; }

    /// <summary>Calls imported.</summary>
    public int Processed { get; init; }

    /// <summary>Calls failed for now (attempts spent or a permanent error).</summary>
    public int Failed { get; init; }

    /// <summary>Of <see cref="Failed"/>, those a retry may fix.</summary>
    public int FailedRetryable { get; init; }

    /// <summary>Calls already imported before (by an earlier job), skipped.</summary>
    public int Skipped { get; init; }

    /// <summary>Listed calls not yet done or failed.</summary>
    public int Pending { get; init; }

    public MetadataQualityCounts MetadataQuality { get; init; } = new();

    /// <summary>The latest call errors, newest first.</summary>
    public IReadOnlyList<CallError> RecentErrors { get; init; } = [];

    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>The platform refused the credentials; only a person can fix that.</summary>
    public bool CredentialsRejected { get; init; }

    /// <summary>The runner refused the import's settings (filters, platform, a Secret value) with this message; only a person can fix that.</summary>
    public string? SettingsRejected { get; init; }

    /// <summary>The platform's daily request quota is spent until then.</summary>
    public DateTimeOffset? QuotaExhaustedUntil { get; init; }

    public bool HasWorkLeft => !ListingComplete || Pending > 0;
}
