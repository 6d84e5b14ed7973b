using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Dialpad;

/// <summary>One seeded concluded Dialpad call, its recording's bytes and its Dialpad Ai transcript lines.</summary>
public sealed record DialpadFakeCall(
    long CallId,
    DateTimeOffset Started,
    TimeSpan Duration,
    string Direction,
    (long Id, string Name, string Email, string Phone) Target,
    (string Id, string Name, string Phone) Contact,
    byte[]? Recording,
    IReadOnlyList<(bool Internal, TimeSpan At, string Text)>? Lines,
    bool StartAsString,
    bool RecordingOnlyInDetail)
{
    public string? RecordingSha256 => Recording is null ? null : Convert.ToHexStringLower(SHA256.HashData(Recording));

    /// <summary>The call as Dialpad's CallProto describes it (ms epoch times, ms durations).</summary>
    public JsonObject ToJson(string baseUrl, bool listed, bool malformed)
    {
        var started = Started.ToUnixTimeMilliseconds();
        var json = new JsonObject
        {
            ["call_id"] = CallId.ToString(CultureInfo.InvariantCulture),
            // Dialpad sends some ms timestamps as strings.
            ["date_started"] = StartAsString ? JsonValue.Create(started.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(started),
            ["date_connected"] = started + 2_000,
            ["date_ended"] = started + (long)Duration.TotalMilliseconds,
            ["duration"] = Duration.TotalMilliseconds,
            ["total_duration"] = Duration.TotalMilliseconds + 2_000,
            ["direction"] = Direction,
            ["state"] = "hangup",
            ["external_number"] = Contact.Phone,
            ["internal_number"] = Target.Phone,
            ["was_recorded"] = Recording is not null,
            ["target"] = malformed
                ? JsonValue.Create("user:" + Target.Id)
                : new JsonObject { ["id"] = Target.Id, ["name"] = Target.Name, ["email"] = Target.Email, ["phone"] = Target.Phone, ["type"] = "user" },
            ["contact"] = new JsonObject { ["id"] = Contact.Id, ["name"] = Contact.Name, ["phone"] = Contact.Phone, ["type"] = "local" },
        };
        if (Recording is not null && !(listed && RecordingOnlyInDetail))
            json["recording_details"] = new JsonArray(new JsonObject
            {
                ["id"] = (CallId * 10).ToString(CultureInfo.InvariantCulture),
                ["recording_type"] = "callrecording",
                ["start_time"] = started + 2_000,
                ["duration"] = Duration.TotalMilliseconds,
                ["url"] = $"{baseUrl}recordings/{CallId}.mp3",
            });
        return json;
    }

    public JsonObject TranscriptJson() => new()
    {
        ["call_id"] = CallId.ToString(CultureInfo.InvariantCulture),
        ["lines"] = new JsonArray([.. (Lines ?? []).Select(l => (JsonNode)new JsonObject
        {
            ["type"] = "transcript",
            ["name"] = l.Internal ? Target.Name : Contact.Name,
            [l.Internal ? "user_id" : "contact_id"] = l.Internal ? Target.Id.ToString(CultureInfo.InvariantCulture) : Contact.Id,
            ["time"] = (Started + l.At).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["content"] = l.Text,
        })]),
    };
}
