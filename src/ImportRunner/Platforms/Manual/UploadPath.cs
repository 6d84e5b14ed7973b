namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>Relative paths inside the upload folder, as written by people: normalised to "a/b/c.mp3".</summary>
internal static class UploadPath
{
    /// <summary>The normalised path, or null when it is empty or points outside the folder.</summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var segments = raw.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != ".")
            .ToList();
        if (segments.Count == 0 || segments.Contains("..") || raw.TrimStart().StartsWith('/') || raw.Contains(':', StringComparison.Ordinal))
            return null;
        return string.Join('/', segments);
    }

    /// <summary>
    /// Files a person did not hand over on purpose: dot files and folders (".DS_Store", "._call.mp3" from macOS
    /// archives, a mounted Secret's "..data") and macOS archive debris ("__MACOSX/").
    /// </summary>
    public static bool IsDebris(string path) =>
        path.Split('/').Any(s => s.StartsWith('.') || s == "__MACOSX");
}
