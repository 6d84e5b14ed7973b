using System.Globalization;
using System.Text.Json;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>HubSpot calls in the import's own terms.</summary>
internal static class HubSpotCallMapping
{
    /// <summary>ContextData key: the transcript's id in the calling-transcripts API.</summary>
    public const string TranscriptIdKey = "hubspotTranscriptId";

    /// <summary>A batch-read record, or why it does not read: no id, properties that are not strings, no usable <c>hs_timestamp</c>, a duration that is not a number.</summary>
    public static (string? Id, HubSpotCallDetails? Details) Read(JsonElement record)
    {
        var id = record.ValueKind == JsonValueKind.Object && record.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()
            : null;
        if (string.IsNullOrWhiteSpace(id)) return (null, null);
        HubSpotObject? call;
        try
        {
            call = record.Deserialize(HubSpotJson.Default.HubSpotObject);
        }
        catch (JsonException e)
        {
            return (id, Malformed($"{e.Path ?? "$"} does not read"));
        }
        if (call?.Properties is null) return (id, Malformed("no properties"));
        if (HubSpotApi.ParseTime(call.Property(HubSpotApi.Timestamp)) is null) return (id, Malformed($"{HubSpotApi.Timestamp} is missing or not a time"));
        if (call.Property("hs_call_duration") is { } duration && !double.TryParse(duration, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return (id, Malformed("hs_call_duration is not a number of milliseconds"));
        return (id, new HubSpotCallDetails(call, [], null));
    }

    private static HubSpotCallDetails Malformed(string reason) => new(null, [], reason);

    public static SourceCall ToSourceCall(string id, HubSpotObject call, HubSpotOwner? owner, IReadOnlyList<HubSpotObject> contacts)
    {
        var direction = call.Property("hs_call_direction");
        var outbound = string.Equals(direction, "OUTBOUND", StringComparison.OrdinalIgnoreCase);
        var inbound = string.Equals(direction, "INBOUND", StringComparison.OrdinalIgnoreCase);
        // The owner's line is the "from" number of an outbound call and the "to" number of an inbound one.
        var ownerPhone = outbound ? call.Property("hs_call_from_number") : inbound ? call.Property("hs_call_to_number") : null;
        var participants = new List<SourceParticipant>();
        if (owner is not null && (Name(owner.FirstName, owner.LastName) ?? Clean(owner.Email)) is not null)
            participants.Add(new SourceParticipant(Name(owner.FirstName, owner.LastName), Clean(owner.Email), Affiliation.Internal, ownerPhone));
        foreach (var contact in contacts)
        {
            var name = Name(contact.Property("firstname"), contact.Property("lastname"));
            if ((name ?? contact.Property("email") ?? contact.Property("phone")) is null) continue;
            participants.Add(new SourceParticipant(name, contact.Property("email"), Affiliation.External, contact.Property("phone")));
        }
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.Equals(call.Property("hs_call_has_transcript"), "true", StringComparison.OrdinalIgnoreCase) && call.Property("hs_call_transcription_id") is { } transcriptId)
            data[TranscriptIdKey] = transcriptId;
        return new SourceCall
        {
            SourceCallId = id,
            Title = call.Property("hs_call_title") ?? (direction is null ? "HubSpot call" : $"HubSpot {direction.ToLowerInvariant()} call"),
            StartedAt = HubSpotApi.ParseTime(call.Property(HubSpotApi.Timestamp)),
            Duration = call.Property("hs_call_duration") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0
                ? TimeSpan.FromMilliseconds(millis)
                : null,
            Participants = participants,
            MediaLocation = call.Property("hs_call_recording_url"),
            ContextData = data,
        };
    }

    /// <summary>Utterances with their speakers and times from the call's start; null when there are none.</summary>
    public static Transcript? ToTranscript(HubSpotTranscript transcript)
    {
        var segments = (transcript.TranscriptUtterances ?? [])
            .Where(u => !string.IsNullOrWhiteSpace(u.Text))
            .OrderBy(u => u.StartTimeMillis ?? 0)
            .Select(u => new TranscriptSegment(
                Clean(u.Speaker?.Name) ?? Clean(u.Speaker?.Email) ?? Clean(u.Speaker?.Id),
                TimeSpan.FromMilliseconds(Math.Max(0, u.StartTimeMillis ?? 0)),
                u.EndTimeMillis is { } end && end >= (u.StartTimeMillis ?? 0) ? TimeSpan.FromMilliseconds(end) : null,
                u.Text!.Trim()))
            .ToList();
        return segments.Count == 0 ? null : new Transcript(segments);
    }

    private static string? Name(string? first, string? last) => Clean(string.Join(' ', new[] { Clean(first), Clean(last) }.OfType<string>()));

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
