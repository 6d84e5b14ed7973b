using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>The read half of the JSON API: object metadata, media (with Range), listing by prefix with pages, delete.</summary>
internal sealed class GcsObjects(GcsObjectStore store, Func<string> baseUrl)
{
    public async Task GetAsync(HttpContext context, string bucket, string name, IReadOnlyDictionary<string, string> query)
    {
        var found = store.Find(bucket, name);
        if (found is null)
        {
            await GcsError.WriteAsync(context, 404, $"No such object: {bucket}/{name}", "notFound");
            return;
        }
        if (query.GetValueOrDefault("alt") == "media")
            await WriteMediaAsync(context, found);
        else
            await GcsObjectJson.WriteAsync(context, GcsObjectJson.Resource(found, baseUrl()));
    }

    public async Task DeleteAsync(HttpContext context, string bucket, string name)
    {
        if (!store.Delete(bucket, name))
        {
            await GcsError.WriteAsync(context, 404, $"No such object: {bucket}/{name}", "notFound");
            return;
        }
        context.Response.StatusCode = 204;
    }

    public async Task ListAsync(HttpContext context, string bucket, IReadOnlyDictionary<string, string> query)
    {
        if (!store.TryGetBucket(bucket, out _))
        {
            await GcsError.WriteAsync(context, 404, "The specified bucket does not exist.", "notFound");
            return;
        }
        var prefix = query.GetValueOrDefault("prefix") ?? "";
        var pageSize = query.TryGetValue("maxResults", out var max) ? Math.Clamp(int.Parse(max, CultureInfo.InvariantCulture), 1, 1000) : 1000;
        // The page token is the last name of the previous page, opaque to the client.
        var after = query.TryGetValue("pageToken", out var token) ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        var matching = store.List(bucket)
            .Where(o => o.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Where(o => after is null || string.CompareOrdinal(o.Name, after) > 0)
            .Take(pageSize + 1)
            .ToList();
        var page = matching.Take(pageSize).ToList();
        var body = new Dictionary<string, object> { ["kind"] = "storage#objects" };
        if (page.Count > 0)
            body["items"] = page.Select(o => GcsObjectJson.Resource(o, baseUrl())).ToList();
        if (matching.Count > pageSize)
            body["nextPageToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name));
        await GcsObjectJson.WriteAsync(context, body);
    }

    private static async Task WriteMediaAsync(HttpContext context, GcsStoredObject found)
    {
        await using var file = new FileStream(found.DataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = 0, end = found.Size - 1;
        var response = context.Response;
        var requested = RangeHeaderValue.TryParse(context.Request.Headers.Range.ToString(), out var parsed) ? parsed.Ranges.FirstOrDefault() : null;
        if (requested is not null && found.Size > 0)
        {
            start = requested.From ?? Math.Max(0, found.Size - requested.To!.Value);
            end = requested.From is null ? found.Size - 1 : Math.Min(requested.To ?? found.Size - 1, found.Size - 1);
            if (start >= found.Size)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{found.Size}";
                return;
            }
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{end}/{found.Size}";
        }
        else
        {
            response.StatusCode = 200;
        }
        response.ContentType = found.ContentType;
        response.Headers["x-goog-hash"] = $"crc32c={found.Crc32c},md5={found.Md5Hash}";
        response.Headers["x-goog-generation"] = found.Generation.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-goog-stored-content-length"] = found.Size.ToString(CultureInfo.InvariantCulture);
        var length = Math.Max(0, end - start + 1);
        response.ContentLength = length;
        file.Position = start;
        var buffer = new byte[81920];
        var left = length;
        while (left > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), context.RequestAborted);
            if (read == 0)
                break;
            await response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            left -= read;
        }
    }
}
