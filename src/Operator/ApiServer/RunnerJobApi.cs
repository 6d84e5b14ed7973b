using System.Runtime.CompilerServices;
using CallImport.Operator.Controller;
using CallImport.Operator.Runs;
using k8s;
using k8s.Models;

namespace CallImport.Operator.ApiServer;

/// <summary>The runner Jobs (batch/v1) the operator manages, found by its label.</summary>
internal sealed class RunnerJobApi(IKubernetes client, string? watchNamespace) : IResourceSource<V1Job>
{
    public string Kind => "runner Jobs";

    public async Task<ListResult<V1Job>> ListAsync(CancellationToken cancellationToken)
    {
        var list = string.IsNullOrEmpty(watchNamespace)
            ? await client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: RunnerJobLabels.ManagedSelector, cancellationToken: cancellationToken)
            : await client.BatchV1.ListNamespacedJobAsync(watchNamespace, labelSelector: RunnerJobLabels.ManagedSelector, cancellationToken: cancellationToken);
        return new ListResult<V1Job>([.. list.Items], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Job Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var events = string.IsNullOrEmpty(watchNamespace)
            ? client.BatchV1.WatchListJobForAllNamespacesAsync(labelSelector: RunnerJobLabels.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken)
            : client.BatchV1.WatchListNamespacedJobAsync(watchNamespace, labelSelector: RunnerJobLabels.ManagedSelector, resourceVersion: resourceVersion,
                timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken);
        await foreach (var (type, job) in events)
        {
            if (type is WatchEventType.Bookmark or WatchEventType.Error)
                continue;
            yield return (type, job);
        }
    }

    public string KeyOf(V1Job item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    public string? ResourceVersionOf(V1Job item) => item.Metadata.ResourceVersion;
}
