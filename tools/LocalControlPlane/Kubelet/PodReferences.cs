using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>Reads the Secrets and ConfigMaps a pod refers to, as decoded key → bytes, cached for one pod start.</summary>
internal sealed class PodReferences(IKubernetes client, string namespaceName)
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>?> _secrets = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>?> _configMaps = [];

    public async Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string name, CancellationToken ct)
    {
        if (!_secrets.TryGetValue(name, out var data))
        {
            data = await ReadOrNullAsync(async () =>
            {
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(name, namespaceName, cancellationToken: ct).ConfigureAwait(false);
                var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
                {
                    values[key] = value;
                }

                foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
                {
                    values[key] = Encoding.UTF8.GetBytes(value);
                }

                return values;
            }).ConfigureAwait(false);
            _secrets[name] = data;
        }

        return data;
    }

    public async Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string name, CancellationToken ct)
    {
        if (!_configMaps.TryGetValue(name, out var data))
        {
            data = await ReadOrNullAsync(async () =>
            {
                var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(name, namespaceName, cancellationToken: ct).ConfigureAwait(false);
                var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>())
                {
                    values[key] = Encoding.UTF8.GetBytes(value);
                }

                foreach (var (key, value) in configMap.BinaryData ?? new Dictionary<string, byte[]>())
                {
                    values[key] = value;
                }

                return values;
            }).ConfigureAwait(false);
            _configMaps[name] = data;
        }

        return data;
    }

    private static async Task<IReadOnlyDictionary<string, byte[]>?> ReadOrNullAsync(Func<Task<IReadOnlyDictionary<string, byte[]>>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
