using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral REST API v1.0 payloads, as far as the import reads them (docs/voice/call-log/api.md and the
/// API reference's CallLogRecord). Unknown fields are ignored, so new vendor fields never break an import.
/// </summary>
internal static class RingCentralApi
{
    public const string DefaultPlatformUrl = "https://platform.ringcentral.com/";
    public const string DefaultMediaUrl = "https://media.ringcentral.com/";
    public const string TokenPath = "restapi/oauth/token";
    public const string AccountCallLogPath = "restapi/v1.0/account/~/call-log";
    public const string OwnExtensionPath = "restapi/v1.0/account/~/extension/~";
    public const string JwtGrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>
    /// Records per call-log page. RingCentral documents the default (100) but no maximum; 250 is what its own
    /// call-log-sync caps a page at and what clients use safely. Fewer pages matter: each is a Heavy request (10/min).
    /// </summary>
    public const int PerPage = 250;


    public static string ExtensionCallLogPath(string extensionId) =>
        $"restapi/v1.0/account/~/extension/{Uri.EscapeDataString(extensionId)}/call-log";
}

internal sealed record RingCentralCallLogPage(
    [property: JsonPropertyName("records")] IReadOnlyList<JsonElement>? Records,
    [property: JsonPropertyName("navigation")] RingCentralNavigation? Navigation);

internal sealed record RingCentralNavigation([property: JsonPropertyName("nextPage")] RingCentralLink? NextPage);

internal sealed record RingCentralLink([property: JsonPropertyName("uri")] string? Uri);

/// <summary>One call-log record (Detailed view).</summary>
internal sealed record RingCentralRecord(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("sessionId")] string? SessionId,
    [property: JsonPropertyName("telephonySessionId")] string? TelephonySessionId,
    [property: JsonPropertyName("startTime")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("duration")] int? Duration,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("direction")] string? Direction,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("from")] RingCentralParty? From,
    [property: JsonPropertyName("to")] RingCentralParty? To,
    [property: JsonPropertyName("recording")] RingCentralRecording? Recording,
    [property: JsonPropertyName("legs")] IReadOnlyList<RingCentralLeg>? Legs);

internal sealed record RingCentralLeg(
    [property: JsonPropertyName("from")] RingCentralParty? From,
    [property: JsonPropertyName("to")] RingCentralParty? To,
    [property: JsonPropertyName("recording")] RingCentralRecording? Recording);

/// <summary>A phone endpoint (CallLogCallerInfo): one of the account's own when it has an extension.</summary>
internal sealed record RingCentralParty(
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber,
    [property: JsonPropertyName("extensionNumber")] string? ExtensionNumber,
    [property: JsonPropertyName("extensionId")] string? ExtensionId,
    [property: JsonPropertyName("name")] string? Name);

internal sealed record RingCentralRecording(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("contentUri")] string? ContentUri);

