using CallImport.ImportJobs;

namespace CallImport.Operator.Reconciliation;

/// <summary>The store's record of an import, in the decision's terms.</summary>
internal static class StoreProgress
{
    public static ImportProgress From(CallImport.Store.ImportProgress p) => new()
    {
        ListingComplete = p.ListingComplete,
        TotalListed = p.Total,
        Processed = p.Imported,
        Failed = p.Failed,
        FailedRetryable = p.FailedRetryable,
        Skipped = p.Skipped,
        Pending = p.Pending,
        MetadataQuality = new MetadataQualityCounts { Full = p.QualityFull, Partial = p.QualityPartial, Minimal = p.QualityMinimal },
        RecentErrors = [.. p.RecentErrors.Select(e => new CallError { CallId = e.SourceCallId, Error = e.Error, Retryable = e.Retryable, Timestamp = e.At })],
        LastHeartbeat = Latest(p.HeartbeatAt, p.LastProgressAt),
        CredentialsRejected = p.StartErrorKind == "credentials",
        SettingsRejected = p.StartErrorKind == "settings" ? p.StartError ?? "no reason given" : null,
        QuotaExhaustedUntil = p.QuotaExhaustedUntil,
    };

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
