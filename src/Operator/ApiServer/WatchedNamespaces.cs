using CallImport.ImportJobs;
using CallImport.Operator.Controller;
using k8s;
using k8s.Models;

namespace CallImport.Operator.ApiServer;

/// <summary>
/// What the informers read: every namespace (cluster-wide list and watch), one namespace, or several, each read in
/// its own namespace, so that the operator needs permissions only where it works (the chart's Roles).
/// </summary>
internal static class WatchedNamespaces
{
    public static IResourceSource<ImportJob> ImportJobs(IKubernetes client, IReadOnlyList<string> namespaces) => namespaces.Count switch
    {
        0 => new ImportJobApi(client, null),
        1 => new ImportJobApi(client, namespaces[0]),
        _ => new MultiNamespaceSource<ImportJob>([.. namespaces.Select(ns => (ns, (IResourceSource<ImportJob>)new ImportJobApi(client, ns)))], i => i.Metadata.Namespace),
    };

    public static IResourceSource<V1Job> RunnerJobs(IKubernetes client, IReadOnlyList<string> namespaces) => namespaces.Count switch
    {
        0 => new RunnerJobApi(client, null),
        1 => new RunnerJobApi(client, namespaces[0]),
        _ => new MultiNamespaceSource<V1Job>([.. namespaces.Select(ns => (ns, (IResourceSource<V1Job>)new RunnerJobApi(client, ns)))], j => j.Metadata.NamespaceProperty),
    };
}
