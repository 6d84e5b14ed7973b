using k8s;
using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>List and watch requests for the Jobs and Pods the kubelet serves (one namespace or all).</summary>
internal sealed class ServedObjects(IKubernetes client, string? namespaceName, TimeSpan watchTimeout)
{
    private int WatchSeconds => (int)watchTimeout.TotalSeconds;

    public async Task<V1JobList> JobsAsync(CancellationToken ct) => namespaceName is null
        ? await client.BatchV1.ListJobForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)
        : await client.BatchV1.ListNamespacedJobAsync(namespaceName, cancellationToken: ct).ConfigureAwait(false);

    public async Task<V1PodList> PodsAsync(CancellationToken ct) => namespaceName is null
        ? await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)
        : await client.CoreV1.ListNamespacedPodAsync(namespaceName, cancellationToken: ct).ConfigureAwait(false);

    public IAsyncEnumerable<(WatchEventType, V1Job)> WatchJobs(string? resourceVersion, Action<Exception> onError, CancellationToken ct) => namespaceName is null
        ? client.BatchV1.WatchListJobForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)
        : client.BatchV1.WatchListNamespacedJobAsync(namespaceName, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct);

    public IAsyncEnumerable<(WatchEventType, V1Pod)> WatchPods(string? resourceVersion, Action<Exception> onError, CancellationToken ct) => namespaceName is null
        ? client.CoreV1.WatchListPodForAllNamespacesAsync(allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)
        : client.CoreV1.WatchListNamespacedPodAsync(namespaceName, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct);
}
