using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// Fireflies' GraphQL API as far as the import reads it: one endpoint (<c>POST /graphql</c>), answers as
/// <c>{data, errors}</c>. Times: <c>date</c> in epoch milliseconds, <c>duration</c> in minutes, sentence times in seconds.
/// </summary>
internal static class FirefliesApi
{
    public const string DefaultBaseUrl = "https://api.fireflies.ai/";
    public const string GraphQLPath = "graphql";
    /// <summary>Fireflies' maximum <c>limit</c> of the <c>transcripts</c> query.</summary>
    public const int MaxPageSize = 50;


    /// <summary>Fireflies' error codes (<c>extensions.code</c>, also <c>code</c>) the import acts on.</summary>
    public static class Codes
    {
        public const string TooManyRequests = "too_many_requests";
        public const string AuthFailed = "auth_failed";
        public const string AccountCancelled = "account_cancelled";
        public const string PaidRequired = "paid_required";
        public const string ObjectNotFound = "object_not_found";
    }
}

/// <summary>The GraphQL request body.</summary>
internal sealed record GraphQLRequest(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("variables")] IReadOnlyDictionary<string, object?> Variables);

/// <summary>The GraphQL answer: <c>data</c> (possibly partial) and <c>errors</c>.</summary>
internal sealed record GraphQLResponse<T>(
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<GraphQLError>? Errors);

internal sealed record GraphQLError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("path")] IReadOnlyList<JsonElement>? Path,
    [property: JsonPropertyName("extensions")] GraphQLErrorExtensions? Extensions)
{
    /// <summary>Fireflies puts its code in <c>extensions.code</c> and (older answers) in <c>code</c>.</summary>
    public string? EffectiveCode => Extensions?.Code ?? Code;

    public bool Is(string code) => string.Equals(EffectiveCode, code, StringComparison.Ordinal);
}

internal sealed record GraphQLErrorExtensions(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("metadata")] JsonElement? Metadata)
{
    /// <summary><c>metadata.retryAfter</c>: when to try again, as epoch milliseconds.</summary>
    public long? RetryAfterEpochMs =>
        Metadata is { ValueKind: JsonValueKind.Object } m && m.TryGetProperty("retryAfter", out var value) && value.ValueKind == JsonValueKind.Number
        && value.TryGetDouble(out var ms) ? (long)ms : null;
}

internal sealed record FirefliesTranscriptsData([property: JsonPropertyName("transcripts")] IReadOnlyList<JsonElement>? Transcripts);

internal sealed record FirefliesTranscriptData([property: JsonPropertyName("transcript")] FirefliesTranscript? Transcript);

internal sealed record FirefliesUserData([property: JsonPropertyName("user")] JsonElement? User);

/// <summary>One meeting (Fireflies calls it a transcript), only the fields the import asks for.</summary>
internal sealed record FirefliesTranscript(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("date")] double? Date,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("organizer_email")] string? OrganizerEmail,
    [property: JsonPropertyName("participants")] IReadOnlyList<string?>? Participants,
    [property: JsonPropertyName("meeting_attendees")] IReadOnlyList<FirefliesAttendee>? MeetingAttendees,
    [property: JsonPropertyName("transcript_url")] string? TranscriptUrl,
    [property: JsonPropertyName("audio_url")] string? AudioUrl,
    [property: JsonPropertyName("meeting_info")] FirefliesMeetingInfo? MeetingInfo,
    [property: JsonPropertyName("sentences")] IReadOnlyList<FirefliesSentence>? Sentences);

internal sealed record FirefliesAttendee(
    [property: JsonPropertyName("displayName")] string? DisplayName,
    [property: JsonPropertyName("email")] string? Email);

internal sealed record FirefliesMeetingInfo([property: JsonPropertyName("summary_status")] string? SummaryStatus);

/// <summary>Times in seconds from the meeting's start.</summary>
internal sealed record FirefliesSentence(
    [property: JsonPropertyName("speaker_name")] string? SpeakerName,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("start_time")] double? StartTime,
    [property: JsonPropertyName("end_time")] double? EndTime);
