namespace CallImport.Testing.Fakes.Gcs;

/// <summary>One resumable upload: bytes received so far go to a staging file until the client declares the total.</summary>
internal sealed class GcsUploadSession(string id, string bucket, string name, string contentType, string stagingPath)
{
    public string Id => id;
    public string Bucket => bucket;
    public string Name => name;
    public string ContentType => contentType;
    public string StagingPath => stagingPath;
    public long Received { get; set; }
    public GcsStoredObject? Completed { get; set; }

    /// <summary>Serialises chunk PUTs of one session (a client retry may overlap a slow request).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
