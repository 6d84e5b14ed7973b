namespace CallImport.Testing.Fakes;

/// <summary>
/// What a fake knows about one of its calls, to check an import against: the id the vendor uses, when it
/// started, the SHA-256 of its recording's bytes (null: no recording), whether it has a transcript, whether
/// its detail is malformed (that call must fail alone) and why it must be skipped (Gong's private calls).
/// </summary>
public sealed record FakeCallTruth(
    string Id,
    DateTimeOffset StartedAt,
    string? MediaSha256,
    bool HasTranscript,
    bool Malformed = false,
    string? SkipReason = null)
{
    /// <summary>Ends imported when inside the range.</summary>
    public bool Importable => !Malformed && SkipReason is null;

    public bool InRange(DateTimeOffset from, DateTimeOffset to) => StartedAt >= from && StartedAt < to;
}
