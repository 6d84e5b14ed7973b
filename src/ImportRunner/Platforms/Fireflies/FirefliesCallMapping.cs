namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>Fireflies meetings in the import's own terms.</summary>
internal static class FirefliesCallMapping
{
    /// <summary>Fireflies' state of a meeting whose transcript and audio are still being produced.</summary>
    public const string Processing = "processing";

    /// <summary><c>date</c> is the meeting's start in epoch milliseconds.</summary>
    public static DateTimeOffset? StartOf(FirefliesTranscript meeting) =>
        meeting.Date is { } ms && !double.IsNaN(ms) && ms > 0 && ms < 253_402_300_800_000 ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;

    /// <summary>Still processing at Fireflies: no sentences yet and its state says so. Such a meeting is looked at again later.</summary>
    public static bool IsProcessing(FirefliesTranscript meeting) =>
        meeting.Sentences is not { Count: > 0 }
        && string.Equals(meeting.MeetingInfo?.SummaryStatus, Processing, StringComparison.OrdinalIgnoreCase);

    public static SourceCall ToSourceCall(string id, FirefliesTranscript meeting) => new()
    {
        SourceCallId = id,
        Title = Clean(meeting.Title),
        StartedAt = StartOf(meeting),
        // Fireflies gives minutes (with decimals).
        Duration = meeting.Duration is { } minutes && minutes >= 0 && minutes < 100_000 ? TimeSpan.FromMinutes(minutes) : null,
        Participants = Participants(meeting),
        WebUrl = Clean(meeting.TranscriptUrl),
        MediaLocation = Clean(meeting.AudioUrl),
    };

    /// <summary>
    /// Fireflies lists participants as email addresses (one entry may hold several, comma-separated), the organizer
    /// among them or not; names come from <c>meeting_attendees</c> when an attendee has the same address. Fireflies says
    /// nothing of affiliation: the ImportJob's <c>internalDomains</c> decide it.
    /// </summary>
    private static List<SourceParticipant> Participants(FirefliesTranscript meeting)
    {
        var names = (meeting.MeetingAttendees ?? [])
            .Where(a => Clean(a.Email) is not null && Clean(a.DisplayName) is not null)
            .GroupBy(a => a.Email!.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().DisplayName!.Trim(), StringComparer.OrdinalIgnoreCase);
        var emails = new List<string>();
        if (Clean(meeting.OrganizerEmail) is { } organizer) emails.Add(organizer);
        foreach (var entry in meeting.Participants ?? [])
            emails.AddRange((entry ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var attendee in meeting.MeetingAttendees ?? [])
            if (Clean(attendee.Email) is { } email) emails.Add(email);
        return [.. emails.Where(e => e.Contains('@', StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(e => new SourceParticipant(names.GetValueOrDefault(e), e))];
    }

    /// <summary>Sentences with their speaker and times (seconds from the start); null when there are none.</summary>
    public static Transcript? ToTranscript(IReadOnlyList<FirefliesSentence>? sentences)
    {
        var segments = (sentences ?? [])
            .Where(s => !string.IsNullOrWhiteSpace(s.Text))
            .Select(s =>
            {
                var start = Seconds(s.StartTime) ?? TimeSpan.Zero;
                var end = Seconds(s.EndTime) is { } e && e >= start ? e : (TimeSpan?)null;
                return new TranscriptSegment(Clean(s.SpeakerName), start, end, s.Text!.Trim());
            })
            .ToList();
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    /// <summary>The recording's file extension and type, from the pre-signed URL's path (Fireflies serves mp3).</summary>
    public static (string Extension, string ContentType) MediaType(Uri url) =>
        Path.GetExtension(url.AbsolutePath).ToLowerInvariant() switch
        {
            ".m4a" => (".m4a", "audio/mp4"),
            ".wav" => (".wav", "audio/wav"),
            ".mp4" => (".mp4", "video/mp4"),
            ".webm" => (".webm", "audio/webm"),
            _ => (".mp3", "audio/mpeg"),
        };

    private static TimeSpan? Seconds(double? value) =>
        value is { } s && s >= 0 && !double.IsInfinity(s) && s < 1_000_000 ? TimeSpan.FromSeconds(s) : null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
