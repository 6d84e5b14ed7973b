namespace CallImport.ImportRunner.Platforms;

/// <summary>A call's metadata as the platform describes it, before normalisation.</summary>
public sealed record SourceCall
{
    public required string SourceCallId { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public TimeSpan? Duration { get; init; }
    public IReadOnlyList<SourceParticipant> Participants { get; init; } = [];
    /// <summary>The call's page on the platform, when it has one.</summary>
    public string? WebUrl { get; init; }
    /// <summary>Where the context will fetch media from (opaque to everyone else).</summary>
    public string? MediaLocation { get; init; }
    /// <summary>Context-private data needed by the later fetches (e.g. a manifest entry).</summary>
    public IReadOnlyDictionary<string, string> ContextData { get; init; } = new Dictionary<string, string>();

    /// <summary>ContextData key: the context's own grade (full/partial/minimal) when it filled in metadata the source lacked.</summary>
    public const string MetadataQualityKey = "metadataQuality";
}

/// <summary>Whether the platform says a participant belongs to the customer's organisation.</summary>
public enum Affiliation { Unknown, Internal, External }

public sealed record SourceParticipant(string? Name, string? Email, Affiliation Affiliation = Affiliation.Unknown, string? Phone = null);
