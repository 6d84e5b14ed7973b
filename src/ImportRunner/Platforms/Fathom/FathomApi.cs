using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>
/// Fathom external API v1 payloads, as far as the import reads them. Fathom has no single-meeting GET: a
/// meeting is the listing's item, kept as raw JSON in the call's reference and read again here.
/// </summary>
internal static class FathomApi
{
    public const string DefaultBaseUrl = "https://api.fathom.ai/external/v1/";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string MeetingsPath = "meetings";


    public static string TranscriptPath(string recordingId) => $"recordings/{Uri.EscapeDataString(recordingId)}/transcript";
}

internal sealed record FathomMeetingsPage(
    [property: JsonPropertyName("items")] IReadOnlyList<JsonElement>? Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

internal sealed record FathomMeeting(
    [property: JsonPropertyName("recording_id")] long? RecordingId,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("meeting_title")] string? MeetingTitle,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("scheduled_start_time")] DateTimeOffset? ScheduledStartTime,
    [property: JsonPropertyName("recording_start_time")] DateTimeOffset? RecordingStartTime,
    [property: JsonPropertyName("recording_end_time")] DateTimeOffset? RecordingEndTime,
    [property: JsonPropertyName("calendar_invitees")] IReadOnlyList<FathomInvitee>? CalendarInvitees,
    [property: JsonPropertyName("recorded_by")] FathomRecorder? RecordedBy,
    [property: JsonPropertyName("transcript")] IReadOnlyList<FathomTranscriptItem>? Transcript);

internal sealed record FathomInvitee(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("is_external")] bool? IsExternal);

internal sealed record FathomRecorder(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email);

internal sealed record FathomTranscriptResponse(
    [property: JsonPropertyName("transcript")] IReadOnlyList<FathomTranscriptItem>? Transcript);

internal sealed record FathomTranscriptItem(
    [property: JsonPropertyName("speaker")] FathomSpeaker? Speaker,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("timestamp")] string? Timestamp);

internal sealed record FathomSpeaker(
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("matched_calendar_invitee_email")] string? MatchedCalendarInviteeEmail);
