using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// The environment a container sees: <c>envFrom</c> first, then <c>env</c> in order (values, Secret and
/// ConfigMap keys, downward-API fields), with <c>$(VAR)</c> references expanded as the kubelet does.
/// </summary>
internal static partial class ContainerEnvironment
{
    public static async Task<Dictionary<string, string>> ResolveAsync(V1Pod pod, V1Container container, PodReferences references, CancellationToken ct)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            await AddSourceAsync(env, source, references, ct).ConfigureAwait(false);
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.ValueFrom is null
                ? Expand(variable.Value ?? "", env)
                : await ValueFromAsync(pod, variable, references, ct).ConfigureAwait(false);
            if (value is not null)
            {
                env[variable.Name] = value;
            }
        }

        return env;
    }

    /// <summary>Expands <c>$(NAME)</c> from earlier variables; <c>$$</c> escapes; unknown references stay as written.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env) =>
        Reference().Replace(text, m => m.Value == "$$" ? "$" : env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    private static async Task AddSourceAsync(Dictionary<string, string> env, V1EnvFromSource source, PodReferences references, CancellationToken ct)
    {
        IReadOnlyDictionary<string, byte[]>? data;
        if (source.SecretRef is { } secretRef)
        {
            data = await references.SecretAsync(secretRef.Name, ct).ConfigureAwait(false);
            if (data is null && secretRef.Optional != true)
            {
                throw new ContainerConfigException("CreateContainerConfigError", $"secret \"{secretRef.Name}\" not found");
            }
        }
        else if (source.ConfigMapRef is { } configMapRef)
        {
            data = await references.ConfigMapAsync(configMapRef.Name, ct).ConfigureAwait(false);
            if (data is null && configMapRef.Optional != true)
            {
                throw new ContainerConfigException("CreateContainerConfigError", $"configmap \"{configMapRef.Name}\" not found");
            }
        }
        else
        {
            return;
        }

        foreach (var (key, value) in data ?? new Dictionary<string, byte[]>())
        {
            env[(source.Prefix ?? "") + key] = Encoding.UTF8.GetString(value);
        }
    }

    private static async Task<string?> ValueFromAsync(V1Pod pod, V1EnvVar variable, PodReferences references, CancellationToken ct)
    {
        var from = variable.ValueFrom;
        if (from.SecretKeyRef is { } secretKey)
        {
            var data = await references.SecretAsync(secretKey.Name, ct).ConfigureAwait(false);
            return KeyValue(data, secretKey.Key, secretKey.Optional == true, $"secret \"{secretKey.Name}\"");
        }

        if (from.ConfigMapKeyRef is { } configMapKey)
        {
            var data = await references.ConfigMapAsync(configMapKey.Name, ct).ConfigureAwait(false);
            return KeyValue(data, configMapKey.Key, configMapKey.Optional == true, $"configmap \"{configMapKey.Name}\"");
        }

        if (from.FieldRef is { } fieldRef)
        {
            return FieldValue(pod, fieldRef.FieldPath);
        }

        return null;
    }

    private static string? KeyValue(IReadOnlyDictionary<string, byte[]>? data, string key, bool optional, string what)
    {
        if (data is null)
        {
            return optional ? null : throw new ContainerConfigException("CreateContainerConfigError", $"{what} not found");
        }

        if (!data.TryGetValue(key, out var value))
        {
            return optional ? null : throw new ContainerConfigException("CreateContainerConfigError", $"couldn't find key {key} in {what}");
        }

        return Encoding.UTF8.GetString(value);
    }

    private static string FieldValue(V1Pod pod, string fieldPath)
    {
        var labelOrAnnotation = MetadataKey().Match(fieldPath);
        if (labelOrAnnotation.Success)
        {
            var map = labelOrAnnotation.Groups[1].Value == "labels" ? pod.Metadata.Labels : pod.Metadata.Annotations;
            return map?.TryGetValue(labelOrAnnotation.Groups[2].Value, out var v) == true ? v : "";
        }

        return fieldPath switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty,
            "metadata.uid" => pod.Metadata.Uid,
            "spec.nodeName" => pod.Spec.NodeName ?? LocalNode.Name,
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "default",
            "status.podIP" or "status.hostIP" => LocalNode.Address,
            "status.podIPs" or "status.hostIPs" => LocalNode.Address,
            _ => throw new ContainerConfigException("CreateContainerConfigError", $"unsupported fieldRef {fieldPath}"),
        };
    }

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^metadata\.(labels|annotations)\['(.+)'\]$")]
    private static partial Regex MetadataKey();
}
