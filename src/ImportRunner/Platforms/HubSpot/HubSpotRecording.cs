using System.Net;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// A call's <c>hs_call_recording_url</c>: whatever address the calling provider stored. The HubSpot token goes only
/// to HubSpot's own hosts; elsewhere the URL is fetched without credentials and outside HubSpot's limits. When the
/// provider wants its own auth (401/403, or a sign-in page instead of audio), or no longer has the file (404/410),
/// the call is imported without media and the limitation is logged: retrying cannot change it. Server errors and
/// network failures stay transient.
/// </summary>
internal sealed class HubSpotRecording(HubSpotClient client, ILogger logger)
{
    public async Task<CallMedia?> OpenAsync(string callId, string? location, CancellationToken cancellationToken)
    {
        if (location is null) return null;
        if (!Uri.TryCreate(location, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            logger.LogWarning("HubSpot call {CallId}: hs_call_recording_url is not a web address; imported without media", callId);
            return null;
        }
        var hubSpotHosted = IsHubSpotHost(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (hubSpotHosted) LimitGroups.Tag(request, HubSpotContextFactory.OverallGroup);
        else
        {
            RequestAuthentication.WithoutAuth(request);
            LimitGroups.Unlimited(request);
        }
        var what = $"HubSpot recording of call {callId} ({url.Host})";
        var response = await client.SendAsync(request, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            var type = response.Content.Headers.ContentType?.MediaType;
            var limitation = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.ProxyAuthenticationRequired =>
                    $"needs the calling provider's own authorization (HTTP {(int)response.StatusCode})",
                HttpStatusCode.NotFound or HttpStatusCode.Gone => $"is gone at the calling provider (HTTP {(int)response.StatusCode})",
                _ when response.IsSuccessStatusCode && type is "text/html" => "answers with a web page (a sign-in?), not audio",
                _ => null,
            };
            if (limitation is not null)
            {
                logger.LogWarning("HubSpot call {CallId}: its recording at {RecordingHost} {Limitation}; imported without media", callId, url.Host, limitation);
                response.Dispose();
                return null;
            }
            VendorResponses.EnsureSuccess(response, what);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var contentType = type ?? "application/octet-stream";
            return new CallMedia(new ResponseOwningStream(response, body), contentType, response.Content.Headers.ContentLength, Extension(contentType, url));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>HubSpot's API host (the configured one, or *.hubapi.com): the token may go there.</summary>
    private bool IsHubSpotHost(Uri url) =>
        string.Equals(url.Host, client.BaseUrl.Host, StringComparison.OrdinalIgnoreCase) && url.Port == client.BaseUrl.Port
        || url.Scheme == "https" && url.Host.EndsWith(".hubapi.com", StringComparison.OrdinalIgnoreCase);

    private static string Extension(string contentType, Uri url) => contentType switch
    {
        "audio/mpeg" or "audio/mp3" => ".mp3",
        "audio/wav" or "audio/x-wav" or "audio/wave" => ".wav",
        "audio/flac" or "audio/x-flac" => ".flac",
        "audio/mp4" or "audio/x-m4a" => ".m4a",
        "video/mp4" => ".mp4",
        "audio/ogg" => ".ogg",
        "audio/webm" => ".webm",
        _ => Path.GetExtension(url.AbsolutePath) is { Length: > 1 and <= 5 } ext ? ext.ToLowerInvariant() : ".bin",
    };
}
