using System.Globalization;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>Fathom meetings in the import's own terms.</summary>
internal static class FathomCallMapping
{
    /// <summary>When the call started: the recording's start, else the scheduled one.</summary>
    public static DateTimeOffset? StartOf(FathomMeeting meeting) => meeting.RecordingStartTime ?? meeting.ScheduledStartTime;

    public static SourceCall ToSourceCall(string sourceCallId, FathomMeeting meeting) => new()
    {
        SourceCallId = sourceCallId,
        Title = Clean(meeting.Title) ?? Clean(meeting.MeetingTitle),
        StartedAt = StartOf(meeting),
        Duration = meeting is { RecordingStartTime: { } start, RecordingEndTime: { } end } && end >= start ? end - start : null,
        Participants = Participants(meeting),
        WebUrl = Clean(meeting.Url),
    };

    /// <summary>
    /// The calendar invitees with Fathom's own <c>is_external</c>; the recorder is internal (added when not invited).
    /// </summary>
    private static List<SourceParticipant> Participants(FathomMeeting meeting)
    {
        var participants = (meeting.CalendarInvitees ?? [])
            .Select(i => new SourceParticipant(Clean(i.Name), Clean(i.Email), i.IsExternal switch
            {
                true => Affiliation.External,
                false => Affiliation.Internal,
                null => Affiliation.Unknown,
            }))
            .ToList();
        if (meeting.RecordedBy is { } recorder && Clean(recorder.Email) is { } email
            && !participants.Any(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)))
            participants.Add(new SourceParticipant(Clean(recorder.Name), email, Affiliation.Internal));
        return participants;
    }

    /// <summary>
    /// Fathom gives each line's start as <c>HH:MM:SS</c> and no end: a line ends where the next begins (the last has
    /// no end). Null when the meeting has no lines (a transcription request is queued instead). A timestamp that
    /// does not parse fails the call as malformed.
    /// </summary>
    public static Transcript? ToTranscript(IReadOnlyList<FathomTranscriptItem> items, string what)
    {
        var lines = items.Where(i => !string.IsNullOrWhiteSpace(i.Text))
            .Select(i => (Speaker: Clean(i.Speaker?.DisplayName) ?? Clean(i.Speaker?.MatchedCalendarInviteeEmail), Start: Timestamp(i.Timestamp, what), Text: i.Text!.Trim()))
            .ToList();
        if (lines.Count == 0) return null;
        var segments = lines.Select((line, n) => new TranscriptSegment(
            line.Speaker, line.Start, n + 1 < lines.Count && lines[n + 1].Start >= line.Start ? lines[n + 1].Start : null, line.Text)).ToList();
        return new Transcript(segments);
    }

    /// <summary><c>HH:MM:SS</c>; hours may pass 23 in long meetings, so not parsed as a time of day.</summary>
    public static TimeSpan Timestamp(string? value, string what)
    {
        if (value?.Split(':') is [var h, var m, var s]
            && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes < 60
            && double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 60)
            return TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
        throw new PermanentCallException($"{what}: malformed payload (transcript timestamp is not HH:MM:SS).");
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
