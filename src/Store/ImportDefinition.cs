namespace CallImport.Store;

/// <summary>What identifies an import in the store: an ImportJob's UID (or a command-line import's id) and its scope.</summary>
public sealed record ImportDefinition(string ImportId, string CustomerId, string Platform, DateTimeOffset From, DateTimeOffset To);

/// <summary>A call as listed, before any processing.</summary>
public sealed record ListedCall(string SourceCallId, DateTimeOffset? StartedAt, string? ListingPayload);

/// <summary>
/// A call still to process, with how often it was tried and, when an engagement for it already exists,
/// the import batch that wrote it (read with the pending list, so the skip check costs no round trip).
/// </summary>
public sealed record PendingCall(string SourceCallId, int Attempts, DateTimeOffset? StartedAt, string? ListingPayload, string? ImportedByBatch = null);

public enum CallState { Pending, Done, Failed }
