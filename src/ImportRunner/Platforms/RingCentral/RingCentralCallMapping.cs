using System.Text.Json;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>A telephony session's call-log records in the import's own terms.</summary>
internal static class RingCentralCallMapping
{
    public const string RecordingIdKey = "recordingId";
    public const string RecordIdsKey = "recordIds";
    public const string UnimportedRecordingsKey = "unimportedRecordings";

    /// <summary>Throws <see cref="PermanentCallException"/> naming the record when one does not parse or lacks its id or start.</summary>
    public static SourceCall ToSourceCall(string sessionKey, string payload)
    {
        var records = Parse(sessionKey, payload);
        var start = records.Min(r => r.StartTime!.Value);
        var end = records.Max(r => r.StartTime!.Value.AddSeconds(Math.Max(0, r.Duration ?? 0)));
        var recordings = records
            .SelectMany(r => new[] { r.Recording }.Concat((r.Legs ?? []).Select(l => l.Recording)).Select(rec => (Record: r, Recording: rec)))
            .Where(x => x.Recording is { Id: not null, ContentUri: not null })
            .DistinctBy(x => x.Recording!.Id)
            .OrderByDescending(x => x.Record.Duration ?? 0)
            .ToList();
        var main = records.OrderByDescending(r => r.Duration ?? 0).First();
        var context = new Dictionary<string, string> { [RecordIdsKey] = string.Join(',', records.Select(r => r.Id)) };
        if (recordings.Count > 0) context[RecordingIdKey] = recordings[0].Recording!.Id!;
        if (recordings.Count > 1) context[UnimportedRecordingsKey] = string.Join(',', recordings.Skip(1).Select(r => r.Recording!.Id));
        return new SourceCall
        {
            SourceCallId = sessionKey,
            Title = Title(main, records.Count > 1 && records.All(IsInternal)),
            StartedAt = start,
            Duration = end - start,
            Participants = Participants(records),
            MediaLocation = recordings.Count > 0 ? recordings[0].Recording!.ContentUri : null,
            ContextData = context,
        };
    }

    private static List<RingCentralRecord> Parse(string sessionKey, string payload)
    {
        List<JsonElement> elements;
        try
        {
            elements = JsonSerializer.Deserialize(payload, RingCentralJson.Default.ListJsonElement) ?? [];
        }
        catch (JsonException)
        {
            throw new PermanentCallException($"RingCentral call {sessionKey}: malformed payload (the listed records are not a JSON array).");
        }
        if (elements.Count == 0) throw new PermanentCallException($"RingCentral call {sessionKey}: no call-log records listed.");
        var records = new List<RingCentralRecord>(elements.Count);
        foreach (var element in elements)
        {
            var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idValue) ? idValue.ToString() : "(no id)";
            RingCentralRecord? record;
            try
            {
                record = element.Deserialize(RingCentralJson.Default.RingCentralRecord);
            }
            catch (JsonException e)
            {
                // The parser's message names the field (e.g. $.startTime) but never echoes a value.
                throw new PermanentCallException($"RingCentral call {sessionKey}: malformed payload in call-log record {id} ({e.Path ?? "unknown field"} does not parse).");
            }
            if (record is not { Id: not null, StartTime: not null })
                throw new PermanentCallException($"RingCentral call {sessionKey}: malformed payload in call-log record {id} (it lacks its id or startTime).");
            records.Add(record);
        }
        return records;
    }

    private static string Title(RingCentralRecord main, bool internalCall)
    {
        var from = Label(main.From);
        var to = Label(main.To);
        var kind = internalCall ? "Internal" : main.Direction is { Length: > 0 } direction ? direction : "Phone";
        return $"{kind} call {from} → {to}";
    }

    private static string Label(RingCentralParty? party) =>
        party is null ? "unknown" : Clean(party.Name) ?? Clean(party.PhoneNumber) ?? (Clean(party.ExtensionNumber) is { } ext ? $"ext. {ext}" : "unknown");

    /// <summary>Every phone endpoint of every record and leg, once; internal when it has an extension.</summary>
    private static List<SourceParticipant> Participants(List<RingCentralRecord> records) =>
        records
            .SelectMany(r => new[] { r.From, r.To }.Concat((r.Legs ?? []).SelectMany(l => new[] { l.From, l.To })))
            .OfType<RingCentralParty>()
            .Where(p => Clean(p.PhoneNumber) is not null || Clean(p.Name) is not null || Clean(p.ExtensionId) is not null || Clean(p.ExtensionNumber) is not null)
            .GroupBy(Identity, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(p => Clean(p.Name) is not null).First())
            .Select(p => new SourceParticipant(
                Clean(p.Name),
                Email: null,
                IsInternal(p) ? Affiliation.Internal : Clean(p.PhoneNumber) is not null ? Affiliation.External : Affiliation.Unknown,
                Clean(p.PhoneNumber)))
            .ToList();

    private static string Identity(RingCentralParty p) =>
        Clean(p.ExtensionId) is { } id ? "ext:" + id
        : Clean(p.PhoneNumber) is { } phone ? "tel:" + phone
        : Clean(p.ExtensionNumber) is { } number ? "extn:" + number
        : "name:" + Clean(p.Name);

    private static bool IsInternal(RingCentralParty p) => Clean(p.ExtensionId) is not null || Clean(p.ExtensionNumber) is not null;

    private static bool IsInternal(RingCentralRecord r) => r.From is { } from && IsInternal(from) && r.To is { } to && IsInternal(to);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
