using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>Dialpad API v2 payloads, as far as the import reads them. Unknown fields are ignored.</summary>
internal static class DialpadApi
{
    public const string DefaultBaseUrl = "https://dialpad.com/api/v2/";
    public const string CallsPath = "call";

    public static string CallPath(string callId) => $"{CallsPath}/{Uri.EscapeDataString(callId)}";

    public static string TranscriptPath(string callId) => $"transcripts/{Uri.EscapeDataString(callId)}";

    /// <summary>Ids arrive as numbers or strings: both read as text.</summary>
    internal sealed class FlexibleStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => reader.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture),
            JsonTokenType.Null => null,
            _ => throw new JsonException("expected a string or a number"),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

internal sealed record DialpadCallsPage(
    [property: JsonPropertyName("items")] IReadOnlyList<JsonElement>? Items,
    [property: JsonPropertyName("cursor")] string? Cursor);

/// <summary>Times are UTC epoch milliseconds, sometimes sent as strings; durations are milliseconds.</summary>
internal sealed record DialpadCall(
    [property: JsonPropertyName("call_id")] string? CallId,
    [property: JsonPropertyName("date_started")] long? DateStarted,
    [property: JsonPropertyName("date_ended")] long? DateEnded,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("direction")] string? Direction,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("was_recorded")] bool? WasRecorded,
    [property: JsonPropertyName("target")] DialpadParty? Target,
    [property: JsonPropertyName("contact")] DialpadParty? Contact,
    [property: JsonPropertyName("recording_details")] IReadOnlyList<DialpadRecording>? RecordingDetails);

internal sealed record DialpadParty(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("type")] string? Type);

internal sealed record DialpadRecording(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("recording_type")] string? RecordingType,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("url")] string? Url);

internal sealed record DialpadTranscript(
    [property: JsonPropertyName("call_id")] string? CallId,
    [property: JsonPropertyName("lines")] IReadOnlyList<DialpadTranscriptLine>? Lines);

internal sealed record DialpadTranscriptLine(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("contact_id")] string? ContactId,
    [property: JsonPropertyName("time")] DateTimeOffset? Time,
    [property: JsonPropertyName("content")] string? Content);
