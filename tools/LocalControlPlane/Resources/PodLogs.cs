using System.Collections.Concurrent;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>
/// Where each pod's log file is, registered by whoever runs the pod (the kubelet), read by
/// <c>GET pods/{name}/log</c>. One file per pod (container output combined).
/// </summary>
public sealed class PodLogs
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), string> files = new();

    public void Register(string ns, string pod, string path) => files[(ns, pod)] = path;

    public void Forget(string ns, string pod) => files.TryRemove((ns, pod), out _);

    public string? PathFor(string ns, string pod) => files.TryGetValue((ns, pod), out var path) ? path : null;
}
