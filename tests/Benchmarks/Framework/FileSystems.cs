namespace CallImport.Benchmarks.Framework;

/// <summary>Which filesystem a directory is on (tmpfs and ext4 differ by 3× here): printed beside every figure.</summary>
internal static class FileSystems
{
    public static string Describe(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var best = File.ReadLines("/proc/mounts")
                .Select(line => line.Split(' '))
                .Where(f => f.Length > 2 && (full == f[1] || full.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
                .MaxBy(f => f[1].Length);
            return best is null ? "unknown" : $"{best[2]} ({best[1]})";
        }
        catch (IOException) { return "unknown"; }
    }
}
