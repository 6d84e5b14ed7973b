using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>
/// A Google Cloud Storage JSON API server on 127.0.0.1, speaking what Google.Cloud.Storage.V1 sends: resumable
/// uploads with 308 replies, gzip request bodies, <c>%2F</c>-encoded object names, media downloads, listing by
/// prefix with pages, delete. Objects are files in a temp directory, so large streams cost no memory.
/// Use <see cref="Endpoint"/> as the client's BaseUri with unauthenticated access.
/// </summary>
public sealed class GcsFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GcsObjectStore _store;
    private readonly GcsUploads _uploads;
    private readonly GcsObjects _objects;
    private string _baseUrl = "";

    private GcsFake(WebApplication app, string root, bool createBucketsOnDemand)
    {
        _app = app;
        _store = new GcsObjectStore(root, createBucketsOnDemand);
        _uploads = new GcsUploads(_store, Traffic, Faults, () => _baseUrl);
        _objects = new GcsObjects(_store, () => _baseUrl);
    }

    /// <summary>The client's BaseUri: <c>http://127.0.0.1:PORT/storage/v1/</c>.</summary>
    public string Endpoint => _baseUrl + "storage/v1/";

    public GcsTraffic Traffic { get; } = new();

    public GcsFaults Faults { get; } = new();

    /// <param name="createBucketsOnDemand">When false, only buckets made with <see cref="CreateBucket"/> exist (others answer 404).</param>
    public static async Task<GcsFake> StartAsync(bool createBucketsOnDemand = true)
    {
        var root = Path.Combine(Path.GetTempPath(), "callimport-gcs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var fake = new GcsFake(app, root, createBucketsOnDemand);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        fake._baseUrl = address.TrimEnd('/') + "/";
        return fake;
    }

    public void CreateBucket(string bucket) => _store.CreateBucket(bucket);

    /// <summary>Object names in <paramref name="bucket"/>, in name order.</summary>
    public IReadOnlyList<string> ObjectNames(string bucket) => [.. _store.List(bucket).Select(o => o.Name)];

    /// <summary>The stored bytes of an object (for assertions on small objects; use <see cref="OpenObject"/> for large ones).</summary>
    public byte[] ReadObject(string bucket, string name) => File.ReadAllBytes(Stored(bucket, name).DataPath);

    public Stream OpenObject(string bucket, string name) =>
        new FileStream(Stored(bucket, name).DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>Stores an object directly, as if another writer had put it (for read and list tests).</summary>
    public void PutObject(string bucket, string name, byte[] content, string contentType = "application/octet-stream")
    {
        var staging = _store.NewStagingPath();
        File.WriteAllBytes(staging, content);
        var crc = new Crc32c();
        crc.Append(content);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(content);
        _store.Commit(bucket, name, contentType, staging, Convert.ToBase64String(md5.GetHashAndReset()), Convert.ToBase64String(crc.GetHash()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_store.Root, recursive: true);
        }
        catch (IOException)
        {
            // A reader still holds a file; the OS temp cleaner gets the rest.
        }
    }

    private GcsStoredObject Stored(string bucket, string name) =>
        _store.Find(bucket, name) ?? throw new FileNotFoundException($"gs://{bucket}/{name} is not in the fake.");

    private async Task HandleAsync(HttpContext context)
    {
        // The raw target keeps %2F inside object names apart from path separators.
        var raw = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var questionMark = raw.IndexOf('?', StringComparison.Ordinal);
        var path = questionMark < 0 ? raw : raw[..questionMark];
        var query = Query(questionMark < 0 ? "" : raw[(questionMark + 1)..]);
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var method = context.Request.Method;
        Traffic.Request(Describe(context, method, raw));

        if (Faults.RefusalStatus is { } refusal)
        {
            await GcsError.WriteAsync(context, refusal, refusal is 401 or 403 ? "Access denied (injected)." : "Refused (injected).",
                refusal is 401 or 403 ? "forbidden" : "backendError");
            return;
        }

        switch (segments)
        {
            case ["upload", "storage", "v1", "b", var bucket, "o"] when method == "POST" && query.GetValueOrDefault("uploadType") == "resumable":
                await _uploads.StartAsync(context, bucket, query);
                return;
            case ["upload", "storage", "v1", "b", var bucket, "o"] when method == "POST" && query.GetValueOrDefault("uploadType") == "media":
                await _uploads.SimpleUploadAsync(context, bucket, query);
                return;
            case ["upload", "storage", "v1", "b", _, "o"] when method == "PUT" && query.TryGetValue("upload_id", out var id):
                await _uploads.PutChunkAsync(context, id);
                return;
            case ["upload", "storage", "v1", "b", _, "o"] when method == "DELETE" && query.TryGetValue("upload_id", out var id):
                await _uploads.CancelAsync(context, id);
                return;
            case ["storage", "v1", "b", var bucket, "o"] when method == "GET":
                await _objects.ListAsync(context, bucket, query);
                return;
            case ["storage", "v1", "b", var bucket, "o", var name] when method == "GET":
                await _objects.GetAsync(context, bucket, name, query);
                return;
            case ["download", "storage", "v1", "b", var bucket, "o", var name] when method == "GET":
                await _objects.GetAsync(context, bucket, name, query);
                return;
            case ["storage", "v1", "b", var bucket, "o", var name] when method == "DELETE":
                await _objects.DeleteAsync(context, bucket, name);
                return;
            default:
                await GcsError.WriteAsync(context, 404, $"The fake does not serve {method} {path}.", "notFound");
                return;
        }
    }

    private static string Describe(HttpContext context, string method, string raw)
    {
        var headers = context.Request.Headers;
        var line = $"{method} {raw} {headers.ContentRange}".TrimEnd();
        if (headers.ContentEncoding.Count > 0)
            line += $" [Content-Encoding: {headers.ContentEncoding}]";
        if (headers.TryGetValue("X-Goog-Hash", out var hash))
            line += $" [X-Goog-Hash: {hash}]";
        return line;
    }

    private static Dictionary<string, string> Query(string queryString)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in queryString.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result[key] = value;
        }
        return result;
    }
}
