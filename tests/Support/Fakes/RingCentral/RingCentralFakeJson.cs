using System.Globalization;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// RingCentral's wire shapes (docs/voice/call-log/api.md, API reference CallLogRecord, errors.md): call-log
/// records with from/to caller info, legs in the Detailed view and a recording with its contentUri;
/// API errors as <c>errorCode/message/errors[]</c>, OAuth errors as <c>error/error_description/errors[]</c>.
/// </summary>
internal static class RingCentralFakeJson
{
    public static JsonObject Record(RingCentralFakeRecord r, string platformUrl, string mediaUrl, string accountId, bool detailed, bool malformed)
    {
        var json = new JsonObject
        {
            ["uri"] = $"{platformUrl}/restapi/v1.0/account/{accountId}/call-log/{r.Id}?view={(detailed ? "Detailed" : "Simple")}",
            ["id"] = r.Id,
            ["sessionId"] = r.SessionId,
            ["telephonySessionId"] = r.TelephonySessionId,
            ["startTime"] = malformed ? "the day before yesterday" : Time(r.Start),
            ["duration"] = malformed ? JsonValue.Create("about a minute") : JsonValue.Create(r.DurationSeconds),
            ["durationMs"] = r.DurationSeconds * 1000,
            ["type"] = "Voice",
            ["internalType"] = "Local",
            ["direction"] = r.Direction,
            ["action"] = r.Direction == "Inbound" ? "Phone Call" : "VoIP Call",
            ["result"] = r.Result,
            ["to"] = Party(r.To),
            ["from"] = Party(r.From),
            ["extension"] = new JsonObject
            {
                ["uri"] = $"{platformUrl}/restapi/v1.0/account/{accountId}/extension/{r.ExtensionId}",
                ["id"] = long.Parse(r.ExtensionId, CultureInfo.InvariantCulture),
            },
            ["transport"] = "PSTN",
            ["lastModifiedTime"] = Time(r.Start.AddSeconds(r.DurationSeconds + 5)),
        };
        if (r.Recording is { } recording)
            json["recording"] = Recording(recording, platformUrl, mediaUrl, accountId);
        if (detailed)
        {
            var leg = new JsonObject
            {
                ["startTime"] = Time(r.Start),
                ["duration"] = r.DurationSeconds,
                ["durationMs"] = r.DurationSeconds * 1000,
                ["type"] = "Voice",
                ["direction"] = r.Direction,
                ["action"] = r.Direction == "Inbound" ? "Phone Call" : "VoIP Call",
                ["result"] = r.Result,
                ["to"] = Party(r.To),
                ["from"] = Party(r.From),
                ["transport"] = "PSTN",
                ["legType"] = r.Direction == "Inbound" ? "Accept" : "RingOut",
                ["master"] = true,
                ["extension"] = new JsonObject { ["id"] = long.Parse(r.ExtensionId, CultureInfo.InvariantCulture) },
                ["telephonySessionId"] = r.TelephonySessionId,
            };
            if (r.Recording is { } legRecording)
                leg["recording"] = Recording(legRecording, platformUrl, mediaUrl, accountId);
            json["legs"] = new JsonArray(leg);
        }
        return json;
    }

    public static JsonObject Page(IEnumerable<JsonObject> records, string selfUri, int page, int perPage, int pageStart, int count, string? nextUri, string firstUri, string? previousUri)
    {
        var navigation = new JsonObject { ["firstPage"] = new JsonObject { ["uri"] = firstUri } };
        if (nextUri is not null) navigation["nextPage"] = new JsonObject { ["uri"] = nextUri };
        if (previousUri is not null) navigation["previousPage"] = new JsonObject { ["uri"] = previousUri };
        var paging = new JsonObject { ["page"] = page, ["perPage"] = perPage };
        if (count > 0)
        {
            paging["pageStart"] = pageStart;
            paging["pageEnd"] = pageStart + count - 1;
        }
        return new JsonObject
        {
            ["uri"] = selfUri,
            ["records"] = new JsonArray([.. records]),
            ["paging"] = paging,
            ["navigation"] = navigation,
        };
    }

    public static JsonObject Extension(RingCentralFakeParty party, string platformUrl, string accountId) => new()
    {
        ["uri"] = $"{platformUrl}/restapi/v1.0/account/{accountId}/extension/{party.ExtensionId}",
        ["id"] = long.Parse(party.ExtensionId!, CultureInfo.InvariantCulture),
        ["extensionNumber"] = party.ExtensionNumber,
        ["name"] = party.Name,
        ["type"] = "User",
        ["status"] = "Enabled",
        ["account"] = new JsonObject { ["id"] = accountId },
    };

    public static JsonObject Token(IssuedTokens tokens, string ownerId) => new()
    {
        ["access_token"] = tokens.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = tokens.ExpiresIn,
        ["refresh_token"] = tokens.RefreshToken,
        ["refresh_token_expires_in"] = tokens.RefreshTokenExpiresIn,
        ["scope"] = "ReadCallLog ReadCallRecording ReadAccounts",
        ["owner_id"] = ownerId,
        ["endpoint_id"] = "p7GZlEVHRwKDwbx6UkH0YQ",
    };

    public static JsonObject ApiError(string code, string message, string? parameterName = null)
    {
        var detail = new JsonObject { ["errorCode"] = code, ["message"] = message };
        if (parameterName is not null) detail["parameterName"] = parameterName;
        return new JsonObject { ["errorCode"] = code, ["message"] = message, ["errors"] = new JsonArray(detail) };
    }

    public static JsonObject OAuthError(string error, string code, string message) => new()
    {
        ["error"] = error,
        ["errors"] = new JsonArray(new JsonObject { ["errorCode"] = code, ["message"] = message }),
        ["error_description"] = message,
    };

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Recording(RingCentralFakeRecording recording, string platformUrl, string mediaUrl, string accountId) => new()
    {
        ["uri"] = $"{platformUrl}/restapi/v1.0/account/{accountId}/recording/{recording.Id}",
        ["id"] = recording.Id,
        ["type"] = "Automatic",
        ["contentUri"] = $"{mediaUrl}/restapi/v1.0/account/{accountId}/recording/{recording.Id}/content",
    };

    private static JsonObject Party(RingCentralFakeParty party)
    {
        var json = new JsonObject();
        if (party.PhoneNumber is not null) json["phoneNumber"] = party.PhoneNumber;
        if (party.ExtensionNumber is not null) json["extensionNumber"] = party.ExtensionNumber;
        if (party.ExtensionId is not null) json["extensionId"] = party.ExtensionId;
        if (party.Name is not null) json["name"] = party.Name;
        if (party.Location is not null) json["location"] = party.Location;
        return json;
    }
}
