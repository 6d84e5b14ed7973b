using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Fathom;

/// <summary>One seeded Fathom meeting: when its recording ran, when Fathom stored it (<c>created_at</c>), who was invited.</summary>
public sealed record FathomFakeMeeting(
    long RecordingId,
    string Title,
    DateTimeOffset RecordingStart,
    DateTimeOffset RecordingEnd,
    DateTimeOffset CreatedAt,
    string Team,
    string RecorderEmail,
    IReadOnlyList<(string Name, string Email, bool External)> Invitees,
    IReadOnlyList<(string Speaker, string Timestamp, string Text)> Transcript)
{
    /// <summary>The meeting as Fathom's list returns it (documented fields of the quickstart's example response).</summary>
    public JsonObject ToJson(bool includeTranscript, bool malformed)
    {
        var json = new JsonObject
        {
            ["title"] = Title,
            ["meeting_title"] = Title,
            ["recording_id"] = RecordingId,
            ["url"] = $"https://fathom.video/calls/{RecordingId}",
            ["share_url"] = $"https://fathom.video/share/{RecordingId}",
            ["created_at"] = Iso(CreatedAt),
            ["scheduled_start_time"] = Iso(RecordingStart.AddMinutes(-1)),
            ["scheduled_end_time"] = Iso(RecordingEnd),
            ["recording_start_time"] = Iso(RecordingStart),
            ["recording_end_time"] = Iso(RecordingEnd),
            ["meeting_type"] = Invitees.Any(i => i.External) ? "external" : "internal",
            ["transcript_language"] = "en",
            // A malformed item: invitees that are not a list (the rest of the page stays valid).
            ["calendar_invitees"] = malformed
                ? JsonValue.Create("alice@acme.com;bob@example.org")
                : new JsonArray([.. Invitees.Select(i => (JsonNode)new JsonObject
                {
                    ["name"] = i.Name,
                    ["email"] = i.Email,
                    ["email_domain"] = i.Email[(i.Email.IndexOf('@') + 1)..],
                    ["is_external"] = i.External,
                    ["matched_speaker_display_name"] = i.Name,
                })]),
            ["recorded_by"] = new JsonObject { ["name"] = Invitees[0].Name, ["email"] = RecorderEmail, ["team"] = Team },
        };
        if (includeTranscript) json["transcript"] = TranscriptJson();
        return json;
    }

    public JsonArray TranscriptJson() => new([.. Transcript.Select(t => (JsonNode)new JsonObject
    {
        ["speaker"] = new JsonObject
        {
            ["display_name"] = t.Speaker,
            ["matched_calendar_invitee_email"] = Invitees.FirstOrDefault(i => i.Name == t.Speaker).Email,
        },
        ["text"] = t.Text,
        ["timestamp"] = t.Timestamp,
    })]);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
