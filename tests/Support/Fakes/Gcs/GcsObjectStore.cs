using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>Buckets and objects of the fake. Bytes live in files under a temp directory (tests stream large objects).</summary>
internal sealed class GcsObjectStore(string root, bool createBucketsOnDemand)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, GcsStoredObject>> _buckets = new(StringComparer.Ordinal);
    private long _generation = 1_700_000_000_000_000;

    public string Root => root;

    public void CreateBucket(string bucket) =>
        _buckets.TryAdd(bucket, new ConcurrentDictionary<string, GcsStoredObject>(StringComparer.Ordinal));

    public bool TryGetBucket(string bucket, out ConcurrentDictionary<string, GcsStoredObject> objects)
    {
        if (createBucketsOnDemand)
            CreateBucket(bucket);
        return _buckets.TryGetValue(bucket, out objects!);
    }

    public GcsStoredObject? Find(string bucket, string name) =>
        _buckets.TryGetValue(bucket, out var objects) && objects.TryGetValue(name, out var found) ? found : null;

    public IReadOnlyList<GcsStoredObject> List(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects)
            ? [.. objects.Values.OrderBy(o => o.Name, StringComparer.Ordinal)]
            : [];

    /// <summary>A fresh file for incoming bytes (an upload session's staging file).</summary>
    public string NewStagingPath() => Path.Combine(root, "staging-" + Guid.NewGuid().ToString("N"));

    /// <summary>Moves a complete staging file into the bucket as <paramref name="name"/>, replacing any earlier object.</summary>
    public GcsStoredObject Commit(string bucket, string name, string contentType, string stagingPath, string md5Hash, string crc32c)
    {
        var objects = _buckets.GetOrAdd(bucket, _ => new ConcurrentDictionary<string, GcsStoredObject>(StringComparer.Ordinal));
        var dataPath = Path.Combine(root, "objects", ObjectFileName(bucket, name) + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(dataPath)!);
        File.Move(stagingPath, dataPath);
        var stored = new GcsStoredObject(bucket, name, contentType, new FileInfo(dataPath).Length, md5Hash, crc32c,
            Interlocked.Increment(ref _generation), DateTimeOffset.UtcNow, dataPath);
        GcsStoredObject? replaced = null;
        objects.AddOrUpdate(name, stored, (_, old) => { replaced = old; return stored; });
        if (replaced is not null)
            TryDeleteFile(replaced.DataPath);
        return stored;
    }

    public bool Delete(string bucket, string name)
    {
        if (!_buckets.TryGetValue(bucket, out var objects) || !objects.TryRemove(name, out var removed))
            return false;
        TryDeleteFile(removed.DataPath);
        return true;
    }

    private static string ObjectFileName(string bucket, string name) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(bucket + "\n" + name)))[..16];

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A download still holds it open; the temp directory is removed when the fake stops.
        }
    }
}
