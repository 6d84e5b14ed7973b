using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>The <c>storage#object</c> resource as the JSON API returns it (numbers as strings, hashes base64).</summary>
internal static class GcsObjectJson
{
    public static Dictionary<string, object> Resource(GcsStoredObject o, string baseUrl)
    {
        var escaped = Uri.EscapeDataString(o.Name);
        var updated = o.Updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var generation = o.Generation.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, object>
        {
            ["kind"] = "storage#object",
            ["id"] = $"{o.Bucket}/{o.Name}/{generation}",
            ["selfLink"] = $"{baseUrl}storage/v1/b/{o.Bucket}/o/{escaped}",
            ["mediaLink"] = $"{baseUrl}download/storage/v1/b/{o.Bucket}/o/{escaped}?generation={generation}&alt=media",
            ["name"] = o.Name,
            ["bucket"] = o.Bucket,
            ["generation"] = generation,
            ["metageneration"] = "1",
            ["contentType"] = o.ContentType,
            ["storageClass"] = "STANDARD",
            ["size"] = o.Size.ToString(CultureInfo.InvariantCulture),
            ["md5Hash"] = o.Md5Hash,
            ["crc32c"] = o.Crc32c,
            ["etag"] = "C" + generation,
            ["timeCreated"] = updated,
            ["updated"] = updated,
        };
    }

    public static Task WriteAsync(HttpContext context, object body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
