using System.Globalization;
using System.Text.Json;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// A call-log record as listed, read just enough to group it: its id, its telephony session and its start.
/// The record itself stays raw JSON, so one that does not parse fails its own call later, not the listing.
/// </summary>
internal sealed record RingCentralListedRecord(string Id, string SessionKey, DateTimeOffset? Start, string Json)
{
    /// <summary>Null when the record has no id at all (nothing to import or report it by).</summary>
    public static RingCentralListedRecord? From(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object || Text(record, "id") is not { } id) return null;
        var sessionKey = Text(record, "telephonySessionId") ?? Text(record, "sessionId") ?? id;
        DateTimeOffset? start = Text(record, "startTime") is { } raw
            && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return new RingCentralListedRecord(id, sessionKey, start, record.GetRawText());
    }

    private static string? Text(JsonElement record, string property) =>
        record.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            && value.ToString() is { Length: > 0 } text ? text : null;
}
