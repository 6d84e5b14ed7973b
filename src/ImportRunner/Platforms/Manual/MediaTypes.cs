namespace CallImport.ImportRunner.Platforms.Manual;

/// <summary>The recordings the manual upload imports, by file extension.</summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".wav"] = "audio/wav",
        [".mp4"] = "video/mp4",
        [".webm"] = "video/webm",
        [".ogg"] = "audio/ogg",
        [".aac"] = "audio/aac",
        [".flac"] = "audio/flac",
        [".mov"] = "video/quicktime",
    };

    public static IEnumerable<string> Extensions => ByExtension.Keys;

    public static bool IsMedia(string path) => ByExtension.ContainsKey(Path.GetExtension(path));

    public static string ContentType(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";
}
