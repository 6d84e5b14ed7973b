using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Processing;

/// <summary>The transcript as stored in <c>engagements.transcript</c>: segments with times in milliseconds.</summary>
public sealed record TranscriptDocument(IReadOnlyList<TranscriptDocument.Segment> Segments)
{
    public sealed record Segment(string? Speaker, long StartMs, long? EndMs, string Text);

    public static TranscriptDocument From(Transcript transcript) => new(
        transcript.Segments.Select(s => new Segment(s.Speaker, (long)s.Start.TotalMilliseconds, s.End is { } e ? (long)e.TotalMilliseconds : null, s.Text)).ToList());
}
