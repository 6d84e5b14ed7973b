namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// A call as the listing returns it: its id on the platform and, where the listing carries it, the whole
/// record (some platforms have no detail endpoint) as raw JSON for the context's own use.
/// </summary>
public sealed record CallReference(string SourceCallId, DateTimeOffset? StartedAt = null, string? ListingPayload = null);
