using System.Globalization;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>Recordings in Grain v2's wire shapes (snake_case, ISO 8601 times, durations in ms).</summary>
internal static class GrainFakeJson
{
    public static JsonObject Recording(GrainFakeRecording r, bool includeParticipants)
    {
        var json = new JsonObject
        {
            ["id"] = r.Id,
            ["title"] = r.Title,
            ["start_datetime"] = Time(r.Start),
            ["end_datetime"] = Time(r.End),
            ["duration_ms"] = r.DurationMs,
            ["media_type"] = "video",
            ["source"] = "zoom",
            ["url"] = r.Url,
            ["thumbnail_url"] = $"{r.Url}/thumbnail.jpg",
            ["tags"] = new JsonArray(),
            ["teams"] = new JsonArray(new JsonObject { ["id"] = r.TeamId, ["name"] = "Sales" }),
            ["meeting_type"] = new JsonObject
            {
                ["id"] = r.MeetingTypeId,
                ["name"] = "Customer call",
                ["scope"] = r.HasExternalParticipant ? "external" : "internal",
            },
        };
        if (includeParticipants)
            json["participants"] = new JsonArray([.. r.Participants.Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p.Id,
                ["name"] = p.Name,
                ["email"] = p.Email,
                ["scope"] = p.Scope,
                ["confirmed_attendee"] = true,
            })]);
        return json;
    }

    public static JsonArray Transcript(GrainFakeRecording r) =>
        new([.. r.Transcript.Select(s => (JsonNode)new JsonObject
        {
            ["participant_id"] = s.ParticipantId,
            ["speaker"] = s.Speaker,
            ["start"] = s.StartMs,
            ["end"] = s.EndMs,
            ["text"] = s.Text,
        })]);

    public static JsonObject Error(string message) => new() { ["error"] = message };

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
