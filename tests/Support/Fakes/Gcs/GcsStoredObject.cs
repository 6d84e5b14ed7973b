namespace CallImport.Testing.Fakes.Gcs;

/// <summary>An object held by the fake: metadata in memory, bytes in a file on disk.</summary>
internal sealed record GcsStoredObject(
    string Bucket,
    string Name,
    string ContentType,
    long Size,
    string Md5Hash,
    string Crc32c,
    long Generation,
    DateTimeOffset Updated,
    string DataPath);
