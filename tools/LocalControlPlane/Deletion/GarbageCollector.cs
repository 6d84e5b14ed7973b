using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Storage;

namespace CallImport.LocalControlPlane.Deletion;

/// <summary>
/// The owner-reference garbage collector: deletes dependents whose owners are all gone (Background),
/// deletes dependents of owners in foreground deletion before the owner, and strips owner references
/// from dependents of owners deleted with Orphan. Runs after a deletion (an object removed or being deleted) and
/// once a second, which also catches dependents created with owners that do not exist.
/// </summary>
public sealed class GarbageCollector(ResourceApi api) : IAsyncDisposable
{
    private const string Orphan = "orphan";
    private const string Foreground = "foregroundDeletion";
    private readonly SemaphoreSlim wake = new(0);
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;

    public void Start()
    {
        api.Store.Committed += Signal;
        loop = Task.Run(RunAsync);
    }

    private void Signal(WatchEvent change)
    {
        if (GivesWork(change) && wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    /// <summary>
    /// Only a deletion can leave work: a pass reads every object under the store's lock, so a pass after every write
    /// made each write cost O(objects) and a cluster of 1,000 ImportJobs quadratic.
    /// </summary>
    public static bool GivesWork(WatchEvent change) =>
        change.Type == "DELETED" || change.Item["metadata"]?["deletionTimestamp"] is not null;

    private async Task RunAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(TimeSpan.FromSeconds(1), stopping.Token);
                Collect();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over all objects; writes trigger the next pass until nothing is left to do.</summary>
    public void Collect()
    {
        lock (api.Store.Gate)
        {
            var all = api.Store.All();
            var byUid = new Dictionary<string, (string Key, JsonObject Obj)>();
            foreach (var (key, obj) in all)
            {
                if ((string?)obj["metadata"]?["uid"] is { } uid) byUid[uid] = (key, obj);
            }
            foreach (var (key, owner) in all)
            {
                if (owner["metadata"]?["deletionTimestamp"] is null) continue;
                var finalizers = ResourceApi.Finalizers(owner);
                var uid = (string?)owner["metadata"]?["uid"];
                if (finalizers.Contains(Orphan)) ReleaseDependents(all, key, owner, uid);
                if (finalizers.Contains(Foreground)) DeleteDependentsFirst(all, key, owner, uid);
            }
            foreach (var (key, obj) in all)
            {
                var references = obj["metadata"]?["ownerReferences"] as JsonArray;
                if (references is null || references.Count == 0 || obj["metadata"]?["deletionTimestamp"] is not null) continue;
                if (references.All(r => !byUid.ContainsKey((string?)r?["uid"] ?? "")) && Type(key) is { } type)
                {
                    api.SystemDelete(type, obj, "Background");
                }
            }
        }
    }

    private void ReleaseDependents(List<(string StorageKey, JsonObject Object)> all, string ownerKey, JsonObject owner, string? uid)
    {
        foreach (var (key, dependent) in Dependents(all, uid))
        {
            var next = dependent.DeepClone().AsObject();
            var remaining = new JsonArray([.. References(next).Where(r => (string?)r["uid"] != uid).Select(r => (JsonNode)r.DeepClone())]);
            if (remaining.Count == 0) next["metadata"]!.AsObject().Remove("ownerReferences");
            else next["metadata"]!["ownerReferences"] = remaining;
            if (Type(key) is { } type) api.SystemWrite(type, next);
        }
        RemoveFinalizer(ownerKey, owner, Orphan);
    }

    private void DeleteDependentsFirst(List<(string StorageKey, JsonObject Object)> all, string ownerKey, JsonObject owner, string? uid)
    {
        var dependents = Dependents(all, uid).ToList();
        foreach (var (key, dependent) in dependents)
        {
            if (dependent["metadata"]?["deletionTimestamp"] is null && Type(key) is { } type)
            {
                api.SystemDelete(type, dependent, "Foreground");
            }
        }
        var blocking = dependents.Any(d => api.Store.Get(d.StorageKey, (string?)d.Object["metadata"]?["namespace"] ?? "", (string?)d.Object["metadata"]?["name"] ?? "") is not null
            && References(d.Object).Any(r => (string?)r["uid"] == uid && (bool?)r["blockOwnerDeletion"] == true));
        if (!blocking)
        {
            RemoveFinalizer(ownerKey, owner, Foreground);
        }
    }

    private void RemoveFinalizer(string key, JsonObject owner, string finalizer)
    {
        var current = api.Store.Get(key, (string?)owner["metadata"]?["namespace"] ?? "", (string?)owner["metadata"]?["name"] ?? "");
        if (current is null || Type(key) is not { } type) return;
        var next = current.DeepClone().AsObject();
        var kept = ResourceApi.Finalizers(next).Where(f => f != finalizer).Select(f => (JsonNode)f).ToArray();
        next["metadata"]!["finalizers"] = new JsonArray(kept);
        api.SystemWrite(type, next);
    }

    private static IEnumerable<(string StorageKey, JsonObject Object)> Dependents(List<(string StorageKey, JsonObject Object)> all, string? uid) =>
        all.Where(e => References(e.Object).Any(r => (string?)r["uid"] == uid));

    private static IEnumerable<JsonObject> References(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>();

    private ResourceType? Type(string storageKey) => api.Catalog.FindByStorage(storageKey);

    public async ValueTask DisposeAsync()
    {
        api.Store.Committed -= Signal;
        await stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }
        stopping.Dispose();
        wake.Dispose();
    }
}
