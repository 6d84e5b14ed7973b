using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom API v2 and OAuth payloads, as far as the import reads them. Unknown fields are ignored, so new
/// vendor fields never break an import.
/// </summary>
internal static class ZoomApi
{
    public const string DefaultApiBaseUrl = "https://api.zoom.us/v2/";
    public const string DefaultOAuthTokenUrl = "https://zoom.us/oauth/token";


    /// <summary>
    /// A meeting UUID as one path segment. Zoom decodes a path once before routing, so a UUID that begins with
    /// '/' or contains '//' must be encoded twice (Zoom's API reference); any other is encoded once.
    /// </summary>
    public static string UuidSegment(string uuid)
    {
        var once = Uri.EscapeDataString(uuid);
        return uuid.StartsWith('/') || uuid.Contains("//", StringComparison.Ordinal) ? Uri.EscapeDataString(once) : once;
    }

    public static string MeetingRecordingsPath(string uuid) => $"meetings/{UuidSegment(uuid)}/recordings";

    public static string PastParticipantsPath(string uuid) => $"past_meetings/{UuidSegment(uuid)}/participants";

    /// <summary>
    /// The rate-limit label Zoom's API reference gives a request: a meeting's recordings are Light; listings,
    /// past participants and anything unknown Medium (the stricter of the two).
    /// </summary>
    public static IReadOnlyList<string> LimitGroupOf(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        return path.Contains("/meetings/", StringComparison.Ordinal) && !path.Contains("/past_meetings/", StringComparison.Ordinal)
            ? [ZoomContextFactory.Light]
            : [ZoomContextFactory.Medium];
    }

    /// <summary>Zoom error codes that mean "this app may not read past participants" (plan or scope), not a failed call.</summary>
    public static bool MeansParticipantsUnavailable(int? code) => code is 200 or 4711 or 4700;
}



internal sealed record ZoomError(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>One page of a recordings listing. Meetings stay raw so one broken meeting cannot break its page.</summary>
internal sealed record ZoomRecordingList(
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("meetings")] IReadOnlyList<JsonElement>? Meetings);

/// <summary>What the import keeps of a listed meeting for its fetch (as the call's listing payload).</summary>
internal sealed record ZoomListedMeeting([property: JsonPropertyName("host_email")] string? HostEmail);

internal sealed record ZoomMeeting(
    [property: JsonPropertyName("uuid")] string? Uuid,
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("host_id")] string? HostId,
    [property: JsonPropertyName("host_email")] string? HostEmail,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("start_time")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("duration")] int? Duration,
    [property: JsonPropertyName("share_url")] string? ShareUrl,
    [property: JsonPropertyName("recording_files")] IReadOnlyList<ZoomRecordingFile>? RecordingFiles);

internal sealed record ZoomRecordingFile(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("file_type")] string? FileType,
    [property: JsonPropertyName("file_extension")] string? FileExtension,
    [property: JsonPropertyName("recording_type")] string? RecordingType,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("file_size")] long? FileSize,
    [property: JsonPropertyName("download_url")] string? DownloadUrl);

internal sealed record ZoomParticipantList(
    [property: JsonPropertyName("next_page_token")] string? NextPageToken,
    [property: JsonPropertyName("participants")] IReadOnlyList<ZoomParticipant>? Participants);

internal sealed record ZoomParticipant(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("user_email")] string? UserEmail);
