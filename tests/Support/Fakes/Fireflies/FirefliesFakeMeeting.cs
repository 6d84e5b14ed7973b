using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>One seeded Fireflies meeting: metadata, participants (emails), sentences, audio bytes.</summary>
public sealed record FirefliesFakeMeeting(
    string Id,
    string Title,
    DateTimeOffset Start,
    double DurationMinutes,
    string OrganizerEmail,
    IReadOnlyList<string> ParticipantEntries,
    IReadOnlyList<(string Name, string Email)> Attendees,
    IReadOnlyList<(string Speaker, double Start, double End, string Text)> Sentences,
    byte[]? Audio)
{
    public string? AudioSha256 => Audio is null ? null : Convert.ToHexStringLower(SHA256.HashData(Audio));

    public bool HasTranscript => Sentences.Count > 0;

    /// <summary>Every field the fake serves, as Fireflies shapes it; the query's selection picks from it.</summary>
    public JsonObject ToJson(string? audioUrl, bool processing, bool malformed) => new()
    {
        ["id"] = Id,
        ["title"] = Title,
        // Epoch milliseconds; a malformed meeting lost its date.
        ["date"] = malformed ? null : JsonValue.Create(Start.ToUnixTimeMilliseconds()),
        ["dateString"] = malformed ? null : Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["duration"] = DurationMinutes,
        ["organizer_email"] = OrganizerEmail,
        ["host_email"] = OrganizerEmail,
        ["participants"] = new JsonArray([.. ParticipantEntries.Select(p => (JsonNode)JsonValue.Create(p)!)]),
        ["fireflies_users"] = new JsonArray(JsonValue.Create(OrganizerEmail)),
        ["transcript_url"] = $"https://app.fireflies.ai/view/{Id}",
        ["audio_url"] = processing ? null : audioUrl,
        ["video_url"] = null,
        ["meeting_link"] = null,
        ["calendar_id"] = null,
        ["cal_id"] = null,
        ["calendar_type"] = null,
        ["privacy"] = "teammates",
        ["meeting_attendees"] = new JsonArray([.. Attendees.Select(a => (JsonNode)new JsonObject
        {
            ["displayName"] = a.Name, ["email"] = a.Email, ["phoneNumber"] = null, ["name"] = a.Name, ["location"] = null,
        })]),
        ["speakers"] = new JsonArray([.. Sentences.Select(s => s.Speaker).Distinct().Select((name, n) => (JsonNode)new JsonObject { ["id"] = n, ["name"] = name })]),
        ["sentences"] = processing ? null : new JsonArray([.. Sentences.Select((s, n) => (JsonNode)new JsonObject
        {
            ["index"] = n, ["speaker_name"] = s.Speaker, ["speaker_id"] = n % 2, ["text"] = s.Text, ["raw_text"] = s.Text,
            ["start_time"] = s.Start, ["end_time"] = s.End,
        })]),
        ["meeting_info"] = new JsonObject
        {
            ["fred_joined"] = true,
            ["silent_meeting"] = !processing && Sentences.Count == 0,
            ["summary_status"] = processing ? "processing" : Sentences.Count == 0 ? "skipped" : "processed",
        },
        ["user"] = new JsonObject { ["user_id"] = "ff-user-1", ["email"] = OrganizerEmail, ["name"] = "Fake Owner" },
    };
}
