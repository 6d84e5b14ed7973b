using System.Runtime.CompilerServices;
using CallImport.Operator.Controller;
using k8s;
using k8s.Models;

namespace CallImport.Operator.ApiServer;

/// <summary>
/// Secrets, as the operator keeps them: name, resourceVersion and key names only. The values are dropped as each
/// Secret arrives, so no credential is ever held in the operator's memory or cache.
/// </summary>
internal sealed class SecretApi(IKubernetes client, string? watchNamespace) : IResourceSource<V1Secret>
{
    public string Kind => "Secrets";

    public async Task<ListResult<V1Secret>> ListAsync(CancellationToken cancellationToken)
    {
        var list = string.IsNullOrEmpty(watchNamespace)
            ? await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: cancellationToken)
            : await client.CoreV1.ListNamespacedSecretAsync(watchNamespace, cancellationToken: cancellationToken);
        return new ListResult<V1Secret>([.. list.Items.Select(KeysOnly)], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        var events = string.IsNullOrEmpty(watchNamespace)
            ? client.CoreV1.WatchListSecretForAllNamespacesAsync(resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError, cancellationToken: cancellationToken)
            : client.CoreV1.WatchListNamespacedSecretAsync(watchNamespace, resourceVersion: resourceVersion, timeoutSeconds: seconds, onError: onError,
                cancellationToken: cancellationToken);
        await foreach (var (type, secret) in events)
        {
            if (type is WatchEventType.Bookmark or WatchEventType.Error)
                continue;
            yield return (type, KeysOnly(secret));
        }
    }

    public string KeyOf(V1Secret item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    public string? ResourceVersionOf(V1Secret item) => item.Metadata.ResourceVersion;

    /// <summary>The Secret without its values: each key maps to nothing.</summary>
    public static V1Secret KeysOnly(V1Secret secret) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = secret.Metadata.Name,
            NamespaceProperty = secret.Metadata.NamespaceProperty,
            ResourceVersion = secret.Metadata.ResourceVersion,
            Uid = secret.Metadata.Uid,
        },
        Data = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).Distinct(StringComparer.Ordinal)
            .ToDictionary(k => k, _ => Array.Empty<byte>(), StringComparer.Ordinal),
    };
}
