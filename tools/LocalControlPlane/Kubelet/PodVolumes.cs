using k8s.Models;

namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// Writes a pod's Secret, ConfigMap and emptyDir volumes into host directories (one file per key,
/// <c>items</c> and modes honoured) and maps each of the container's volumeMounts to its host directory.
/// </summary>
internal static class PodVolumes
{
    public static async Task<Dictionary<string, string>> MountAsync(V1Pod pod, V1Container container, string volumesDir, PodReferences references, CancellationToken ct)
    {
        var hostDirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            var dir = Path.Combine(volumesDir, volume.Name);
            Directory.CreateDirectory(dir);
            if (volume.Secret is { } secret)
            {
                var data = await references.SecretAsync(secret.SecretName, ct).ConfigureAwait(false);
                if (data is null && secret.Optional != true)
                {
                    throw new ContainerConfigException("ContainerCreating",
                        $"MountVolume.SetUp failed for volume \"{volume.Name}\" : secret \"{secret.SecretName}\" not found");
                }

                WriteKeys(dir, data, secret.Items, secret.DefaultMode, $"secret \"{secret.SecretName}\"", volume.Name);
            }
            else if (volume.ConfigMap is { } configMap)
            {
                var data = await references.ConfigMapAsync(configMap.Name, ct).ConfigureAwait(false);
                if (data is null && configMap.Optional != true)
                {
                    throw new ContainerConfigException("ContainerCreating",
                        $"MountVolume.SetUp failed for volume \"{volume.Name}\" : configmap \"{configMap.Name}\" not found");
                }

                WriteKeys(dir, data, configMap.Items, configMap.DefaultMode, $"configmap \"{configMap.Name}\"", volume.Name);
            }
            else if (volume.HostPath is { } hostPath)
            {
                dir = hostPath.Path;
            }

            hostDirs[volume.Name] = dir;
        }

        var mounts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!hostDirs.TryGetValue(mount.Name, out var dir))
            {
                throw new ContainerConfigException("CreateContainerConfigError", $"volume \"{mount.Name}\" not found in the pod spec");
            }

            mounts[mount.MountPath] = string.IsNullOrEmpty(mount.SubPath) ? dir : Path.Combine(dir, mount.SubPath);
        }

        return mounts;
    }

    private static void WriteKeys(string dir, IReadOnlyDictionary<string, byte[]>? data, IList<V1KeyToPath>? items, int? defaultMode, string what, string volumeName)
    {
        if (data is null)
        {
            return;
        }

        var files = items is { Count: > 0 }
            ? items.Select(i => (i.Key, i.Path, i.Mode))
            : data.Keys.Select(k => (Key: k, Path: k, Mode: (int?)null));
        foreach (var (key, relativePath, mode) in files)
        {
            if (!data.TryGetValue(key, out var value))
            {
                throw new ContainerConfigException("ContainerCreating",
                    $"MountVolume.SetUp failed for volume \"{volumeName}\" : configured key {key} not found in {what}");
            }

            var path = Path.Combine(dir, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, value);
            SetMode(path, mode ?? defaultMode ?? 420);
        }
    }

    // Best effort: the mode is octal in YAML and decimal on the wire (420 = 0644). Keep the owner able to read.
    private static void SetMode(string path, int mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0x1FF) | UnixFileMode.UserRead);
        }
    }

    /// <summary>
    /// When the pod has ended: its Secret volumes go, as the kubelet unmounts their tmpfs, so no credential stays on
    /// disk (emptyDirs stay until the pod is deleted, as on a node).
    /// </summary>
    public static void RemoveSecrets(V1Pod pod, string volumesDir)
    {
        foreach (var volume in pod.Spec.Volumes ?? [])
            if (volume.Secret is not null)
                TryDelete(Path.Combine(volumesDir, volume.Name));
    }

    /// <summary>Every volume of pods no longer on the API server (pod directories are named <c>ns_name_uid</c>).</summary>
    public static void RemoveGone(string workRoot, IReadOnlySet<string> presentUids)
    {
        if (!Directory.Exists(workRoot))
            return;
        foreach (var podDir in Directory.EnumerateDirectories(workRoot))
        {
            var uid = Path.GetFileName(podDir).Split('_')[^1];
            if (!presentUids.Contains(uid))
                TryDelete(Path.Combine(podDir, "volumes"));
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process of the pod still holds a file: the next sync tries again.
        }
    }
}
