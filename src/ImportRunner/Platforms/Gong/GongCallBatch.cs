using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Up to 100 call ids fetched together: one extensive request and one transcript request serve every
/// call of the batch. Each fetch runs once at a time (the first call to need it starts it, the others
/// await it); a failed fetch is forgotten so the next attempt of any of its calls asks again.
/// </summary>
internal sealed class GongCallBatch(IReadOnlyList<string> callIds)
{
    private readonly Lock _lock = new();
    private Task<GongBatchDetails>? _details;
    private Task<IReadOnlyDictionary<string, GongBatchEntry<GongCallTranscript>>>? _transcripts;

    public IReadOnlyList<string> CallIds { get; } = callIds;

    public Task<GongBatchDetails> DetailsAsync(Func<IReadOnlyList<string>, Task<GongBatchDetails>> fetch) =>
        Shared(ref _details, fetch);

    public Task<IReadOnlyDictionary<string, GongBatchEntry<GongCallTranscript>>> TranscriptsAsync(
        Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, GongBatchEntry<GongCallTranscript>>>> fetch) =>
        Shared(ref _transcripts, fetch);

    private Task<T> Shared<T>(ref Task<T>? slot, Func<IReadOnlyList<string>, Task<T>> fetch)
    {
        lock (_lock)
        {
            if (slot is null || slot.IsFaulted || slot.IsCanceled) slot = fetch(CallIds);
            return slot;
        }
    }
}

/// <summary>The extensive answer for a batch, and when it came (its media URLs age from then).</summary>
internal sealed record GongBatchDetails(IReadOnlyDictionary<string, GongBatchEntry<GongExtensiveCall>> Calls, DateTimeOffset FetchedAt);

/// <summary>One call's record, or why it could not be read (the call fails alone).</summary>
internal sealed record GongBatchEntry<T>(T? Value, string? Malformed) where T : class
{
    /// <summary>Splits a page's raw records by call id; a record that does not read is kept as a reason.</summary>
    public static void AddFrom(IEnumerable<JsonElement> records, Func<JsonElement, string?> idOf, Func<T, bool> complete, JsonTypeInfo<T> type,
        IDictionary<string, GongBatchEntry<T>> into)
    {
        foreach (var record in records)
        {
            if (idOf(record) is not { Length: > 0 } id) continue; // no id: it cannot be anyone's
            try
            {
                var value = record.Deserialize(type);
                into[id] = value is not null && complete(value)
                    ? new GongBatchEntry<T>(value, null)
                    : new GongBatchEntry<T>(null, "required fields are missing");
            }
            catch (JsonException e)
            {
                into[id] = new GongBatchEntry<T>(null, $"{e.Path ?? "$"} does not read");
            }
        }
    }

    /// <summary>The string at <paramref name="path"/>, read leniently (the rest of the record may be broken).</summary>
    public static string? Text(JsonElement record, params string[] path)
    {
        var node = record;
        foreach (var name in path)
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node)) return null;
        return node.ValueKind == JsonValueKind.String ? node.GetString() : null;
    }
}
