using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Which batch each call belongs to: the calls of one listing page (at most 100) form a batch. The batch's
/// ids also travel in each call's listing payload, so a run that resumes a listing made by an earlier
/// process batches the same way instead of spending a request per call.
/// </summary>
internal sealed class GongCallBatches
{
    private readonly ConcurrentDictionary<string, GongCallBatch> _byCall = new(StringComparer.Ordinal);
    private IReadOnlySet<string>? _pending;

    /// <summary>The calls the run still takes: a batch rebuilt from a listing payload holds only those of its peers.</summary>
    public void Pending(IReadOnlySet<string> callIds) => Volatile.Write(ref _pending, callIds);

    /// <summary>Registers one listing page as a batch and returns the payload each of its calls keeps.</summary>
    public GongCallBatch Register(IReadOnlyList<string> callIds)
    {
        var batch = new GongCallBatch(callIds);
        foreach (var id in callIds) _byCall[id] = batch;
        return batch;
    }

    /// <summary>The call's batch: known in this process, else rebuilt from its listing payload (its peers still pending), else the call alone.</summary>
    public GongCallBatch For(string callId, string? listingPayload)
    {
        if (_byCall.TryGetValue(callId, out var known)) return known;
        var peers = GongListingPayload.Read(listingPayload)?.Batch;
        if (peers is null || !peers.Contains(callId, StringComparer.Ordinal)) peers = [callId];
        // Peers done in an earlier run never come to let go of it: neither fetched nor registered.
        else if (Volatile.Read(ref _pending) is { } pending) peers = [.. peers.Where(p => p == callId || pending.Contains(p))];
        var batch = new GongCallBatch(peers);
        foreach (var id in peers) _byCall.TryAdd(id, batch);
        return _byCall.GetOrAdd(callId, batch);
    }

    /// <summary>Calls registered and not yet forgotten.</summary>
    public int Count => _byCall.Count;

    /// <summary>The call is done with (or failed): its batch no longer needs to answer for it.</summary>
    public void Forget(string callId) => _byCall.TryRemove(callId, out _);
}

/// <summary>What the listing keeps per call: the ids of its batch, and whether Gong marked it private.</summary>
internal sealed record GongListingPayload(
    [property: JsonPropertyName("batch")] IReadOnlyList<string> Batch,
    [property: JsonPropertyName("isPrivate")] bool IsPrivate)
{
    public string Write() => JsonSerializer.Serialize(this, GongJson.Default.GongListingPayload);

    public static GongListingPayload? Read(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload)) return null;
        try
        {
            return JsonSerializer.Deserialize(payload, GongJson.Default.GongListingPayload);
        }
        catch (JsonException)
        {
            return null; // an older or foreign payload: the call is simply fetched alone
        }
    }
}
