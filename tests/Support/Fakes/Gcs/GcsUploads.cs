using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>
/// The upload half of the JSON API: resumable sessions (<c>POST …?uploadType=resumable</c> then chunk PUTs answered
/// 308 with <c>Range</c> until the last) and single-request media uploads (<c>uploadType=media</c>).
/// </summary>
internal sealed class GcsUploads(GcsObjectStore store, GcsTraffic traffic, GcsFaults faults, Func<string> baseUrl)
{
    private readonly ConcurrentDictionary<string, GcsUploadSession> _sessions = new(StringComparer.Ordinal);

    public async Task StartAsync(HttpContext context, string bucket, IReadOnlyDictionary<string, string> query)
    {
        if (!store.TryGetBucket(bucket, out _))
        {
            await GcsError.WriteAsync(context, 404, "The specified bucket does not exist.", "notFound");
            return;
        }
        using var metadata = await ReadJsonBodyAsync(context);
        var root = metadata?.RootElement;
        var name = query.GetValueOrDefault("name") ?? StringProperty(root, "name");
        if (string.IsNullOrEmpty(name))
        {
            await GcsError.WriteAsync(context, 400, "Required object name is missing.", "required");
            return;
        }
        var contentType = StringProperty(root, "contentType")
            ?? context.Request.Headers["X-Upload-Content-Type"].FirstOrDefault()
            ?? "application/octet-stream";
        var id = Guid.NewGuid().ToString("N");
        var session = new GcsUploadSession(id, bucket, name, contentType, store.NewStagingPath());
        await File.WriteAllBytesAsync(session.StagingPath, [], context.RequestAborted);
        _sessions[id] = session;
        traffic.SessionStarted();
        context.Response.StatusCode = 200;
        context.Response.Headers.Location =
            $"{baseUrl()}upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&name={Uri.EscapeDataString(name)}&upload_id={id}";
    }

