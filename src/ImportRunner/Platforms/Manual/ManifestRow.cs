namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>
/// One manifest entry as read. <see cref="Problem"/> is set when the row is unusable (bad date, bad duration…);
/// such a row still becomes a call, so that its failure is recorded rather than dropped.
/// </summary>
internal sealed record ManifestRow(string Manifest, int Row)
{
    /// <summary>Normalised relative path; null when the row names no usable file.</summary>
    public string? File { get; init; }
    public string? Id { get; init; }
    public string? Title { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public TimeSpan? Duration { get; init; }
    public IReadOnlyList<SourceParticipant> Participants { get; init; } = [];
    public string? Problem { get; init; }

    /// <summary>Where a person finds the row, e.g. "manifest.csv row 3" (CSV rows count the header as row 1, JSON lines count lines).</summary>
    public string Where => $"{Manifest} row {Row}";
}
