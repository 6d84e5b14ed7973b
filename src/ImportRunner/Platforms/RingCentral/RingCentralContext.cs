using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's account-wide call log (Detailed view, which already holds everything the import needs) and
/// recordings at their contentUri. One engagement per telephony session, assembled from the listing, so a
/// call costs no request of its own beyond its recording: Heavy is 10 requests a minute. Auth (JWT grant,
/// refresh) is added by the HTTP pipeline's authenticator, not here.
/// </summary>
internal sealed class RingCentralContext(RingCentralHosts hosts, HttpClient http, ImportContextServices services) : IImportContext
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<RingCentralContext>();

    /// <summary>One Light request (the JWT's own extension), after the token grant the pipeline makes first.</summary>
    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        const string what = "RingCentral credentials check (GET restapi/v1.0/account/~/extension/~)";
        using var request = Get(new Uri(hosts.Platform, RingCentralApi.OwnExtensionPath));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {RingCentralApi.DefaultPlatformUrl}).");
        VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sessions = new RingCentralSessionAssembler();
        var seenPages = new HashSet<string>(StringComparer.Ordinal);
        Uri? next = new(hosts.Platform, RingCentralListFilter.FirstPage(query));
        for (var page = 1; next is not null; page++)
        {
            var what = $"RingCentral call log, page {page} (GET {next.AbsolutePath})";
            using var request = Get(next);
            var response = await VendorResponses.SendForJsonAsync(http, request, what, RingCentralJson.Default.RingCentralCallLogPage, cancellationToken);
            foreach (var element in response.Records ?? [])
            {
                if (RingCentralListedRecord.From(element) is not { } record)
                {
                    _logger.LogWarning("RingCentral call log page {Page} holds a record without an id; it cannot be imported or reported", page);
                    continue;
                }
                // The range is half-open whatever RingCentral's own dateTo includes.
                if (record.Start is { } start && (start < query.From || start >= query.To)) continue;
                foreach (var session in sessions.Add(record)) yield return Reference(session);
            }
            next = response.Navigation?.NextPage?.Uri is { Length: > 0 } link ? hosts.PlatformLink(link) : null;
            if (next is not null && !seenPages.Add(next.PathAndQuery))
            {
                _logger.LogWarning("RingCentral returned the link after page {Page} a second time; the listing ends there", page);
                break;
            }
        }
        foreach (var session in sessions.Flush()) yield return Reference(session);
        if (sessions.LateRecords > 0)
            _logger.LogWarning("{LateRecords} call-log records arrived after their telephony session was listed and were left out", sessions.LateRecords);
    }

    /// <summary>No request: the listing's Detailed records are the whole call.</summary>
    public Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken) =>
        call.ListingPayload is { } payload
            ? Task.FromResult(RingCentralCallMapping.ToSourceCall(call.SourceCallId, payload))
            : throw new PermanentCallException($"RingCentral call {call.SourceCallId}: listed without its call-log records; list it again.");

    /// <summary>
    /// The recording at its contentUri (vendor-hosted: with the bearer token, counted in Heavy), streamed.
    /// contentUri does not expire, so the one from the listing is fresh enough. RingCentral serves mp3 or wav:
    /// the file extension follows the answer's Content-Type.
    /// </summary>
    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (call.MediaLocation is null) return null;
        var uri = hosts.MediaLink(call.MediaLocation);
        var what = $"RingCentral recording of {call.SourceCallId} (GET {uri.AbsolutePath})";
        var media = await MediaDownload.OpenAsync(http, uri, MediaHost.VendorHosted, what, fileExtension: "", cancellationToken: cancellationToken);
        return new CallMedia(media.Content, media.ContentType, media.Length, Extension(media.ContentType));
    }

    /// <summary>RingCentral has transcripts only with a RingSense licence, through another API: none here.</summary>
    public Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken) => Task.FromResult<Transcript?>(null);

    private static CallReference Reference(RingCentralSession session) => new(session.Key, session.Start, session.Payload);

    private static string Extension(string contentType) => contentType.ToLowerInvariant() switch
    {
        "audio/mpeg" or "audio/mp3" => ".mp3",
        "audio/wav" or "audio/x-wav" or "audio/wave" => ".wav",
        "audio/ogg" => ".ogg",
        _ => ".bin",
    };

    private static HttpRequestMessage Get(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