    public async Task PutChunkAsync(HttpContext context, string uploadId)
    {
        traffic.ChunkPut();
        if (!_sessions.TryGetValue(uploadId, out var session))
        {
            await GcsError.WriteAsync(context, 404, "No such upload session.", "notFound");
            return;
        }
        if (faults.TakeChunkFailure() is { } failure)
        {
            // Read the body so the connection stays usable, then fail as an overloaded server would.
            traffic.BodyReceived(await DrainAsync(context.Request.Body, context.RequestAborted));
            await GcsError.WriteAsync(context, failure, "Service unavailable (injected).", "backendError");
            return;
        }
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            await PutChunkLockedAsync(context, session);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    public Task CancelAsync(HttpContext context, string uploadId)
    {
        if (_sessions.TryRemove(uploadId, out var session))
            File.Delete(session.StagingPath);
        context.Response.StatusCode = 499;
        return Task.CompletedTask;
    }

    /// <summary><c>uploadType=media</c>: the whole body is the object, named by the <c>name</c> query parameter.</summary>
    public async Task SimpleUploadAsync(HttpContext context, string bucket, IReadOnlyDictionary<string, string> query)
    {
        if (!query.TryGetValue("name", out var name) || !store.TryGetBucket(bucket, out _))
        {
            await GcsError.WriteAsync(context, 400, "Required object name is missing.", "required");
            return;
        }
        var staging = store.NewStagingPath();
        await using (var file = File.Create(staging))
            traffic.BodyReceived(await CopyAsync(context.Request.Body, file, 0, context.RequestAborted));
        var (stored, rejection) = await CommitAsync(bucket, name, context.Request.ContentType ?? "application/octet-stream", staging,
            context.Request.Headers["X-Goog-Hash"].ToString());
        if (stored is null)
        {
            File.Delete(staging);
            await GcsError.WriteAsync(context, 400, rejection!, "invalid");
            return;
        }
        await GcsObjectJson.WriteAsync(context, GcsObjectJson.Resource(stored, baseUrl()));
    }

    private async Task PutChunkLockedAsync(HttpContext context, GcsUploadSession session)
    {
        if (session.Completed is { } done)
        {
            await GcsObjectJson.WriteAsync(context, GcsObjectJson.Resource(done, baseUrl()));
            return;
        }
        var range = GcsContentRange.Parse(context.Request.Headers.ContentRange);
        if (range is null)
        {
            await GcsError.WriteAsync(context, 400, "Missing or malformed Content-Range.", "badRequest");
            return;
        }
        if (range.First is { } first)
        {
            await using var file = new FileStream(session.StagingPath, FileMode.Open, FileAccess.Write, FileShare.Read);
            file.Position = session.Received;
            // A resent chunk may overlap what is already stored: skip the overlap, take the rest.
            var skip = Math.Max(0, session.Received - first);
            if (first > session.Received)
            {
                traffic.BodyReceived(await DrainAsync(context.Request.Body, context.RequestAborted));
                ReplyIncomplete(context, session);
                return;
            }
            var bodyBytes = await CopyAsync(context.Request.Body, file, skip, context.RequestAborted);
            traffic.BodyReceived(bodyBytes);
            session.Received += Math.Max(0, bodyBytes - skip);
        }
        if (range.Total is { } total && total == session.Received)
        {
            await CompleteAsync(context, session);
            return;
        }
        ReplyIncomplete(context, session);
    }

    private async Task CompleteAsync(HttpContext context, GcsUploadSession session)
    {
        var corruption = faults.TakeCorruption();
        if (corruption is not null && session.Received > 0)
        {
            await using var file = new FileStream(session.StagingPath, FileMode.Open, FileAccess.ReadWrite);
            var first = file.ReadByte();
            file.Position = 0;
            file.WriteByte((byte)(first ^ 0xFF));
        }
        var (stored, rejection) = await CommitAsync(session.Bucket, session.Name, session.ContentType, session.StagingPath,
            context.Request.Headers["X-Goog-Hash"].ToString(), verifyDeclaredHashes: corruption?.VerifyClientChecksum ?? true);
        if (stored is null)
        {
            _sessions.TryRemove(session.Id, out _);
            File.Delete(session.StagingPath);
            await GcsError.WriteAsync(context, 400, rejection!, "invalid");
            return;
        }
        session.Completed = stored;
        await GcsObjectJson.WriteAsync(context, GcsObjectJson.Resource(stored, baseUrl()));
    }

    /// <summary>
    /// Hashes the staged bytes and stores them, unless the client declared hashes (<c>x-goog-hash</c>) that differ:
    /// then, like GCS, nothing is created and the reason comes back (null object).
    /// </summary>
    private async Task<(GcsStoredObject? Stored, string? Rejection)> CommitAsync(
        string bucket, string name, string contentType, string staging, string? declaredHashes, bool verifyDeclaredHashes = true)
    {
        var (md5, crc32c) = await HashFileAsync(staging);
        foreach (var part in verifyDeclaredHashes ? (declaredHashes ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [])
        {
            if (part.StartsWith("crc32c=", StringComparison.Ordinal) && part["crc32c=".Length..] != crc32c)
                return (null, $"Provided CRC32C \"{part["crc32c=".Length..]}\" doesn't match calculated CRC32C \"{crc32c}\".");
            if (part.StartsWith("md5=", StringComparison.Ordinal) && part["md5=".Length..] != md5)
                return (null, $"Provided MD5 hash \"{part["md5=".Length..]}\" doesn't match calculated MD5 hash \"{md5}\".");
        }
        return (store.Commit(bucket, name, contentType, staging, md5, crc32c), null);
    }

    private static async Task<(string Md5, string Crc32c)> HashFileAsync(string path)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var crc = new Crc32c();
        var buffer = new byte[81920];
        await using var file = File.OpenRead(path);
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            md5.AppendData(buffer, 0, read);
            crc.Append(buffer.AsSpan(0, read));
        }
        return (Convert.ToBase64String(md5.GetHashAndReset()), Convert.ToBase64String(crc.GetHash()));
    }

    private static void ReplyIncomplete(HttpContext context, GcsUploadSession session)
    {
        context.Response.StatusCode = 308;
        // No Range header means "nothing received yet", as GCS does.
        if (session.Received > 0)
            context.Response.Headers.Range = $"bytes=0-{session.Received - 1}";
    }

    private static async Task<long> CopyAsync(Stream body, Stream destination, long skip, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var offset = (int)Math.Clamp(skip - total, 0, read);
            if (offset < read)
                await destination.WriteAsync(buffer.AsMemory(offset, read - offset), cancellationToken);
            total += read;
        }
        return total;
    }

    private static Task<long> DrainAsync(Stream body, CancellationToken cancellationToken) =>
        CopyAsync(body, Stream.Null, 0, cancellationToken);

    private static async Task<JsonDocument?> ReadJsonBodyAsync(HttpContext context)
    {
        // The .NET client gzips request bodies (GZipEnabled), so honour Content-Encoding.
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            body = new GZipStream(body, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.Length == 0 ? null : JsonDocument.Parse(buffer.ToArray());
    }

    private static string? StringProperty(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
