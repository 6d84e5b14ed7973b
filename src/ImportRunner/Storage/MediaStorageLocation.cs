namespace CallImport.ImportRunner.Storage;

/// <summary>Opens the storage a URI names: <c>file:///abs/path</c> or <c>gs://bucket[/prefix]</c>.</summary>
public static class MediaStorageLocation
{
    /// <summary>Environment variable naming a GCS-compatible endpoint (tests, emulators); unauthenticated when set.</summary>
    public const string GcsEndpointVariable = "CALLIMPORT_GCS_ENDPOINT";

    public static IMediaStorage Open(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            throw new ArgumentException($"Storage '{uri}' is not a URI. Use file:///absolute/path or gs://bucket/prefix.", nameof(uri));
        return parsed.Scheme switch
        {
            "file" => new LocalMediaStorage(parsed.LocalPath),
            "gs" => GcsMediaStorage.Create(parsed.Host, Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/')), Environment.GetEnvironmentVariable(GcsEndpointVariable)),
            _ => throw new ArgumentException($"Storage scheme '{parsed.Scheme}' is not supported. Use file:///absolute/path or gs://bucket/prefix.", nameof(uri)),
        };
    }
}
