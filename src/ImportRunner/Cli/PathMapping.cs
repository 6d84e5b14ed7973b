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
        // The longest mount path that contains the path wins, as with nested mounts in a container.
        var best = map.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Mount: parts[0].TrimEnd('/'), Host: parts[1]))
            .Where(m => path == m.Mount || path.StartsWith(m.Mount + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Mount.Length)
            .FirstOrDefault();
        return best.Mount is null ? path : path == best.Mount ? best.Host : Path.Combine(best.Host, path[(best.Mount.Length + 1)..]);
    }
}
