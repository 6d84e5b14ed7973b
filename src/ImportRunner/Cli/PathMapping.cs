namespace CallImport.ImportRunner.Cli;

/// <summary>
/// Maps container paths to host paths when the runner runs as a plain process under the local control plane's
/// kubelet (no container, so mounted Secrets live elsewhere). <c>CALLIMPORT_PATH_MAP</c> holds
/// <c>mountPath=hostDir;…</c>; unset in a real cluster, where paths are used as given.
/// </summary>
public static class PathMapping
{
    public const string Variable = "CALLIMPORT_PATH_MAP";

    public static string Resolve(string path)
    {
        var map = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(map)) return path;
        foreach (var entry in map.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split('=', 2);
            if (parts.Length != 2) continue;
            var mount = parts[0].TrimEnd('/');
            if (path == mount) return parts[1];
            if (path.StartsWith(mount + "/", StringComparison.Ordinal)) return Path.Combine(parts[1], path[(mount.Length + 1)..]);
        }
        return path;
    }
}
