using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// Up to 100 listed calls fetched together: one batch read of their properties, one of their contact associations
/// and one of those contacts serve every call of the batch. The first call to need it starts the fetch, the
/// others await it; a failed fetch is forgotten so the next attempt of any of its calls asks again.
/// </summary>
internal sealed class HubSpotCallBatch(IReadOnlyList<string> callIds)
{
    private readonly Lock _lock = new();
    private Task<IReadOnlyDictionary<string, HubSpotCallDetails>>? _details;

    public IReadOnlyList<string> CallIds { get; } = callIds;

    public Task<IReadOnlyDictionary<string, HubSpotCallDetails>> DetailsAsync(Func<IReadOnlyList<string>, Task<IReadOnlyDictionary<string, HubSpotCallDetails>>> fetch)
    {
        lock (_lock)
        {
            if (_details is null || _details.IsFaulted || _details.IsCanceled) _details = fetch(CallIds);
            return _details;
        }
    }
}

/// <summary>One call as the batch read it: its properties and contacts, or why its record does not read (it fails alone).</summary>
internal sealed record HubSpotCallDetails(HubSpotObject? Call, IReadOnlyList<HubSpotObject> Contacts, string? Malformed);

/// <summary>
/// Which batch each call belongs to. The batch's ids also travel in each call's listing payload, so a run that
/// resumes a listing made by an earlier process batches the same way instead of spending requests per call.
/// </summary>
internal sealed class HubSpotCallBatches
{
    private readonly ConcurrentDictionary<string, HubSpotCallBatch> _byCall = new(StringComparer.Ordinal);
    /// <summary>Calls already read once in this process: a retry of one of them reads it alone, not its whole old batch.</summary>
    private readonly ConcurrentDictionary<string, bool> _read = new(StringComparer.Ordinal);
    private IReadOnlySet<string>? _pending;

    /// <summary>The calls the run still takes: a batch rebuilt from a listing payload holds only those of its peers.</summary>
    public void Pending(IReadOnlySet<string> callIds) => Volatile.Write(ref _pending, callIds);

    public void Register(IReadOnlyList<string> callIds)
    {
        var batch = new HubSpotCallBatch(callIds);
        foreach (var id in callIds) _byCall[id] = batch;
    }

    /// <summary>The call's batch: known in this process, else rebuilt from its listing payload, else the call alone.</summary>
    public HubSpotCallBatch For(string callId, string? listingPayload)
    {
        if (_byCall.TryGetValue(callId, out var known)) return known;
        var peers = HubSpotListingPayload.Read(listingPayload)?.Batch;
        if (peers is null || !peers.Contains(callId, StringComparer.Ordinal) || _read.ContainsKey(callId)) peers = [callId];
        else
        {
            // Peers done in an earlier run never come to let go of it: neither read nor registered.
            var pending = Volatile.Read(ref _pending);
            peers = [.. peers.Where(p => p == callId || (!_read.ContainsKey(p) && pending?.Contains(p) != false))];
        }
        var batch = new HubSpotCallBatch(peers);
        foreach (var id in peers) _byCall.TryAdd(id, batch);
        return _byCall.GetOrAdd(callId, batch);
    }

    /// <summary>Calls registered and not yet forgotten.</summary>
    public int Count => _byCall.Count;

    /// <summary>The call is done with: its batch no longer needs to answer for it (a retry asks afresh).</summary>
    public void Forget(string callId)
    {
        _read[callId] = true;
        _byCall.TryRemove(callId, out _);
    }
}

/// <summary>What the listing keeps per call: the ids of its batch.</summary>
internal sealed record HubSpotListingPayload([property: JsonPropertyName("batch")] IReadOnlyList<string> Batch)
{
    public string Write() => JsonSerializer.Serialize(this, HubSpotJson.Default.HubSpotListingPayload);

    public static HubSpotListingPayload? Read(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload)) return null;
        try
        {
            return JsonSerializer.Deserialize(payload, HubSpotJson.Default.HubSpotListingPayload);
        }
        catch (JsonException)
        {
            return null; // a foreign payload: the call is fetched alone
        }
    }
}
