using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Gong API v2 payloads, as far as the import reads them. Unknown fields are ignored, so new vendor fields
/// never break an import. Ids are strings everywhere: Gong's ids have up to 20 digits, beyond a 64-bit
/// integer and far beyond what a double keeps exactly.
/// </summary>
internal static class GongApi
{
    /// <summary>The US fallback host; tenants use their own regional host (the Secret's <c>baseUrl</c>).</summary>
    public const string DefaultBaseUrl = "https://api.gong.io/";
    public const string CallsPath = "v2/calls";
    public const string ExtensivePath = "v2/calls/extensive";
    public const string TranscriptPath = "v2/calls/transcript";

    /// <summary>Gong's page size, and so the most ids one extensive or transcript request asks for.</summary>
    public const int PageSize = 100;

    /// <summary>The 404 body that means "an empty result", not "wrong address".</summary>
    public const string NoCallsFound = "No calls found corresponding to the provided filters";


    /// <summary>ISO 8601 in UTC, with milliseconds only when there are any.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);
}

internal sealed record GongRecords(
    [property: JsonPropertyName("totalRecords")] long? TotalRecords,
    [property: JsonPropertyName("currentPageSize")] int? CurrentPageSize,
    [property: JsonPropertyName("currentPageNumber")] int? CurrentPageNumber,
    [property: JsonPropertyName("cursor")] string? Cursor);

/// <summary><c>GET /v2/calls</c>.</summary>
internal sealed record GongCallsResponse(
    [property: JsonPropertyName("records")] GongRecords? Records,
    [property: JsonPropertyName("calls")] IReadOnlyList<GongCallMetaData>? Calls);

/// <summary>A call as <c>GET /v2/calls</c> lists it, and the <c>metaData</c> of an extensive call.</summary>
internal sealed record GongCallMetaData(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("scheduled")] DateTimeOffset? Scheduled,
    [property: JsonPropertyName("started")] DateTimeOffset? Started,
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("primaryUserId")] string? PrimaryUserId,
    [property: JsonPropertyName("direction")] string? Direction,
    [property: JsonPropertyName("system")] string? System,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("workspaceId")] string? WorkspaceId,
    [property: JsonPropertyName("isPrivate")] bool? IsPrivate);

/// <summary><c>POST /v2/calls/extensive</c> and <c>POST /v2/calls/transcript</c>: the filter is repeated with every cursor.</summary>
internal sealed record GongCallsRequest(
    [property: JsonPropertyName("filter")] GongCallsFilter Filter,
    [property: JsonPropertyName("contentSelector")] GongContentSelector? ContentSelector,
    [property: JsonPropertyName("cursor")] string? Cursor);

internal sealed record GongCallsFilter([property: JsonPropertyName("callIds")] IReadOnlyList<string> CallIds);

internal sealed record GongContentSelector([property: JsonPropertyName("exposedFields")] GongExposedFields ExposedFields);

internal sealed record GongExposedFields(
    [property: JsonPropertyName("parties")] bool Parties,
    [property: JsonPropertyName("media")] bool Media);

/// <summary>Calls are kept as raw JSON so one broken record fails its own call, not the page.</summary>
internal sealed record GongExtensiveResponse(
    [property: JsonPropertyName("records")] GongRecords? Records,
    [property: JsonPropertyName("calls")] IReadOnlyList<JsonElement>? Calls);

internal sealed record GongExtensiveCall(
    [property: JsonPropertyName("metaData")] GongCallMetaData? MetaData,
    [property: JsonPropertyName("parties")] IReadOnlyList<GongParty>? Parties,
    [property: JsonPropertyName("media")] GongMedia? Media);

/// <summary><paramref name="Affiliation"/> is Gong's own: Internal, External or Unknown.</summary>
internal sealed record GongParty(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("emailAddress")] string? EmailAddress,
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("speakerId")] string? SpeakerId,
    [property: JsonPropertyName("affiliation")] string? Affiliation);

/// <summary>Signed URLs, valid 8 hours, fetched without Gong's Authorization header.</summary>
internal sealed record GongMedia(
    [property: JsonPropertyName("audioUrl")] string? AudioUrl,
    [property: JsonPropertyName("videoUrl")] string? VideoUrl);

internal sealed record GongTranscriptResponse(
    [property: JsonPropertyName("records")] GongRecords? Records,
    [property: JsonPropertyName("callTranscripts")] IReadOnlyList<JsonElement>? CallTranscripts);

internal sealed record GongCallTranscript(
    [property: JsonPropertyName("callId")] string? CallId,
    [property: JsonPropertyName("transcript")] IReadOnlyList<GongMonologue>? Transcript);

internal sealed record GongMonologue(
    [property: JsonPropertyName("speakerId")] string? SpeakerId,
    [property: JsonPropertyName("topic")] string? Topic,
    [property: JsonPropertyName("sentences")] IReadOnlyList<GongSentence>? Sentences);

/// <summary>Milliseconds from the start of the call.</summary>
internal sealed record GongSentence(
    [property: JsonPropertyName("start")] double? Start,
    [property: JsonPropertyName("end")] double? End,
    [property: JsonPropertyName("text")] string? Text);

/// <summary>Gong's error body.</summary>
internal sealed record GongErrorBody(
    [property: JsonPropertyName("requestId")] string? RequestId,
    [property: JsonPropertyName("errors")] IReadOnlyList<string>? Errors);
