namespace CallImport.Store;

/// <summary>One row of the <c>engagements</c> contract, as the processor hands it over.</summary>
public sealed record EngagementRecord
{
    public required string CustomerId { get; init; }
    public required string ImportSource { get; init; }
    public required string SourceCallId { get; init; }
    public required string ImportBatchId { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public int? DurationSeconds { get; init; }
    /// <summary>JSON array of participants.</summary>
    public required string ParticipantsJson { get; init; }
    public string? MediaUri { get; init; }
    /// <summary>JSON transcript, or null when the source has none (a transcription request is queued).</summary>
    public string? TranscriptJson { get; init; }
    public required string MetadataQuality { get; init; }
}
