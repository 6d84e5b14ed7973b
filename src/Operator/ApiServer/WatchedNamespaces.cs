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
    public static IResourceSource<ImportJob> ImportJobs(IKubernetes client, IReadOnlyList<string> namespaces) =>
        For(namespaces, ns => new ImportJobApi(client, ns), i => i.Metadata.Namespace);

    public static IResourceSource<V1Job> RunnerJobs(IKubernetes client, IReadOnlyList<string> namespaces) =>
        For(namespaces, ns => new RunnerJobApi(client, ns), j => j.Metadata.NamespaceProperty);

    /// <summary>Any kind: <paramref name="source"/> reads one namespace, or all of them when given null.</summary>
    public static IResourceSource<T> For<T>(IReadOnlyList<string> namespaces, Func<string?, IResourceSource<T>> source, Func<T, string?> namespaceOf) =>
        namespaces.Count switch
        {
            0 => source(null),
            1 => source(namespaces[0]),
            _ => new MultiNamespaceSource<T>([.. namespaces.Select(ns => (ns, source(ns)))], namespaceOf),
        };
}
