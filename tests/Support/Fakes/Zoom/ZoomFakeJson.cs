using System.Globalization;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>Zoom API v2 wire shapes: snake_case, ISO 8601 UTC times, durations in minutes, errors as {code, message}.</summary>
internal static class ZoomFakeJson
{
    public static JsonObject Meeting(ZoomFakeMeeting m, string accountId, string apiBase, bool processing, bool malformed, bool detail)
    {
        var json = new JsonObject
        {
            ["uuid"] = m.Uuid,
            ["id"] = m.Id,
            ["account_id"] = accountId,
            ["host_id"] = m.Host.Id,
            ["topic"] = m.Topic,
            ["type"] = 2,
            ["start_time"] = Time(m.Start),
            ["timezone"] = "UTC",
            ["duration"] = m.DurationMinutes,
            ["total_size"] = m.Files.Sum(f => (long)f.Content.Length),
            ["recording_count"] = m.Files.Count,
            ["share_url"] = $"{apiBase}rec/share/{Uri.EscapeDataString(m.Uuid)}",
            ["recording_files"] = new JsonArray([.. m.Files.Select(f => (JsonNode)File(m, f, apiBase, processing))]),
        };
        // As Zoom's reference shows them: listings name the host's email, a meeting's own recordings only its id.
        if (!detail) json["host_email"] = m.Host.Email;
        if (malformed)
        {
            // What a broken record looks like to a client: no start time, files not a list.
            json.Remove("start_time");
            json["recording_files"] = "unavailable";
            json["duration"] = "forty";
        }
        return json;
    }

    private static JsonObject File(ZoomFakeMeeting m, ZoomFakeFile f, string apiBase, bool processing)
    {
        var json = new JsonObject
        {
            ["id"] = f.Id,
            ["meeting_id"] = m.Uuid,
            ["recording_start"] = Time(m.Start),
            ["recording_end"] = Time(m.Start.AddMinutes(m.DurationMinutes)),
            ["file_type"] = f.FileType,
            ["file_extension"] = f.FileExtension,
            ["play_url"] = $"{apiBase}rec/play/{f.Id}",
            ["download_url"] = $"{apiBase}rec/download/{f.Id}",
            ["status"] = processing ? "processing" : "completed",
            ["recording_type"] = f.RecordingType,
        };
        if (!processing) json["file_size"] = f.Content.Length;
        return json;
    }

    public static JsonObject Participant(ZoomFakeParticipant p, DateTimeOffset meetingStart) => new()
    {
        ["id"] = p.UserId,
        ["user_id"] = p.UserId.Length == 0 ? "" : "16" + p.UserId[..10],
        ["name"] = p.Name,
        ["user_email"] = p.Email ?? "",
        ["join_time"] = Time(meetingStart + p.JoinedAfter),
        ["leave_time"] = Time(meetingStart + p.JoinedAfter + p.Stayed),
        ["duration"] = (int)p.Stayed.TotalSeconds,
        ["failover"] = false,
        ["status"] = "in_meeting",
    };

    public static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
