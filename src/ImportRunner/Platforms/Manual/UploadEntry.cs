namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// One call of the upload as listed: a recording with what the manifest (or, lacking it, the file) says about it,
/// or a manifest row that cannot be imported and carries its <see cref="Problem"/>. Travels as the listing payload.
/// </summary>
internal sealed record UploadEntry
{
    public required string SourceCallId { get; init; }
    /// <summary>The recording's relative path; null for a row that names no usable file.</summary>
    public string? File { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Whether <see cref="StartedAt"/> came from the manifest (else it is the file's last-write time).</summary>
    public bool StartFromManifest { get; init; }
    public TimeSpan? Duration { get; init; }
    public IReadOnlyList<SourceParticipant> Participants { get; init; } = [];
    /// <summary>A sidecar transcript (.vtt, .srt, .txt) next to the recording.</summary>
    public string? TranscriptFile { get; init; }
    /// <summary>full / partial / minimal, graded on what the manifest gave (fallbacks from the file do not count).</summary>
    public string MetadataQuality { get; init; } = "minimal";
    /// <summary>Why this call cannot be imported; the call then fails permanently with this reason.</summary>
    public string? Problem { get; init; }
}
