namespace CallImport.ImportRunner.Platforms;

public sealed record Transcript(IReadOnlyList<TranscriptSegment> Segments);

/// <summary>One utterance; times from the start of the call.</summary>
public sealed record TranscriptSegment(string? Speaker, TimeSpan Start, TimeSpan? End, string Text);
