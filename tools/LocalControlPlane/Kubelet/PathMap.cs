namespace CallImport.LocalControlPlane.Kubelet;

/// <summary>
/// The contract between the local kubelet and programs it runs: there is no container filesystem, so a
/// volume mounted at a container path lives in a host directory, and the env var <see cref="Variable"/>
/// lists them as <c>mountPath=hostDir;mountPath2=hostDir2</c>. A program maps a container path by
/// replacing the longest matching mountPath prefix with its hostDir.
/// </summary>
public static class PathMap
{
    public const string Variable = "CALLIMPORT_PATH_MAP";

    public static string Format(IEnumerable<KeyValuePair<string, string>> mounts) =>
        string.Join(';', mounts.Select(m => $"{m.Key}={m.Value}"));

    /// <summary>Maps a container path to the host path (unchanged when no mount covers it).</summary>
    public static string Resolve(string? map, string containerPath)
    {
        if (string.IsNullOrEmpty(map))
        {
            return containerPath;
        }

        var best = map.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2 && Covers(pair[0].TrimEnd('/'), containerPath))
            .OrderByDescending(pair => pair[0].TrimEnd('/').Length)
            .FirstOrDefault();
        return best is null ? containerPath : best[1] + containerPath[best[0].TrimEnd('/').Length..];
    }

    private static bool Covers(string mountPath, string path) =>
        path == mountPath || path.StartsWith(mountPath + "/", StringComparison.Ordinal) || mountPath.Length == 0;
}
