using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;

namespace CallImport.LocalControlPlane.Resources;

public sealed partial class ResourceApi
{
    /// <summary>
    /// A write by the control plane itself (garbage collector): stores <paramref name="next"/>, or removes
    /// the object when it is being deleted and has no finalizers left. Caller holds the store gate.
    /// </summary>
    internal void SystemWrite(ResourceType type, JsonObject next)
    {
        var metadata = next["metadata"]!;
        if (metadata["deletionTimestamp"] is not null && Finalizers(next).Count == 0)
        {
            store.Remove(type.StorageKey, (string?)metadata["namespace"] ?? "", (string?)metadata["name"] ?? "");
        }
        else
        {
            store.Put(type.StorageKey, next);
        }
        AfterWrite(type);
    }

    /// <summary>Deletes an object on the collector's behalf with the given propagation policy.</summary>
    internal void SystemDelete(ResourceType type, JsonObject obj, string policy)
    {
        var request = new ApiRequest
        {
            Type = type,
            Namespace = (string?)obj["metadata"]?["namespace"],
            Name = (string?)obj["metadata"]?["name"],
            Query = new Dictionary<string, string> { ["propagationPolicy"] = policy },
        };
        try
        {
            Delete(request);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Already gone: a concurrent delete won.
        }
    }
}
