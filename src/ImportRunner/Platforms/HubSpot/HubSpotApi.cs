using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// HubSpot CRM API v3/v4 payloads, as far as the import reads them. Property values come as strings (numbers,
/// booleans and dates too); unknown fields are ignored.
/// </summary>
internal static class HubSpotApi
{
    public const string DefaultBaseUrl = "https://api.hubapi.com/";
    public const string SearchPath = "crm/v3/objects/calls/search";
    public const string CallsBatchReadPath = "crm/v3/objects/calls/batch/read";
    public const string ContactsBatchReadPath = "crm/v3/objects/contacts/batch/read";
    public const string CallContactsPath = "crm/v4/associations/calls/contacts/batch/read";
    public const string OwnersPath = "crm/v3/owners/";
    public const string TokenPath = "oauth/v1/token";

    public static string TranscriptPath(string transcriptId) => $"crm/v3/extensions/calling/transcripts/{Uri.EscapeDataString(transcriptId)}";

    public static string OwnerPath(string ownerId) => $"{OwnersPath}{Uri.EscapeDataString(ownerId)}?archived=true";

    /// <summary>One search query returns at most this many results, whatever the paging (HTTP 400 beyond).</summary>
    public const int SearchResultCap = 10_000;

    /// <summary>The largest search page HubSpot serves.</summary>
    public const int SearchPageSize = 200;

    /// <summary>The most ids one batch read takes.</summary>
    public const int BatchSize = 100;

    /// <summary>Call properties the import reads (batch read; the search asks for the timestamp only).</summary>
    public static readonly IReadOnlyList<string> CallProperties =
    [
        Timestamp, "hs_call_title", "hs_call_duration", "hs_call_direction", "hs_call_status", "hs_call_from_number", "hs_call_to_number",
        "hs_call_recording_url", "hs_call_has_transcript", "hs_call_transcription_id", "hubspot_owner_id",
    ];

    public static readonly IReadOnlyList<string> ContactProperties = ["firstname", "lastname", "email", "phone"];

    /// <summary>When the call happened: the property the listing filters and sorts on.</summary>
    public const string Timestamp = "hs_timestamp";


    /// <summary>A datetime property: epoch milliseconds or ISO 8601, as HubSpot writes either.</summary>
    public static DateTimeOffset? ParseTime(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    public static string Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

internal sealed record HubSpotSearchRequest(
    [property: JsonPropertyName("filterGroups")] IReadOnlyList<HubSpotFilterGroup> FilterGroups,
    [property: JsonPropertyName("sorts")] IReadOnlyList<HubSpotSort> Sorts,
    [property: JsonPropertyName("properties")] IReadOnlyList<string> Properties,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("after")] string? After);

internal sealed record HubSpotFilterGroup([property: JsonPropertyName("filters")] IReadOnlyList<HubSpotFilter> Filters);

internal sealed record HubSpotFilter(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("operator")] string Operator,
    [property: JsonPropertyName("value")] string? Value = null,
    [property: JsonPropertyName("values")] IReadOnlyList<string>? Values = null);

internal sealed record HubSpotSort(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("direction")] string Direction);

internal sealed record HubSpotSearchResponse(
    [property: JsonPropertyName("total")] long? Total,
    [property: JsonPropertyName("results")] IReadOnlyList<JsonElement>? Results,
    [property: JsonPropertyName("paging")] HubSpotPaging? Paging);

internal sealed record HubSpotPaging([property: JsonPropertyName("next")] HubSpotNextPage? Next);

internal sealed record HubSpotNextPage([property: JsonPropertyName("after")] string? After);

/// <summary>A CRM object: its id and its properties (all strings).</summary>
internal sealed record HubSpotObject(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string?>? Properties)
{
    public string? Property(string name) =>
        Properties is not null && Properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

internal sealed record HubSpotBatchReadRequest(
    [property: JsonPropertyName("properties")] IReadOnlyList<string>? Properties,
    [property: JsonPropertyName("inputs")] IReadOnlyList<HubSpotId> Inputs);

internal sealed record HubSpotId([property: JsonPropertyName("id")] string Id);

internal sealed record HubSpotBatchResponse(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("results")] IReadOnlyList<JsonElement>? Results);

internal sealed record HubSpotAssociationsResponse(
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotAssociation>? Results);

internal sealed record HubSpotAssociation(
    [property: JsonPropertyName("from")] HubSpotAssociationFrom? From,
    [property: JsonPropertyName("to")] IReadOnlyList<HubSpotAssociationTo>? To);

internal sealed record HubSpotAssociationFrom([property: JsonPropertyName("id")] string? Id);

internal sealed record HubSpotAssociationTo([property: JsonPropertyName("toObjectId")] long? ToObjectId);

internal sealed record HubSpotOwnersPage(
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotOwner>? Results,
    [property: JsonPropertyName("paging")] HubSpotPaging? Paging);

internal sealed record HubSpotOwner(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("lastName")] string? LastName);

internal sealed record HubSpotTranscript(
    [property: JsonPropertyName("transcriptUtterances")] IReadOnlyList<HubSpotUtterance>? TranscriptUtterances);

internal sealed record HubSpotUtterance(
    [property: JsonPropertyName("speaker")] HubSpotSpeaker? Speaker,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("startTimeMillis")] long? StartTimeMillis,
    [property: JsonPropertyName("endTimeMillis")] long? EndTimeMillis);

internal sealed record HubSpotSpeaker(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email);

/// <summary>HubSpot's error body; <c>category</c>/<c>errorType</c>/<c>policyName</c> say what kind.</summary>
internal sealed record HubSpotError(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("correlationId")] string? CorrelationId,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("errorType")] string? ErrorType,
    [property: JsonPropertyName("policyName")] string? PolicyName);

