using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>
/// Grain public API v2 payloads, as far as the import reads them. Unknown fields are ignored, so new
/// vendor fields never break an import.
/// </summary>
internal static class GrainApi
{
    public const string DefaultBaseUrl = "https://api.grain.com/_/public-api/";
    public const string ApiVersionHeader = "Public-Api-Version";
    public const string ApiVersion = "2025-10-31";
    public const string RecordingsPath = "v2/recordings";


    public static string RecordingPath(string recordingId) => $"{RecordingsPath}/{Uri.EscapeDataString(recordingId)}";

    public static string TranscriptPath(string recordingId) => $"{RecordingPath(recordingId)}/transcript";
}

internal sealed record GrainListRequest(
    [property: JsonPropertyName("cursor")] string? Cursor,
    [property: JsonPropertyName("filter")] IReadOnlyDictionary<string, string> Filter);

internal sealed record GrainListResponse(
    [property: JsonPropertyName("recordings")] IReadOnlyList<GrainRecording>? Recordings,
    [property: JsonPropertyName("cursor")] string? Cursor);

internal sealed record GrainDetailRequest([property: JsonPropertyName("include")] GrainInclude Include);

internal sealed record GrainInclude([property: JsonPropertyName("participants")] bool Participants);

internal sealed record GrainRecording(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("start_datetime")] DateTimeOffset? StartDatetime,
    [property: JsonPropertyName("end_datetime")] DateTimeOffset? EndDatetime,
    [property: JsonPropertyName("duration_ms")] double? DurationMs,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("media_type")] string? MediaType,
    [property: JsonPropertyName("participants")] IReadOnlyList<GrainParticipant>? Participants);

internal sealed record GrainParticipant(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("scope")] string? Scope);

internal sealed record GrainTranscriptSection(
    [property: JsonPropertyName("participant_id")] string? ParticipantId,
    [property: JsonPropertyName("speaker")] string? Speaker,
    [property: JsonPropertyName("start")] double? Start,
    [property: JsonPropertyName("end")] double? End,
    [property: JsonPropertyName("text")] string? Text);
