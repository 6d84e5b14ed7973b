namespace CallImport.ImportRunner.Storage;

// Placeholder so the tree builds; the GCS implementation replaces this file.
public sealed class GcsMediaStorage
{
    public static IMediaStorage Create(string bucket, string prefix, string? endpoint) =>
        throw new NotSupportedException($"gs://{bucket}/{prefix}: GCS storage is not built yet (endpoint {endpoint}).");
}
