namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>Dialpad calls in the import's own terms.</summary>
internal static class DialpadCallMapping
{
    public static DateTimeOffset? StartOf(DialpadCall call) => call.DateStarted is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>The recording to download: the call recording, else the admin one (voicemails are not calls' audio).</summary>
    public static DialpadRecording? Recording(DialpadCall call) =>
        (call.RecordingDetails ?? []).Where(r => !string.IsNullOrWhiteSpace(r.Url))
            .OrderBy(r => r.RecordingType switch { "callrecording" => 0, "admincallrecording" => 1, _ => 2 })
            .FirstOrDefault();

    /// <summary>True when the listing's record lacks something only get-call can fill (Dialpad's 10/min request).</summary>
    public static bool NeedsDetail(DialpadCall call) =>
        call.DateStarted is null || (call.WasRecorded == true && Recording(call) is null);

    public static SourceCall ToSourceCall(string callId, DialpadCall call) => new()
    {
        SourceCallId = callId,
        Title = call.Direction is { Length: > 0 } direction ? $"Dialpad {direction} call" : null,
        StartedAt = StartOf(call),
        Duration = call.Duration is { } ms and >= 0 ? TimeSpan.FromMilliseconds(ms)
            : call is { DateStarted: { } s, DateEnded: { } e } && e >= s ? TimeSpan.FromMilliseconds(e - s) : null,
        Participants = [.. Party(call.Target, Affiliation.Internal), .. Party(call.Contact, Affiliation.External)],
        MediaLocation = Recording(call)?.Url,
    };

    private static IEnumerable<SourceParticipant> Party(DialpadParty? party, Affiliation affiliation)
    {
        if (party is null || (Clean(party.Name) ?? Clean(party.Email) ?? Clean(party.Phone)) is null) yield break;
        yield return new SourceParticipant(Clean(party.Name), Clean(party.Email), affiliation, Clean(party.Phone));
    }

    /// <summary>Transcript lines (not moments) with times from the call's start; null when there are none.</summary>
    public static Transcript? ToTranscript(DialpadTranscript transcript, DateTimeOffset? callStart)
    {
        var lines = (transcript.Lines ?? []).Where(l => l.Type is null or "transcript" && !string.IsNullOrWhiteSpace(l.Content)).ToList();
        if (lines.Count == 0) return null;
        var origin = callStart ?? lines.Min(l => l.Time) ?? DateTimeOffset.MinValue;
        var segments = lines.Select(l => new TranscriptSegment(
            Clean(l.Name) ?? (l.UserId is not null ? "internal" : l.ContactId is not null ? "external" : null),
            l.Time is { } t && t >= origin ? t - origin : TimeSpan.Zero,
            null,
            l.Content!.Trim())).ToList();
        return new Transcript(segments);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
