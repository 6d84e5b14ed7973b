namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>Gong payloads in the import's own terms.</summary>
internal static class GongCallMapping
{
    /// <summary>ContextData key prefix: a speaker id's display name, so the transcript can name its speakers.</summary>
    public const string SpeakerKeyPrefix = "speaker:";

    /// <summary>ContextData key: which recording the call has (<c>audio</c> or <c>video</c>).</summary>
    public const string MediaKindKey = "mediaKind";

    public static SourceCall ToSourceCall(string sourceCallId, GongExtensiveCall call)
    {
        var meta = call.MetaData!;
        var parties = call.Parties ?? [];
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var party in parties)
            if (!string.IsNullOrWhiteSpace(party.SpeakerId) && DisplayName(party) is { } name)
                context[SpeakerKeyPrefix + party.SpeakerId] = name;
        if (MediaKind(call.Media) is { } kind) context[MediaKindKey] = kind;
        return new SourceCall
        {
            SourceCallId = sourceCallId,
            Title = string.IsNullOrWhiteSpace(meta.Title) ? null : meta.Title.Trim(),
            StartedAt = meta.Started,
            Duration = meta.Duration is { } seconds and >= 0 ? TimeSpan.FromSeconds(seconds) : null,
            Participants = parties.Select(ToParticipant).ToList(),
            WebUrl = string.IsNullOrWhiteSpace(meta.Url) ? null : meta.Url,
            ContextData = context,
        };
    }

    /// <summary>
    /// Audio when Gong has it (smaller, and what transcription needs), else video; null when the call has
    /// no recording or the key lacks the <c>api:calls:read:media-url</c> scope.
    /// </summary>
    public static string? MediaKind(GongMedia? media) => media switch
    {
        { AudioUrl: { Length: > 0 } } => "audio",
        { VideoUrl: { Length: > 0 } } => "video",
        _ => null,
    };

    public static string? MediaUrl(GongMedia? media, string kind) => kind == "audio" ? media?.AudioUrl : media?.VideoUrl;

    /// <summary>Null when Gong has no transcript for the call; speakers named from the call's parties.</summary>
    public static Transcript? ToTranscript(GongCallTranscript transcript, IReadOnlyDictionary<string, string> contextData)
    {
        var segments = (transcript.Transcript ?? [])
            .SelectMany(monologue => (monologue.Sentences ?? []).Select(sentence => (monologue.SpeakerId, Sentence: sentence)))
            .Where(s => !string.IsNullOrWhiteSpace(s.Sentence.Text))
            .Select(s => new TranscriptSegment(
                Speaker(s.SpeakerId, contextData),
                TimeSpan.FromMilliseconds(s.Sentence.Start ?? 0),
                s.Sentence.End is { } end ? TimeSpan.FromMilliseconds(end) : null,
                s.Sentence.Text!.Trim()))
            .OrderBy(s => s.Start)
            .ToList();
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    private static string? Speaker(string? speakerId, IReadOnlyDictionary<string, string> contextData) =>
        string.IsNullOrWhiteSpace(speakerId) ? null
        : contextData.TryGetValue(SpeakerKeyPrefix + speakerId, out var name) ? name
        : $"Speaker {speakerId}";

    private static string? DisplayName(GongParty party) =>
        !string.IsNullOrWhiteSpace(party.Name) ? party.Name.Trim()
        : !string.IsNullOrWhiteSpace(party.EmailAddress) ? party.EmailAddress.Trim()
        : !string.IsNullOrWhiteSpace(party.PhoneNumber) ? party.PhoneNumber.Trim()
        : null;

    private static SourceParticipant ToParticipant(GongParty party) => new(
        string.IsNullOrWhiteSpace(party.Name) ? null : party.Name.Trim(),
        string.IsNullOrWhiteSpace(party.EmailAddress) ? null : party.EmailAddress.Trim(),
        party.Affiliation switch
        {
            "Internal" => Affiliation.Internal,
            "External" => Affiliation.External,
            _ => Affiliation.Unknown,
        },
        string.IsNullOrWhiteSpace(party.PhoneNumber) ? null : party.PhoneNumber.Trim());
}
