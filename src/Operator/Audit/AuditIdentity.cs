using CallImport.ImportJobs;

namespace CallImport.Operator.Audit;

/// <summary>
/// Who asked for an import: <c>spec.requestedBy</c> as written, and the client that created the resource (the
/// earliest managedFields entry: kubectl, Argo CD, a controller), when the API server recorded one. The
/// authenticated user name itself lives in the API server's audit log, not on the object.
/// </summary>
public sealed record AuditIdentity(string RequestedBy, string CreatedWith)
{
    public const string Unknown = "unknown";

    public static AuditIdentity Of(ImportJob importJob)
    {
        var creator = importJob.Metadata.ManagedFields?
            .Where(f => f.Subresource is null or "" && !string.IsNullOrEmpty(f.Manager))
            .OrderBy(f => f.Time ?? DateTimeOffset.MaxValue)
            .FirstOrDefault();
        return new AuditIdentity(
            string.IsNullOrWhiteSpace(importJob.Spec.RequestedBy) ? Unknown : importJob.Spec.RequestedBy.Trim(),
            creator is null ? Unknown : $"{creator.Manager} ({creator.Operation ?? "Update"})");
    }
}
