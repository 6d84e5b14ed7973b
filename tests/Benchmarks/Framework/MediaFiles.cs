namespace CallImport.Benchmarks.Framework;

/// <summary>Recordings for the bench: distinct random bytes (so nothing dedupes or compresses), written once.</summary>
public static class MediaFiles
{
    public static async Task<string> CreateFolderAsync(string parent, int count, int bytes, string extension = ".mp3")
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, $"upload-{count}x{bytes}")).FullName;
        var buffer = new byte[bytes];
        Random.Shared.NextBytes(buffer);
        for (var i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(buffer.AsSpan(0, 4), i); // each file differs
            await File.WriteAllBytesAsync(Path.Combine(folder, $"call-{i:D5}{extension}"), buffer);
        }
        return folder;
    }

    public static async Task<string> CreateFileAsync(string folder, string name, long bytes)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var chunk = new byte[1024 * 1024];
        Random.Shared.NextBytes(chunk);
        await using var file = File.Create(path);
        for (long written = 0; written < bytes; written += chunk.Length)
            await file.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - written)));
        return path;
    }

    /// <summary>Credentials of a manual upload folder.</summary>
    public static string ManualCredentials(string directory, string folder)
    {
        var path = Path.Combine(directory, $"credentials-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["location"] = folder }));
        return path;
    }

    /// <summary>The runner's `import` arguments for a manual folder into file storage.</summary>
    public static List<string> ManualImport(string credentials, string database, string storage, string customer, int concurrency) =>
    [
        "import", "--platform", "manual", "--customer", customer, "--credentials-file", credentials,
        "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z",
        "--database", database, "--storage", new Uri(storage).AbsoluteUri, "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--output", "json",
    ];
}
