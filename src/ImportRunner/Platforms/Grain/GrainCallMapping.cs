namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>Grain payloads in the import's own terms.</summary>
internal static class GrainCallMapping
{
    public static SourceCall ToSourceCall(string sourceCallId, GrainRecording recording) => new()
    {
        SourceCallId = sourceCallId,
        Title = string.IsNullOrWhiteSpace(recording.Title) ? null : recording.Title.Trim(),
        StartedAt = recording.StartDatetime,
        Duration = DurationOf(recording),
        Participants = (recording.Participants ?? []).Select(ToParticipant).ToList(),
        WebUrl = string.IsNullOrWhiteSpace(recording.Url) ? null : recording.Url,
    };

    /// <summary>
    /// Null when Grain has no transcript yet: it answers an empty array until transcription finishes,
    /// and the processor then queues a transcription request of its own.
    /// </summary>
    public static Transcript? ToTranscript(IReadOnlyList<GrainTranscriptSection> sections)
    {
        var segments = sections
            .Where(s => !string.IsNullOrWhiteSpace(s.Text))
            .Select(s => new TranscriptSegment(
                string.IsNullOrWhiteSpace(s.Speaker) ? null : s.Speaker.Trim(),
                TimeSpan.FromMilliseconds(s.Start ?? 0),
                s.End is { } end ? TimeSpan.FromMilliseconds(end) : null,
                s.Text!.Trim()))
            .ToList();
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    private static TimeSpan? DurationOf(GrainRecording recording) => recording switch
    {
        { DurationMs: { } ms } => TimeSpan.FromMilliseconds(ms),
        { StartDatetime: { } start, EndDatetime: { } end } when end >= start => end - start,
        _ => null,
    };

    private static SourceParticipant ToParticipant(GrainParticipant participant) => new(
        string.IsNullOrWhiteSpace(participant.Name) ? null : participant.Name.Trim(),
        string.IsNullOrWhiteSpace(participant.Email) ? null : participant.Email.Trim(),
        participant.Scope switch
        {
            "internal" => Affiliation.Internal,
            "external" => Affiliation.External,
            _ => Affiliation.Unknown,
        });
}
