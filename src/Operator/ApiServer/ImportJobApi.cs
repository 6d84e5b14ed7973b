using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.ImportJobs;
using CallImport.Operator.Controller;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.Operator.ApiServer;

/// <summary>ImportJobs through the CustomObjects API, as the shared <see cref="ImportJob"/> type (never a Kubernetes model).</summary>
internal sealed class ImportJobApi(IKubernetes client, string? watchNamespace) : IResourceSource<ImportJob>
{
    public string Kind => "ImportJobs";

    public async Task<ListResult<ImportJob>> ListAsync(CancellationToken cancellationToken)
    {
        var list = (JsonElement)(string.IsNullOrEmpty(watchNamespace)
            ? await client.CustomObjects.ListClusterCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, ImportJobResource.Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, watchNamespace, ImportJobResource.Plural, cancellationToken: cancellationToken));
        var items = list.GetProperty("items").EnumerateArray().Select(Read).ToList();
        return new ListResult<ImportJob>(items, list.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, ImportJob Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var events = string.IsNullOrEmpty(watchNamespace)
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, ImportJobResource.Plural,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, watchNamespace, ImportJobResource.Plural,
                resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, item) in events)
        {
            if (type is WatchEventType.Bookmark or WatchEventType.Error)
                continue;
            yield return (type, Read((JsonElement)item));
        }
    }

    public string KeyOf(ImportJob item) => $"{item.Metadata.Namespace}/{item.Metadata.Name}";

    public string? ResourceVersionOf(ImportJob item) => item.Metadata.ResourceVersion;

    /// <summary>The ImportJob as it is now; null when it is gone.</summary>
    public async Task<ImportJob?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var item = await client.CustomObjects.GetNamespacedCustomObjectAsync(ImportJobResource.Group, ImportJobResource.Version, ns, ImportJobResource.Plural, name, cancellationToken);
            return Read((JsonElement)item);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Merge-patches <c>/status</c>, only if the ImportJob is still at <paramref name="resourceVersion"/> (409 otherwise).</summary>
    public async Task<ImportJob> PatchStatusAsync(ImportJob current, ImportJobStatus status, CancellationToken cancellationToken)
    {
        var before = JsonNode.Parse(ImportJobJson.Serialize(current.Status ?? new ImportJobStatus()));
        var after = JsonNode.Parse(ImportJobJson.Serialize(status));
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = current.Metadata.ResourceVersion },
            ["status"] = MergePatch.Between(before, after),
        };
        var result = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ImportJobResource.Group, ImportJobResource.Version,
            current.Metadata.Namespace, ImportJobResource.Plural, current.Metadata.Name, cancellationToken: cancellationToken);
        return Read((JsonElement)result);
    }

    /// <summary>Replaces <c>metadata.finalizers</c>, only if the ImportJob is still at its resourceVersion.</summary>
    public async Task<ImportJob> PatchFinalizersAsync(ImportJob current, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = current.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)f)]),
            },
        };
        var result = await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), ImportJobResource.Group, ImportJobResource.Version,
            current.Metadata.Namespace, ImportJobResource.Plural, current.Metadata.Name, cancellationToken: cancellationToken);
        return Read((JsonElement)result);
    }

    private static ImportJob Read(JsonElement element) =>
        element.Deserialize<ImportJob>(ImportJobJson.Options) ?? throw new JsonException("An ImportJob without content.");
}
