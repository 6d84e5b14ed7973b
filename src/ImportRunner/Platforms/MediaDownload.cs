using System.Net;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;

namespace CallImport.ImportRunner.Platforms;

/// <summary>Where a recording is downloaded from, which decides its auth and what a refusal means.</summary>
public enum MediaHost
{
    /// <summary>A pre-signed URL on a storage host (S3, GCS): no vendor auth (such hosts refuse it), no vendor limit; 403/410 = expired.</summary>
    Presigned,
    /// <summary>The vendor's own API host: vendor auth and limits apply (RingCentral contentUri, Zoom download_url).</summary>
    VendorHosted,
}

/// <summary>
/// Streams a recording: headers first (never the whole body in memory), redirects followed by the handler,
/// the announced Content-Length passed on for the storage check. Fetch the URL fresh right before calling this.
/// </summary>
public static class MediaDownload
{
    /// <param name="limitGroups">For <see cref="MediaHost.VendorHosted"/>: the groups the download counts in (null → the classifier's).</param>
    public static async Task<CallMedia> OpenAsync(HttpClient http, Uri url, MediaHost host, string what, string fileExtension,
        string? contentType = null, IReadOnlyList<string>? limitGroups = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (host == MediaHost.Presigned)
        {
            RequestAuthentication.WithoutAuth(request);
            LimitGroups.Unlimited(request);
        }
        else if (limitGroups is not null)
        {
            LimitGroups.Tag(request, [.. limitGroups]);
        }

        var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            ThrowOnRefusal(response, host, what);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var type = contentType ?? response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
            return new CallMedia(new ResponseOwningStream(response, body), type, response.Content.Headers.ContentLength, fileExtension);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void ThrowOnRefusal(HttpResponseMessage response, MediaHost host, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        if (host == MediaHost.Presigned && response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
            throw new MediaUrlExpiredException($"{what}: the signed media URL was refused (HTTP {status}); it has probably expired.");
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new PermanentCallException($"{what}: the recording is gone (HTTP 404).");
        VendorResponses.EnsureSuccess(response, what);
    }
}
