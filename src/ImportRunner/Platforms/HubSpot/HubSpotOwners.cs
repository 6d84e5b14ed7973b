using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// The account's owners (HubSpot users), who are the calls' internal participants: listed once per run with
/// <c>GET /crm/v3/owners</c> (100 a page); an owner not in that list (deactivated since) is asked for alone with
/// <c>archived=true</c>, once. Without the owners scope the calls are imported without their owner (one warning).
/// </summary>
internal sealed class HubSpotOwners(HubSpotClient client, ILogger logger)
{
    private readonly Lock _lock = new();
    private Task<IReadOnlyDictionary<string, HubSpotOwner>>? _listed;
    private readonly ConcurrentDictionary<string, Task<HubSpotOwner?>> _archived = new(StringComparer.Ordinal);
    private volatile bool _refused;

    public async Task<HubSpotOwner?> FindAsync(string? ownerId, CancellationToken cancellationToken)
    {
        if (ownerId is null || _refused) return null;
        Task<IReadOnlyDictionary<string, HubSpotOwner>> listed;
        lock (_lock)
        {
            if (_listed is null || _listed.IsFaulted || _listed.IsCanceled) _listed = ListAsync(cancellationToken);
            listed = _listed;
        }
        var owners = await listed;
        if (owners.TryGetValue(ownerId, out var owner)) return owner;
        if (_refused) return null;
        var lookup = _archived.GetOrAdd(ownerId, id => GetArchivedAsync(id, cancellationToken));
        try
        {
            return await lookup;
        }
        catch
        {
            // A failed lookup is not remembered: the next call of this owner asks again.
            _archived.TryRemove(new KeyValuePair<string, Task<HubSpotOwner?>>(ownerId, lookup));
            throw;
        }
    }

    private async Task<IReadOnlyDictionary<string, HubSpotOwner>> ListAsync(CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, HubSpotOwner>(StringComparer.Ordinal);
        var seenAfter = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        for (var page = 1; ; page++)
        {
            var what = $"HubSpot owners, page {page} (GET /{HubSpotApi.OwnersPath})";
            var path = HubSpotApi.OwnersPath + "?limit=100" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            using var request = client.Request(HttpMethod.Get, path);
            using var response = await client.SendAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                _refused = true;
                logger.LogWarning("HubSpot refused the owners listing (HTTP 403): the token lacks crm.objects.owners.read; calls are imported without their owner");
                return owners;
            }
            await HubSpotClient.EnsureSuccessAsync(response, what, cancellationToken);
            var body = await VendorResponses.ReadJsonAsync(response, what, HubSpotJson.Default.HubSpotOwnersPage, cancellationToken);
            foreach (var owner in body.Results ?? [])
                if (owner.Id is { Length: > 0 } id) owners[id] = owner;
            after = body.Paging?.Next?.After;
            if (string.IsNullOrEmpty(after) || !seenAfter.Add(after)) return owners;
        }
    }

    private async Task<HubSpotOwner?> GetArchivedAsync(string ownerId, CancellationToken cancellationToken)
    {
        var what = $"HubSpot owner {ownerId} (GET /{HubSpotApi.OwnersPath}{{id}})";
        using var request = client.Request(HttpMethod.Get, HubSpotApi.OwnerPath(ownerId));
        using var response = await client.SendAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null; // deleted: the call has no known owner
        await HubSpotClient.EnsureSuccessAsync(response, what, cancellationToken);
        return await VendorResponses.ReadJsonAsync(response, what, HubSpotJson.Default.HubSpotOwner, cancellationToken);
    }
}
