namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>Zoom payloads in the import's own terms.</summary>
internal static class ZoomCallMapping
{
    public const string MediaFileIdKey = "zoom.mediaFileId";
    public const string MediaExtensionKey = "zoom.mediaExtension";
    public const string TranscriptFileIdKey = "zoom.transcriptFileId";
    public const string TranscriptUrlKey = "zoom.transcriptUrl";
    /// <summary>When the meeting's detail (and so its download addresses) was read.</summary>
    public const string ReadAtKey = "zoom.readAt";

    /// <summary>The recording stored for a call: the MP4 (what people saw and heard), else the audio-only M4A.</summary>
    public static ZoomRecordingFile? MediaFile(ZoomMeeting meeting) =>
        Files(meeting).FirstOrDefault(f => Is(f, "MP4")) ?? Files(meeting).FirstOrDefault(f => Is(f, "M4A"));

    public static ZoomRecordingFile? TranscriptFile(ZoomMeeting meeting) => Files(meeting).FirstOrDefault(f => Is(f, "TRANSCRIPT"));

    /// <summary>The files the import reads that Zoom is still producing (status other than completed).</summary>
    public static IReadOnlyList<ZoomRecordingFile> StillProcessing(ZoomMeeting meeting) =>
        new[] { MediaFile(meeting), TranscriptFile(meeting) }
            .OfType<ZoomRecordingFile>()
            .Where(f => !string.Equals(f.Status, "completed", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>Throws <see cref="PermanentCallException"/> naming what a meeting payload lacks.</summary>
    public static void EnsureWellFormed(ZoomMeeting meeting, string what)
    {
        if (string.IsNullOrWhiteSpace(meeting.Uuid)) throw new PermanentCallException($"{what}: malformed payload (no uuid).");
        if (meeting.StartTime is null) throw new PermanentCallException($"{what}: malformed payload (no start_time).");
        if (meeting.RecordingFiles is null) throw new PermanentCallException($"{what}: malformed payload (no recording_files).");
        foreach (var file in new[] { MediaFile(meeting), TranscriptFile(meeting) }.OfType<ZoomRecordingFile>())
            if (string.IsNullOrWhiteSpace(file.Id) || !Uri.TryCreate(file.DownloadUrl, UriKind.Absolute, out _))
                throw new PermanentCallException($"{what}: malformed payload ({file.FileType} file without id or download_url).");
    }

    public static SourceCall ToSourceCall(string sourceCallId, ZoomMeeting meeting, IReadOnlyList<ZoomParticipant>? participants, string? listedHostEmail = null)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (MediaFile(meeting) is { Id: { } mediaId } media)
        {
            data[MediaFileIdKey] = mediaId;
            data[MediaExtensionKey] = (media.FileExtension ?? media.FileType ?? "mp4").ToLowerInvariant();
        }
        if (TranscriptFile(meeting) is { Id: { } transcriptId, DownloadUrl: { } transcriptUrl })
        {
            data[TranscriptFileIdKey] = transcriptId;
            data[TranscriptUrlKey] = transcriptUrl;
        }
        return new SourceCall
        {
            SourceCallId = sourceCallId,
            Title = string.IsNullOrWhiteSpace(meeting.Topic) ? null : meeting.Topic.Trim(),
            StartedAt = meeting.StartTime,
            Duration = meeting.Duration is > 0 and var minutes ? TimeSpan.FromMinutes(minutes) : null,
            Participants = Participants(meeting, participants ?? [], listedHostEmail),
            WebUrl = string.IsNullOrWhiteSpace(meeting.ShareUrl) ? null : meeting.ShareUrl,
            MediaLocation = MediaFile(meeting)?.DownloadUrl,
            ContextData = data,
        };
    }

    /// <summary>
    /// Past-meeting participants, one per person (Zoom lists a rejoin as a second row), with the host first and
    /// internal. The host is known by email (the listing names it; a meeting's own recordings only give its
    /// id) or as the participant whose id is the host's user id. Zoom says nothing of the others' affiliation,
    /// so they stay unknown (the customer's internal domains decide later). Without participants (plan, scope,
    /// or the host alone) the host is the only one.
    /// </summary>
    public static IReadOnlyList<SourceParticipant> Participants(ZoomMeeting meeting, IReadOnlyList<ZoomParticipant> participants, string? listedHostEmail = null)
    {
        var result = new List<SourceParticipant>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hostId = Clean(meeting.HostId);
        var hostEmail = Clean(meeting.HostEmail) ?? Clean(listedHostEmail);
        var hostRow = participants.FirstOrDefault(p => hostEmail is not null && string.Equals(Clean(p.UserEmail), hostEmail, StringComparison.OrdinalIgnoreCase))
                      ?? participants.FirstOrDefault(p => hostId is not null && Clean(p.Id) == hostId);
        hostEmail ??= Clean(hostRow?.UserEmail);
        if (hostEmail is not null || hostRow is not null)
        {
            result.Add(new SourceParticipant(Clean(hostRow?.Name), hostEmail, Affiliation.Internal));
            seen.Add(hostEmail ?? "name:" + Clean(hostRow?.Name));
        }
        foreach (var p in participants)
        {
            var email = Clean(p.UserEmail);
            var name = Clean(p.Name);
            var key = email ?? (name is null ? null : "name:" + name);
            if (key is null || !seen.Add(key)) continue;
            result.Add(new SourceParticipant(name, email));
        }
        return result;
    }

    private static IEnumerable<ZoomRecordingFile> Files(ZoomMeeting meeting) => meeting.RecordingFiles ?? [];

    private static bool Is(ZoomRecordingFile file, string type) => string.Equals(file.FileType, type, StringComparison.OrdinalIgnoreCase);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
