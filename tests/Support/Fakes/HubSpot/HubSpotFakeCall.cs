using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>One seeded HubSpot call: its properties, owner, associated contacts, recording and transcript.</summary>
public sealed record HubSpotFakeCall(
    long Id,
    DateTimeOffset Timestamp,
    TimeSpan Duration,
    string Direction,
    string OwnerId,
    IReadOnlyList<long> ContactIds,
    bool HasRecording,
    bool RecordingNeedsProviderAuth,
    IReadOnlyList<(bool Owner, TimeSpan At, TimeSpan End, string Text)>? Utterances,
    int Seed)
{
    public string IdText => Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The recording's bytes, made again from the seed on each request (25,000 calls hold no audio in memory).</summary>
    public byte[]? Recording()
    {
        if (!HasRecording) return null;
        var random = new Random(HashCode.Combine(Seed, Id));
        var bytes = new byte[2_000 + random.Next(20_000)];
        random.NextBytes(bytes);
        return bytes;
    }

    public string? RecordingSha256 => Recording() is { } bytes ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;

    public string TranscriptId => "t" + IdText;

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every property as HubSpot writes them: all strings, datetimes in ISO 8601, the duration in ms.</summary>
    public Dictionary<string, string?> Properties(string providerUrl, bool malformed) => new(StringComparer.Ordinal)
    {
        ["hs_object_id"] = IdText,
        ["hs_createdate"] = Iso(Timestamp.AddMinutes(1)),
        ["hs_lastmodifieddate"] = Iso(Timestamp.AddMinutes(2)),
        ["hs_timestamp"] = malformed ? "yesterday afternoon" : Iso(Timestamp),
        ["hs_call_title"] = $"Call with customer {Id % 1000}",
        ["hs_call_duration"] = ((long)Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ["hs_call_direction"] = Direction,
        ["hs_call_status"] = "COMPLETED",
        ["hs_call_from_number"] = Direction == "OUTBOUND" ? "+14155550100" : $"+1212555{Id % 10_000:0000}",
        ["hs_call_to_number"] = Direction == "OUTBOUND" ? $"+1212555{Id % 10_000:0000}" : "+14155550100",
        ["hs_call_recording_url"] = HasRecording ? $"{providerUrl}/recordings/{IdText}.mp3" : "",
        ["hs_call_has_transcript"] = Utterances is null ? "false" : "true",
        ["hs_call_transcription_id"] = Utterances is null ? null : TranscriptId,
        ["hubspot_owner_id"] = OwnerId,
    };

    public JsonObject ToJson(IEnumerable<string> properties, string providerUrl, bool malformed)
    {
        var all = Properties(providerUrl, malformed);
        var selected = new JsonObject();
        foreach (var name in properties.Append("hs_object_id").Append("hs_createdate").Append("hs_lastmodifieddate").Distinct(StringComparer.Ordinal))
            selected[name] = all.TryGetValue(name, out var value) ? value : null;
        return new JsonObject
        {
            ["id"] = IdText,
            ["properties"] = selected,
            ["createdAt"] = Iso(Timestamp.AddMinutes(1)),
            ["updatedAt"] = Iso(Timestamp.AddMinutes(2)),
            ["archived"] = false,
        };
    }
}
